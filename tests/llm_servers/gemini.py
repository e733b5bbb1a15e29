"""Gemini Developer API wire protocol: ``POST /v1/models/{model}:generateContent`` and
``GET /v1/models`` (``/v1beta`` too), key in the ``x-goog-api-key`` header.

Errors use the google.rpc shape ``{"error": {"code", "message", "status", "details"}}``; an
invalid key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID, as the real API answers.

Thinking is played as the API documents it: 2.5 and 3 models think by default, the thoughts
count against ``maxOutputTokens``, and when they use it all the reply has no text and
``finishReason`` MAX_TOKENS. How many tokens the model "thinks" is ``thoughts`` (per level, and
for a budget: the whole budget). ``generationConfig`` is checked by :func:`check_generation`.
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

DEFAULT_MODELS = ["gemini-3.5-flash", "gemini-2.5-flash", "gemini-2.5-pro"]
# The output limit every current model lists (models.get outputTokenLimit).
OUTPUT_TOKEN_LIMIT = 65536
# Thinking tokens the simulated model spends per level when no budget is set ("dynamic" is
# the 2.5 default and the budget -1).
THOUGHTS = {"minimal": 0, "low": 300, "medium": 1500, "high": 6000, "dynamic": 3000}
_MODEL_IN_PATH = re.compile(r"/v1(?:beta)?/models/([^/:]+):generateContent")


def _error(
    code: int, status: str, message: str, details: list[dict[str, Any]] | None = None
) -> Response:
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details:
        error["details"] = details
    return code, {"error": error}, {}


def _field(body: dict[str, Any], name: str) -> Any:
    """A field by its JSON name or its proto name: the API's JSON parser takes both
    (``thinkingLevel`` or ``thinking_level``), and the SDK sends some in the proto form."""
    snake = re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)
    return body.get(name, body.get(snake))


def _bad(message: str) -> Response:
    return _error(400, "INVALID_ARGUMENT", message)


def _levels(model: str) -> set[str] | None:
    """Thinking levels a model takes; None for models that take only a budget (2.5)."""
    # Source: ai.google.dev/gemini-api/docs/thinking ("Thinking levels"): Gemini 3 Pro takes
    # low and high; Gemini 3 Flash models take minimal, low, medium and high; 2.5 models
    # take thinkingBudget only.
    if model.startswith("gemini-2."):
        return None
    if "pro" in model:
        return {"low", "high"}
    return {"minimal", "low", "medium", "high"}


def check_generation(model: str, config: dict[str, Any]) -> Response | None:
    """A 400 for a ``generationConfig`` the real API refuses, else None."""
    # Source: ai.google.dev/api/generate-content#generationconfig: maxOutputTokens is at most
    # the model's outputTokenLimit.
    asked = int(_field(config, "maxOutputTokens") or 0)
    if asked > OUTPUT_TOKEN_LIMIT:
        return _bad(
            f"The maximum number of output tokens ({asked}) exceeds the limit "
            f"({OUTPUT_TOKEN_LIMIT})."
        )
    # Source: ai.google.dev/gemini-api/docs/structured-output: a response schema needs
    # responseMimeType application/json; responseSchema and responseJsonSchema are exclusive.
    schemas = [k for k in ("responseSchema", "responseJsonSchema") if _field(config, k)]
    if len(schemas) == 2:
        return _bad("responseSchema and responseJsonSchema cannot both be set.")
    if schemas and _field(config, "responseMimeType") != "application/json":
        return _bad("response_mime_type must be application/json when a response schema is set.")
    thinking = _field(config, "thinkingConfig") or {}
    budget, level = _field(thinking, "thinkingBudget"), _field(thinking, "thinkingLevel")
    # Source: ai.google.dev/gemini-api/docs/thinking: thinkingBudget and thinkingLevel cannot
    # be used in the same request.
    if budget is not None and level is not None:
        return _bad("You can only set one of thinking budget and thinking level.")
    if level is not None:
        levels = _levels(model)
        if levels is None or str(level).lower() not in levels:
            return _bad(f"Thinking level {level} is not supported for this model.")
    if budget is not None and model.startswith("gemini-2.5"):
        # Source: ai.google.dev/gemini-api/docs/thinking ("Set budgets"): 2.5 Pro 128-32768 and
        # cannot turn thinking off; 2.5 Flash 0-24576; 2.5 Flash-Lite 512-24576 or 0; -1 dynamic.
        low, high = (128, 32768) if "pro" in model else (0, 24576)
        if "lite" in model and 0 < budget < 512:
            low = 512
        if budget == 0 and "pro" in model:
            return _bad("Budget 0 is invalid. This model only works in thinking mode.")
        if budget != -1 and not (low <= budget <= high):
            return _bad(
                f"The thinking budget {budget} is invalid. Please choose a value between "
                f"{low} and {high}."
            )
    return None


def thoughts_for(model: str, config: dict[str, Any], thoughts: dict[str, int]) -> int:
    """Thinking tokens the simulated model spends for this request."""
    if model.startswith("gemini-2.0") or model.startswith("gemma"):
        return 0  # models without thinking
    thinking = _field(config, "thinkingConfig") or {}
    budget, level = _field(thinking, "thinkingBudget"), _field(thinking, "thinkingLevel")
    if budget is not None and budget >= 0:
        return int(budget)
    if level is not None:
        return thoughts[str(level).lower()]
    # Source: ai.google.dev/gemini-api/docs/thinking: without a thinking config, 2.5 models
    # think dynamically and Gemini 3 models at level high.
    return thoughts["dynamic" if model.startswith("gemini-2.5") or budget == -1 else "high"]


class GeminiServer(ProtocolServer):
    """Gemini generateContent + models list. ``models`` defaults to :data:`DEFAULT_MODELS`."""

    routes = (
        ("POST", r"/v1(?:beta)?/models/[^/:]+:generateContent", "chat", "chat"),
        ("GET", r"/v1(?:beta)?/models", "models", "list_models"),
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("models", list(DEFAULT_MODELS))
        thoughts = kwargs.pop("thoughts", {})
        super().__init__(**kwargs)
        self.thoughts = {**THOUGHTS, **thoughts}

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
        model = self.request_model(request) or ""
        generation = _field(body, "generationConfig") or {}
        refused = check_generation(model, generation)
        if refused is not None:
            return refused
        text = self.text_for(request, fenced=fenced)
        prompt = json.dumps(body.get("contents", [])) + json.dumps(
            body.get("systemInstruction", "")
        )
        tokens_in = count_tokens(prompt)
        limit = int(_field(generation, "maxOutputTokens") or OUTPUT_TOKEN_LIMIT)
        thoughts = min(thoughts_for(model, generation, self.thoughts), limit)
        # Thoughts come first and count against maxOutputTokens: what is left is for the text.
        left = limit - thoughts
        finish = "STOP"
        if count_tokens(text) > left:
            text, finish = text[: left * 4], "MAX_TOKENS"
        tokens_out = count_tokens(text) if text else 0
        candidate: dict[str, Any] = {"finishReason": finish, "index": 0}
        if text:
            candidate["content"] = {"parts": [{"text": text}], "role": "model"}
        else:
            candidate["content"] = {"role": "model"}
        usage: dict[str, Any] = {
            "promptTokenCount": tokens_in,
            "totalTokenCount": tokens_in + tokens_out + thoughts,
        }
        if text:
            usage["candidatesTokenCount"] = tokens_out
        if thoughts:
            usage["thoughtsTokenCount"] = thoughts
        return (
            200,
            {
                "candidates": [candidate],
                "usageMetadata": usage,
                "modelVersion": model,
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
