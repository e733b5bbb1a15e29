"""Anthropic wire protocol: ``POST /v1/messages`` and ``GET /v1/models``; the key comes in
``x-api-key`` or ``Authorization: Bearer``.

A request with a forced tool (``tool_choice`` type ``tool``) gets a ``tool_use`` block whose
input is the ``reply`` text parsed as JSON, as the real API answers forced tool calls.

Requests are checked against the documented rules (:func:`check_request`, source of each rule in
a comment) for the model families of binscribe.llm.thinking. Thinking is played: it comes
first, counts toward ``max_tokens`` (``stop_reason`` max_tokens with no text when it uses it
all) and is reported in ``usage.output_tokens_details.thinking_tokens``; ``thoughts`` sets how
much the simulated model thinks per effort level or budget.
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

DEFAULT_MODELS = ["claude-sonnet-5-5", "claude-opus-5-5", "claude-sonnet-4-6", "claude-haiku-4-5"]
# Thinking tokens the simulated model spends per effort level (adaptive thinking).
THOUGHTS = {"low": 200, "medium": 1000, "high": 4000, "xhigh": 8000, "max": 16000}
# Source for the families below: platform.claude.com/docs/en/build-with-claude/
# thinking-troubleshooting ("Thinking support, defaults, and rejected configurations by model")
# and the models' "What's new" pages (Opus 5.5, Sonnet 5.5).
ALWAYS_THINKS = ("claude-opus-5-5", "claude-fable-", "claude-mythos-")
NO_FORCED_TOOLS = ("claude-opus-5-5", "claude-sonnet-5-5", "claude-fable-5-1")
# Source: build-with-claude/structured-outputs ("JSON Schema limitations").
UNSUPPORTED_SCHEMA_KEYS = frozenset(
    {
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
    }
)


def _error(status: int, type_: str, message: str, **headers: str) -> Response:
    body = {"type": "error", "error": {"type": type_, "message": message}}
    return status, body, {"request-id": "req_test", **headers}


def _version(model: str) -> tuple[int, int]:
    numbers = [int(n) for n in re.findall(r"(?<![0-9])(\d{1,2})(?![0-9])", model)]
    return (numbers[0], numbers[1] if len(numbers) > 1 else 0) if numbers else (5, 5)


def _bad(message: str) -> Response:
    return _error(400, "invalid_request_error", message)


def _schema_problem(schema: Any, path: str = "schema") -> str | None:
    """Why ``output_config.format.schema`` breaks the structured-output rules, or None."""
    if not isinstance(schema, dict):
        return None
    for key in UNSUPPORTED_SCHEMA_KEYS & schema.keys():
        return f"output_config.format.{path}: '{key}' is not supported"
    if schema.get("type") == "object" and schema.get("additionalProperties") is not False:
        # Source: structured-outputs: "additionalProperties must be set to false" for objects.
        return f"output_config.format.{path}: objects must set additionalProperties to false"
    if schema.get("minItems") not in (None, 0, 1):
        return f"output_config.format.{path}: minItems other than 0 or 1 is not supported"
    children = list((schema.get("properties") or {}).items())
    children += [("items", schema["items"])] if "items" in schema else []
    children += [(f"anyOf.{i}", v) for i, v in enumerate(schema.get("anyOf") or [])]
    children += list((schema.get("$defs") or {}).items())
    for name, child in children:
        problem = _schema_problem(child, f"{path}.{name}")
        if problem:
            return problem
    return None


def thinking_tokens(model: str, body: dict[str, Any], thoughts: dict[str, int] = THOUGHTS) -> int:
    """Tokens the simulated model thinks for this request (0: no thinking)."""
    thinking = body.get("thinking") or {}
    kind = thinking.get("type")
    effort = (body.get("output_config") or {}).get("effort")
    if kind == "enabled":
        return int(thinking["budget_tokens"])
    if kind in ("disabled", "between_tools"):
        return 0
    if kind == "adaptive" or (kind is None and (_version(model) >= (5, 0))):
        # Source: thinking-troubleshooting: Claude 5 models think by default (adaptive); the
        # default effort is high (medium on Opus 5.5 and Haiku 5.5).
        default = "medium" if model.startswith(("claude-opus-5-5", "claude-haiku-5-5")) else "high"
        return thoughts[effort or default]
    return 0


def check_request(model: str, body: dict[str, Any]) -> Response | None:
    """A 400 for a request the real Messages API refuses, else None."""
    version = _version(model.removeprefix("claude-"))
    max_tokens = body.get("max_tokens")
    # Source: docs.claude.com/en/api/messages: max_tokens is required.
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
        return _bad("max_tokens: Field required")
    # Source: models overview: max output 128K tokens (64K on Claude 4.5 and earlier).
    limit = 128_000 if version >= (4, 6) else 64_000
    if max_tokens > limit:
        return _bad(
            f"max_tokens: {max_tokens} > {limit}, which is the maximum allowed number "
            f"of output tokens for {model}"
        )
    thinking = body.get("thinking") or {}
    kind = thinking.get("type")
    not_supported = (
        f'"thinking.type.{kind}" is not supported for this model. Use "thinking.type.adaptive" '
        'and "output_config.effort" to control thinking behavior.'
    )
    always = model.startswith(ALWAYS_THINKS)
    if kind == "enabled":
        # Source: extended-thinking: budget_tokens >= 1024 and < max_tokens; refused by Claude
        # 4.7 and later (thinking-troubleshooting).
        if version >= (4, 7) or always:
            return _bad(not_supported)
        budget = thinking.get("budget_tokens")
        if not isinstance(budget, int) or budget < 1024:
            return _bad(
                "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"
            )
        if max_tokens <= budget:
            return _bad("`max_tokens` must be greater than `thinking.budget_tokens`.")
    elif kind == "adaptive" and version < (4, 6):
        return _bad(not_supported)  # adaptive thinking arrived with Claude 4.6
    elif kind == "disabled" and (always or model.startswith("claude-sonnet-5-5")):
        return _bad(not_supported)  # always on; Sonnet 5.5 turns it off with between_tools
    elif kind == "between_tools" and (version < (5, 0) or always):
        return _bad(not_supported)
    elif kind not in (None, "enabled", "adaptive", "disabled", "between_tools"):
        return _bad(
            f"thinking.type: Input tag '{kind}' found using 'type' does not match any "
            "of the expected tags"
        )
    thinks = thinking_tokens(model, body) > 0 or always
    # Source: extended-thinking ("Feature compatibility"): with thinking, temperature only 1
    # and top_k not at all; Claude 5 refuses any non-default sampling (Sonnet 5 overview).
    for key in ("temperature", "top_p", "top_k"):
        if key in body and (
            version >= (5, 0) or (thinks and not (key == "temperature" and body[key] == 1))
        ):
            return _bad(
                f"`{key}` may only be set to 1 when thinking is enabled"
                if thinks
                else f"`{key}` is not supported for this model"
            )
    output_config = body.get("output_config") or {}
    effort = output_config.get("effort")
    # Source: build-with-claude/effort: low, medium, high, xhigh, max on Claude 4.6 and later.
    if effort is not None and (version < (4, 6) or effort not in THOUGHTS):
        return _bad(f"output_config.effort: '{effort}' is not supported for this model")
    output_format = output_config.get("format")
    if output_format is not None:
        # Source: structured-outputs: Claude 4.5 models and later; type json_schema + schema.
        if version < (4, 5):
            return _bad(f"output_config.format: structured outputs are not supported for {model}")
        if output_format.get("type") != "json_schema" or "schema" not in output_format:
            return _bad("output_config.format: expected type 'json_schema' with a 'schema'")
        problem = _schema_problem(output_format["schema"])
        if problem:
            return _bad(problem)
    tools = body.get("tools") or []
    for index, tool in enumerate(tools):
        # Source: tool use "Specifying client tools": name ^[a-zA-Z0-9_-]{1,64}$, input_schema
        # a JSON Schema object.
        if not re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", str(tool.get("name", ""))):
            return _bad(
                f"tools.{index}.name: String should match pattern '^[a-zA-Z0-9_-]{{1,64}}$'"
            )
        if (tool.get("input_schema") or {}).get("type") != "object":
            return _bad(f"tools.{index}.input_schema.type: Input should be 'object'")
    choice = body.get("tool_choice") or {}
    if choice.get("type") in ("tool", "any"):
        # Source: extended-thinking: thinking allows tool_choice auto or none only; Opus 5.5,
        # Sonnet 5.5, Fable 5.1 refuse forced tool use altogether (their What's new pages).
        if model.startswith(NO_FORCED_TOOLS):
            return _bad(
                f"tool_choice forces tool use, which {model} does not support. Use "
                'tool_choice {"type": "auto"} or output_config.format.'
            )
        if thinks:
            return _bad("Thinking may not be enabled when tool_choice forces tool use.")
        if choice.get("type") == "tool" and choice.get("name") not in {
            t.get("name") for t in tools
        }:
            return _bad(f"tool_choice: tool '{choice.get('name')}' not found in tools")
    return None


class AnthropicServer(ProtocolServer):
    """Anthropic messages + models. ``models`` defaults to :data:`DEFAULT_MODELS`."""

    routes = (
        ("POST", "/v1/messages", "chat", "chat"),
        ("GET", "/v1/models", "models", "list_models"),
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("models", list(DEFAULT_MODELS))
        thoughts = kwargs.pop("thoughts", {})
        super().__init__(**kwargs)
        self.thoughts = {**THOUGHTS, **thoughts}

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
        model = str(body.get("model", ""))
        refused = check_request(model, body)
        if refused is not None:
            return refused
        text = self.text_for(request, fenced=fenced)
        prompt = json.dumps(body.get("messages", [])) + str(body.get("system", ""))
        max_tokens = int(body["max_tokens"])
        thought = min(thinking_tokens(model, body, self.thoughts), max_tokens)
        content: list[dict[str, Any]] = []
        if thought:
            # display "omitted" (the default on current models): empty text, a signature.
            content.append({"type": "thinking", "thinking": "", "signature": "sig-test"})
        left = max_tokens - thought
        choice = body.get("tool_choice") or {}
        stop_reason = "end_turn"
        if left <= 0:
            stop_reason, answer_tokens = "max_tokens", 0
        elif choice.get("type") == "tool":
            # A forced tool call's input is always an object; fences cannot occur there.
            text = self.reply(body)
            content.append(
                {
                    "type": "tool_use",
                    "id": "toolu_test",
                    "name": choice["name"],
                    "input": json.loads(text),
                }
            )
            stop_reason, answer_tokens = "tool_use", count_tokens(text)
        else:
            if count_tokens(text) > left:
                text, stop_reason = text[: left * 4], "max_tokens"
            content.append({"type": "text", "text": text})
            answer_tokens = count_tokens(text)
        return (
            200,
            {
                "id": "msg_test",
                "type": "message",
                "role": "assistant",
                "model": model,
                "content": content,
                "stop_reason": stop_reason,
                "stop_sequence": None,
                "usage": {
                    "input_tokens": count_tokens(prompt),
                    "output_tokens": answer_tokens + thought,
                    "output_tokens_details": {"thinking_tokens": thought},
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
