"""Anthropic wire protocol: ``POST /v1/messages`` and ``GET /v1/models``; the key comes in
``x-api-key`` or ``Authorization: Bearer``.

A request with a forced tool (``tool_choice`` type ``tool``) gets a ``tool_use`` block whose
input is the ``reply`` text parsed as JSON, as the real API answers forced tool calls.
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

DEFAULT_MODELS = ["claude-sonnet-4-6", "claude-haiku-4-5"]


def _error(status: int, type_: str, message: str, **headers: str) -> Response:
    body = {"type": "error", "error": {"type": type_, "message": message}}
    return status, body, {"request-id": "req_test", **headers}


class AnthropicServer(ProtocolServer):
    """Anthropic messages + models. ``models`` defaults to :data:`DEFAULT_MODELS`."""

    routes = (
        ("POST", "/v1/messages", "chat", "chat"),
        ("GET", "/v1/models", "models", "list_models"),
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("models", list(DEFAULT_MODELS))
        super().__init__(**kwargs)

    def authorized(self, request: RecordedRequest) -> bool:
        # The API takes ``x-api-key``; SDK 2.x sends the key as a bearer token instead.
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        return self.api_key in (request.headers.get("x-api-key"), bearer)

    def error_response(self, kind: str, request: RecordedRequest, step: Step) -> Response:
        model = self.request_model(request)
        if kind == "auth":
            return _error(401, "authentication_error", "invalid x-api-key")
        if kind == "quota":
            return _error(
                400,
                "invalid_request_error",
                "Your credit balance is too low to access the Anthropic API. Please go to "
                "Plans & Billing to upgrade or purchase credits.",
            )
        if kind == "model_missing":
            return _error(404, "not_found_error", f"model: {model}")
        if kind == "rate_limit":
            headers = {"retry-after": f"{step.retry_after:g}"} if step.retry_after else {}
            return _error(
                429,
                "rate_limit_error",
                "This request would exceed the rate limit for your organization.",
                **headers,
            )
        if kind == "overloaded":
            return _error(529, "overloaded_error", "Overloaded")
        if kind == "context_too_long":
            return _error(
                400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum"
            )
        return _error(500, "api_error", "Internal server error")

    def chat(self, request: RecordedRequest, *, fenced: bool) -> Response:
        body = request.body or {}
        text = self.text_for(request, fenced=fenced)
        prompt = json.dumps(body.get("messages", [])) + str(body.get("system", ""))
        choice = body.get("tool_choice") or {}
        if choice.get("type") == "tool":
            # A forced tool call's input is always an object; fences cannot occur there.
            text = self.reply(body)
            content = [
                {
                    "type": "tool_use",
                    "id": "toolu_test",
                    "name": choice["name"],
                    "input": json.loads(text),
                }
            ]
            stop_reason = "tool_use"
        else:
            content = [{"type": "text", "text": text}]
            stop_reason = "end_turn"
        return (
            200,
            {
                "id": "msg_test",
                "type": "message",
                "role": "assistant",
                "model": body.get("model", ""),
                "content": content,
                "stop_reason": stop_reason,
                "stop_sequence": None,
                "usage": {
                    "input_tokens": count_tokens(prompt),
                    "output_tokens": count_tokens(text),
                },
            },
            {},
        )

    def list_models(self, request: RecordedRequest, *, fenced: bool) -> Response:
        data = [
            {
                "type": "model",
                "id": name,
                "display_name": name,
                "created_at": "2025-01-01T00:00:00Z",
            }
            for name in self.models
        ]
        return (
            200,
            {
                "data": data,
                "has_more": False,
                "first_id": data[0]["id"] if data else None,
                "last_id": data[-1]["id"] if data else None,
            },
            {},
        )
