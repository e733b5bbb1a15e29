"""Ollama wire protocol: ``POST /api/chat`` (non-streaming), ``GET /api/tags``,
``GET /api/version``; errors as ``{"error": "..."}``.

Ollama itself has no keys; with ``api_key`` set this server plays a proxy that wants
``Authorization: Bearer <key>``.

``POST /api/show`` reports each model's capabilities; models named like a thinking family
(:data:`THINKING_FAMILIES`) have ``thinking``. Chats are checked against the documented rules
(source in comments): ``think`` only for thinking models, ``format`` "json" or a schema object.
A thinking model thinks ``thoughts`` tokens first, returned in ``message.thinking``; they count
against ``num_predict`` (``done_reason`` length with no content when they use it all).
"""

from __future__ import annotations

import json
from typing import Any

from tests.llm_servers.base import (
    ProtocolServer,
    RecordedRequest,
    Response,
    Step,
    count_tokens,
)

DEFAULT_MODELS = ["qwen3:8b", "qwen2.5-coder:7b", "llama3.2:latest"]
VERSION = "0.12.3"
THINKING_FAMILIES = ("qwen3", "deepseek-r1", "gpt-oss", "magistral")
THOUGHTS = 400  # thinking tokens a thinking model spends per chat


class OllamaServer(ProtocolServer):
    """Ollama chat, tags and version. ``models`` defaults to :data:`DEFAULT_MODELS`."""

    routes = (
        ("POST", "/api/chat", "chat", "chat"),
        ("GET", "/api/tags", "models", "list_models"),
        ("GET", "/api/version", "version", "version"),
        ("POST", "/api/show", "show", "show"),
    )
    chat_routes = frozenset({"chat", "show"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("models", list(DEFAULT_MODELS))
        thoughts = kwargs.pop("thoughts", THOUGHTS)
        super().__init__(**kwargs)
        self.thoughts = thoughts

    def authorized(self, request: RecordedRequest) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.api_key}"

    def error_response(self, kind: str, request: RecordedRequest, step: Step) -> Response:
        model = self.request_model(request)
        if kind == "auth":
            return 401, {"error": "unauthorized"}, {}
        if kind == "model_missing":
            return 404, {"error": f'model "{model}" not found, try pulling it first'}, {}
        if kind == "rate_limit":
            headers = {"Retry-After": f"{step.retry_after:g}"} if step.retry_after else {}
            return 429, {"error": "too many requests"}, headers
        if kind == "overloaded":
            return 503, {"error": "server busy, please try again"}, {}
        if kind == "context_too_long":
            return 500, {"error": "input length exceeds the context length"}, {}
        if kind == "quota":
            return 402, {"error": "payment required"}, {}
        return 500, {"error": "llama runner process has terminated: exit status 2"}, {}

    def thinks(self, model: str) -> bool:
        """Whether ``model`` has the thinking capability."""
        return model.startswith(THINKING_FAMILIES)

    def chat(self, request: RecordedRequest, *, fenced: bool) -> Response:
        body = request.body or {}
        model = str(body.get("model", ""))
        think = body.get("think")
        # Source: docs.ollama.com/capabilities/thinking: think on a model without the thinking
        # capability is a 400 '"<model>" does not support thinking'; gpt-oss takes levels.
        if think not in (None, False) and not self.thinks(model):
            return 400, {"error": f'"{model}" does not support thinking'}, {}
        if isinstance(think, str) and think not in ("low", "medium", "high"):
            return 400, {"error": f"invalid think value: {think!r}"}, {}
        # Source: docs.ollama.com/api/chat: format is "json" or a JSON schema object.
        output_format = body.get("format")
        if (
            output_format is not None
            and output_format != "json"
            and not isinstance(output_format, dict)
        ):
            return 400, {"error": 'invalid format: expected "json" or a JSON schema'}, {}
        text = self.text_for(request, fenced=fenced)
        prompt = json.dumps(body.get("messages", []))
        options = body.get("options") or {}
        limit = int(options.get("num_predict") or -1)
        # gpt-oss cannot stop thinking; other thinking models think unless think is false.
        thinking = self.thinks(model) and (think is not False or model.startswith("gpt-oss"))
        thought = self.thoughts if thinking else 0
        if limit > 0:
            thought = min(thought, limit)
        left = limit - thought if limit > 0 else None
        done_reason = "stop"
        if left is not None and count_tokens(text) > left:
            text, done_reason = text[: left * 4], "length"
        message: dict[str, Any] = {"role": "assistant", "content": text}
        if thought and think is not None:
            message["thinking"] = "Let me look at this function. " * (thought // 8)
        elif thought:
            # Without think the reasoning stays in the content, in <think> tags.
            message["content"] = "<think>" + "hmm " * thought + "</think>" + text
        return (
            200,
            {
                "model": model,
                "created_at": "2025-01-01T00:00:00.000000Z",
                "message": message,
                "done": True,
                "done_reason": done_reason,
                "total_duration": 1000000,
                "load_duration": 1000,
                "prompt_eval_count": count_tokens(prompt),
                "prompt_eval_duration": 1000,
                "eval_count": (count_tokens(text) if text else 0) + thought,
                "eval_duration": 1000,
            },
            {},
        )

    def show(self, request: RecordedRequest, *, fenced: bool) -> Response:
        model = str((request.body or {}).get("model", ""))
        capabilities = ["completion", *(["thinking"] if self.thinks(model) else [])]
        return (
            200,
            {
                "modelfile": "",
                "parameters": "",
                "template": "",
                "details": {"format": "gguf", "family": model.split(":")[0]},
                "model_info": {},
                "capabilities": capabilities,
                "modified_at": "2025-01-01T00:00:00.000000Z",
            },
            {},
        )

    def list_models(self, request: RecordedRequest, *, fenced: bool) -> Response:
        models = [
            {
                "name": name,
                "model": name,
                "modified_at": "2025-01-01T00:00:00.000000Z",
                "size": 4683087332,
                "digest": "a" * 64,
                "details": {
                    "format": "gguf",
                    "family": "qwen2",
                    "parameter_size": "7.6B",
                    "quantization_level": "Q4_K_M",
                },
            }
            for name in self.models
        ]
        return 200, {"models": models}, {}

    def version(self, request: RecordedRequest, *, fenced: bool) -> Response:
        return 200, {"version": VERSION}, {}
