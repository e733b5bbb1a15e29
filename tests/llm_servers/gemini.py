"""Gemini Developer API wire protocol: ``POST /v1/models/{model}:generateContent`` and
``GET /v1/models`` (``/v1beta`` too), key in the ``x-goog-api-key`` header.

Errors use the google.rpc shape ``{"error": {"code", "message", "status", "details"}}``; an
invalid key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID, as the real API answers.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tests.llm_servers.base import (
    ProtocolServer,
    RecordedRequest,
    Response,
    Step,
    count_tokens,
)

DEFAULT_MODELS = ["gemini-2.5-flash", "gemini-2.5-pro"]
_MODEL_IN_PATH = re.compile(r"/v1(?:beta)?/models/([^/:]+):generateContent")


def _error(
    code: int, status: str, message: str, details: list[dict[str, Any]] | None = None
) -> Response:
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details:
        error["details"] = details
    return code, {"error": error}, {}


class GeminiServer(ProtocolServer):
    """Gemini generateContent + models list. ``models`` defaults to :data:`DEFAULT_MODELS`."""

    routes = (
        ("POST", r"/v1(?:beta)?/models/[^/:]+:generateContent", "chat", "chat"),
        ("GET", r"/v1(?:beta)?/models", "models", "list_models"),
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("models", list(DEFAULT_MODELS))
        super().__init__(**kwargs)

    def authorized(self, request: RecordedRequest) -> bool:
        return request.headers.get("x-goog-api-key") == self.api_key

    def request_model(self, request: RecordedRequest) -> str | None:
        match = _MODEL_IN_PATH.fullmatch(request.path)
        return match.group(1) if match else None

    def error_response(self, kind: str, request: RecordedRequest, step: Step) -> Response:
        model = self.request_model(request)
        if kind == "auth":
            return _error(
                400,
                "INVALID_ARGUMENT",
                "API key not valid. Please pass a valid API key.",
                [
                    {
                        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                        "reason": "API_KEY_INVALID",
                        "domain": "googleapis.com",
                    }
                ],
            )
        if kind in ("quota", "rate_limit"):
            quota_id = (
                "GenerateRequestsPerDayPerProjectPerModel-FreeTier"
                if kind == "quota"
                else "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"
            )
            details: list[dict[str, Any]] = [
                {
                    "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                    "violations": [{"quotaId": quota_id}],
                }
            ]
            if step.retry_after:
                details.append(
                    {
                        "@type": "type.googleapis.com/google.rpc.RetryInfo",
                        "retryDelay": f"{step.retry_after:g}s",
                    }
                )
            return _error(
                429,
                "RESOURCE_EXHAUSTED",
                "You exceeded your current quota, please check your plan and billing details.",
                details,
            )
        if kind == "model_missing":
            return _error(
                404,
                "NOT_FOUND",
                f"models/{model} is not found for API version v1beta, or is not supported for "
                "generateContent.",
            )
        if kind == "context_too_long":
            return _error(
                400,
                "INVALID_ARGUMENT",
                "The input token count (1200000) exceeds the maximum number of tokens allowed "
                "(1048576).",
            )
        if kind == "overloaded":
            return _error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")
        return _error(500, "INTERNAL", "An internal error has occurred.")

    def chat(self, request: RecordedRequest, *, fenced: bool) -> Response:
        body = request.body or {}
        text = self.text_for(request, fenced=fenced)
        prompt = json.dumps(body.get("contents", [])) + json.dumps(
            body.get("systemInstruction", "")
        )
        tokens_in, tokens_out = count_tokens(prompt), count_tokens(text)
        return (
            200,
            {
                "candidates": [
                    {
                        "content": {"parts": [{"text": text}], "role": "model"},
                        "finishReason": "STOP",
                        "index": 0,
                    }
                ],
                "usageMetadata": {
                    "promptTokenCount": tokens_in,
                    "candidatesTokenCount": tokens_out,
                    "totalTokenCount": tokens_in + tokens_out,
                },
                "modelVersion": self.request_model(request),
                "responseId": "resp-test",
            },
            {},
        )

    def list_models(self, request: RecordedRequest, *, fenced: bool) -> Response:
        models = [
            {
                "name": f"models/{name}",
                "displayName": name,
                "supportedGenerationMethods": ["generateContent", "countTokens"],
                "inputTokenLimit": 1048576,
                "outputTokenLimit": 65536,
            }
            for name in self.models
        ]
        return 200, {"models": models}, {}
