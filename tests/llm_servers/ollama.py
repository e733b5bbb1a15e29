"""Ollama wire protocol: ``POST /api/chat`` (non-streaming), ``GET /api/tags``,
``GET /api/version``; errors as ``{"error": "..."}``.

Ollama itself has no keys; with ``api_key`` set this server plays a proxy that wants
``Authorization: Bearer <key>``.
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

DEFAULT_MODELS = ["qwen2.5-coder:7b", "llama3.2:latest"]
VERSION = "0.12.3"


class OllamaServer(ProtocolServer):
    """Ollama chat, tags and version. ``models`` defaults to :data:`DEFAULT_MODELS`."""

    routes = (
        ("POST", "/api/chat", "chat", "chat"),
        ("GET", "/api/tags", "models", "list_models"),
        ("GET", "/api/version", "version", "version"),
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("models", list(DEFAULT_MODELS))
        super().__init__(**kwargs)

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

    def chat(self, request: RecordedRequest, *, fenced: bool) -> Response:
        body = request.body or {}
        text = self.text_for(request, fenced=fenced)
        prompt = json.dumps(body.get("messages", []))
        return (
            200,
            {
                "model": body.get("model", ""),
                "created_at": "2025-01-01T00:00:00.000000Z",
                "message": {"role": "assistant", "content": text},
                "done": True,
                "done_reason": "stop",
                "total_duration": 1000000,
                "load_duration": 1000,
                "prompt_eval_count": count_tokens(prompt),
                "prompt_eval_duration": 1000,
                "eval_count": count_tokens(text),
                "eval_duration": 1000,
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
