"""OpenAI wire protocol: ``POST /v1/chat/completions`` and ``GET /v1/models``, Bearer auth.

``flavor="openai"`` (the default) enforces api.openai.com's rules per model family and reports
reasoning tokens; ``flavor="llama_cpp"`` behaves like llama-cpp-python's server (no
``json_schema`` response format, only ``max_tokens``). The rules and their sources:
:mod:`tests.llm_servers.openai_rules`.

Run alone: ``python -m tests.llm_servers.openai --port 8099 [--reply-module pkg.mod:func]
[--flavor llama_cpp]``; the base URL to configure is then ``http://127.0.0.1:8099/v1``.
"""

from __future__ import annotations

import argparse
import importlib
import time
from typing import Any

from tests.llm_servers.base import (
    ProtocolServer,
    RecordedRequest,
    Response,
    Step,
    count_tokens,
)
from tests.llm_servers.openai_rules import (
    check_llama_cpp,
    check_parameters,
    check_response_format,
    output_budget,
    reasoning_spent,
)

DEFAULT_MODELS = ["gpt-4.1-mini", "gpt-4o-mini"]
FLAVORS = ("openai", "llama_cpp")


def _error(status: int, message: str, type_: str, code: str | None, **headers: str) -> Response:
    body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
    return status, body, dict(headers)


class OpenAIServer(ProtocolServer):
    """OpenAI chat completions + models. ``models`` defaults to :data:`DEFAULT_MODELS`;
    ``flavor`` is one of :data:`FLAVORS` (see the module docstring). ``deployments`` maps
    names the server offers to the model behind them (as Azure OpenAI deployments do), for the
    family rules; other names are the model itself."""

    routes = (
        ("POST", "/v1/chat/completions", "chat", "chat"),
        ("GET", "/v1/models", "models", "list_models"),
    )
    api_prefix = "/v1"

    def __init__(
        self, *, flavor: str = "openai", deployments: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        assert flavor in FLAVORS, flavor
        kwargs.setdefault("models", list(DEFAULT_MODELS))
        super().__init__(**kwargs)
        self.flavor = flavor
        self.deployments = deployments or {}

    def authorized(self, request: RecordedRequest) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.api_key}"

    def error_response(self, kind: str, request: RecordedRequest, step: Step) -> Response:
        model = self.request_model(request)
        if kind == "auth":
            shown = request.headers.get("authorization", "")[7:]
            masked = f"{shown[:3]}***{shown[-4:]}" if len(shown) > 8 else "***"
            return _error(
                401,
                f"Incorrect API key provided: {masked}. You can find your API key at "
                "https://platform.openai.com/account/api-keys.",
                "invalid_request_error",
                "invalid_api_key",
            )
        if kind == "quota":
            return _error(
                429,
                "You exceeded your current quota, please check your plan and billing details.",
                "insufficient_quota",
                "insufficient_quota",
            )
        if kind == "model_missing":
            return _error(
                404,
                f"The model `{model}` does not exist or you do not have access to it.",
                "invalid_request_error",
                "model_not_found",
            )
        if kind == "rate_limit":
            headers = {"Retry-After": f"{step.retry_after:g}"} if step.retry_after else {}
            return _error(
                429,
                f"Rate limit reached for {model} on requests per min (RPM): Limit 3.",
                "requests",
                "rate_limit_exceeded",
                **headers,
            )
        if kind == "context_too_long":
            return _error(
                400,
                "This model's maximum context length is 8192 tokens. However, your messages "
                "resulted in 9000 tokens.",
                "invalid_request_error",
                "context_length_exceeded",
            )
        if kind == "overloaded":
            return _error(503, "The engine is currently overloaded.", "server_error", None)
        return _error(
            500, "The server had an error while processing your request.", "server_error", None
        )

    def wants_rejection(self, request: RecordedRequest) -> Response | None:
        if isinstance(request.body, dict) and "response_format" in request.body:
            return _error(
                400,
                "response_format is not supported by this server",
                "invalid_request_error",
                None,
            )
        return None

    def chat(self, request: RecordedRequest, *, fenced: bool) -> Response:
        body = request.body or {}
        model = self.deployments.get(str(body.get("model")), str(body.get("model")))
        refusal = (
            check_llama_cpp(body)
            if self.flavor == "llama_cpp"
            else check_parameters(body, model) or check_response_format(body)
        )
        if refusal is not None:
            return refusal
        text = self.text_for(request, fenced=fenced)
        prompt = "".join(str(m.get("content", "")) for m in body.get("messages", []))
        reasoning = reasoning_spent(body, model, self.flavor)
        budget = output_budget(body, self.flavor)
        finish = "stop"
        if budget is not None and reasoning + count_tokens(text) > budget:
            # The budget covers reasoning first, then the visible text [reasoning].
            finish = "length"
            reasoning = min(reasoning, budget)
            text = text[: (budget - reasoning) * 4]
        tokens_in = count_tokens(prompt)
        tokens_out = reasoning + (count_tokens(text) if text else 0)
        usage: dict[str, Any] = {
            "prompt_tokens": tokens_in,
            "completion_tokens": tokens_out,
            "total_tokens": tokens_in + tokens_out,
        }
        if self.flavor == "openai":
            usage["completion_tokens_details"] = {"reasoning_tokens": reasoning}
        return (
            200,
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", ""),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": finish,
                        "logprobs": None,
                    }
                ],
                "usage": usage,
            },
            {},
        )

    def list_models(self, request: RecordedRequest, *, fenced: bool) -> Response:
        data = [
            {"id": name, "object": "model", "created": 1700000000, "owned_by": "test"}
            for name in self.models
        ]
        return 200, {"object": "list", "data": data}, {}


def load_reply(spec: str) -> Any:
    """Import ``pkg.module:function`` and return the function."""
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted: ``--port N`` (required), optional ``--api-key``, ``--model``
    (repeatable) and ``--reply-module pkg.mod:func``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--model", action="append", default=None)
    parser.add_argument("--reply-module", default=None)
    parser.add_argument("--flavor", choices=FLAVORS, default="openai")
    args = parser.parse_args(argv)
    kwargs: dict[str, Any] = {"api_key": args.api_key, "flavor": args.flavor}
    if args.model:
        kwargs["models"] = args.model
    if args.reply_module:
        kwargs["reply"] = load_reply(args.reply_module)
    OpenAIServer(**kwargs).serve_forever(args.port)


if __name__ == "__main__":
    main()
