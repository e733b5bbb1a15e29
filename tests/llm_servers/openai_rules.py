"""The request rules the OpenAI protocol server enforces, as the real servers do.

Flavor ``openai`` (api.openai.com), sources:

- [params] API reference, "Create chat completion": ``max_tokens`` is deprecated "and is not
  compatible with o-series models"; ``max_completion_tokens`` bounds visible and reasoning
  tokens; ``reasoning_effort`` applies to reasoning models only.
- [reasoning] Reasoning guide and the GPT-5 / GPT-5.1 model pages: reasoning models take no
  ``temperature``/``top_p`` other than the default 1; effort values per family (gpt-5:
  minimal/low/medium/high; gpt-5.1 and later: none/low/medium/high/xhigh; o-series:
  low/medium/high); ``usage.completion_tokens_details.reasoning_tokens`` reports the thinking,
  which counts against ``max_completion_tokens`` (``finish_reason: length`` with empty content
  when it uses them all).
- [errors] The error bodies are OpenAI's own wording, as the API returns them (400,
  ``invalid_request_error``, ``param`` set, ``code`` ``unsupported_parameter`` or
  ``unsupported_value``).
- [strict] Structured Outputs guide, "Supported schemas": the root is an object, not
  ``anyOf``; every object sets ``additionalProperties: false`` and lists every property in
  ``required``; only the supported keywords appear (``minLength``, ``default`` ... are refused).

Flavor ``llama_cpp`` (llama-cpp-python 0.3's ``llama_cpp.server``, sources
``llama_cpp/server/types.py``, ``llama_types.py`` and ``errors.py``): ``response_format.type`` is
``Literal["text", "json_object"]``, so ``json_schema`` fails request validation, which the
server's ``RouteErrorHandler`` answers as HTTP 500 ``internal_server_error`` quoting the
validation error (seen on the real server in the ``llm_real`` suite); unknown fields
(``max_completion_tokens``, ``reasoning_effort``) are ignored; ``max_tokens`` bounds the output;
no reasoning tokens in usage.
"""

from __future__ import annotations

from typing import Any

from tests.llm_servers.base import Response

REASONING_PREFIXES = ("gpt-5", "o1", "o3", "o4")
# Reasoning tokens the stand-in model spends per effort [reasoning].
REASONING_SPENT = {"none": 0, "minimal": 8, "low": 64, "medium": 256, "high": 1024, "xhigh": 4096}
# [strict] "Supported properties", plus structure and annotations.
STRICT_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "const",
        "anyOf",
        "$ref",
        "$defs",
        "definitions",
        "description",
        "title",
        "pattern",
        "format",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "minItems",
        "maxItems",
    }
)


def openai_error(status: int, message: str, param: str | None, code: str | None) -> Response:
    """An OpenAI error body [errors]."""
    body = {
        "error": {
            "message": message,
            "type": "invalid_request_error",
            "param": param,
            "code": code,
        }
    }
    return status, body, {}


def is_reasoning(model: str) -> bool:
    """gpt-5* (not the ``-chat`` aliases) and the o-series [reasoning]."""
    return model.startswith(REASONING_PREFIXES) and "-chat" not in model


def efforts(model: str) -> tuple[str, ...]:
    """The ``reasoning_effort`` values ``model`` accepts [reasoning]."""
    if model.startswith("gpt-5."):
        return ("none", "low", "medium", "high", "xhigh")
    if model.startswith("gpt-5"):
        return ("minimal", "low", "medium", "high")
    return ("low", "medium", "high")


def _quoted(values: tuple[str, ...]) -> str:
    items = [f"'{v}'" for v in values]
    return ", ".join(items[:-1]) + f", and {items[-1]}"


def check_parameters(body: dict[str, Any], model: str) -> Response | None:
    """The error api.openai.com returns for ``body``'s sampling and budget parameters, when the
    request's model (or deployment) is ``model``."""
    if not is_reasoning(model):
        if "reasoning_effort" in body:
            return openai_error(
                400,
                "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
                "reasoning_effort",
                "unsupported_parameter",
            )
        return None
    if "max_tokens" in body:
        return openai_error(
            400,
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
            "max_tokens",
            "unsupported_parameter",
        )
    for name in ("temperature", "top_p"):
        if name in body and body[name] != 1:
            return openai_error(
                400,
                f"Unsupported value: '{name}' does not support {body[name]} with this model. "
                "Only the default (1) value is supported.",
                name,
                "unsupported_value",
            )
    effort = body.get("reasoning_effort")
    if effort is not None and effort not in efforts(model):
        return openai_error(
            400,
            f"Unsupported value: 'reasoning_effort' does not support '{effort}' with this "
            f"model. Supported values are: {_quoted(efforts(model))}.",
            "reasoning_effort",
            "unsupported_value",
        )
    return None


def _schema_problem(node: Any, context: tuple[str, ...]) -> str | None:
    if not isinstance(node, dict):
        return None
    for key in node:
        if key not in STRICT_KEYWORDS:
            return f"In context={context!r}, '{key}' is not permitted."
    if node.get("type") == "object" or "properties" in node:
        if node.get("additionalProperties") is not False:
            return (
                f"In context={context!r}, 'additionalProperties' is required to be supplied "
                "and to be false."
            )
        required = node.get("required", [])
        missing = [name for name in node.get("properties", {}) if name not in required]
        if "required" not in node or missing:
            return (
                f"In context={context!r}, 'required' is required to be supplied and to be an "
                f"array including every key in properties. Missing '{(missing or ['?'])[0]}'."
            )
    for group in ("properties", "$defs", "definitions"):
        for name, sub in node.get(group, {}).items():
            problem = _schema_problem(sub, (*context, group, name))
            if problem:
                return problem
    if isinstance(node.get("items"), dict):
        problem = _schema_problem(node["items"], (*context, "items"))
        if problem:
            return problem
    for index, sub in enumerate(node.get("anyOf", [])):
        problem = _schema_problem(sub, (*context, "anyOf", str(index)))
        if problem:
            return problem
    return None


def check_response_format(body: dict[str, Any]) -> Response | None:
    """The error api.openai.com returns for an invalid strict ``json_schema`` [strict]."""
    fmt = body.get("response_format")
    if not isinstance(fmt, dict) or fmt.get("type") != "json_schema":
        return None
    spec = fmt.get("json_schema") or {}
    if not spec.get("strict"):
        return None
    schema = spec.get("schema") or {}
    problem = (
        "In context=(), the root must be an object, not 'anyOf'."
        if "anyOf" in schema or schema.get("type") != "object"
        else _schema_problem(schema, ())
    )
    if problem is None:
        return None
    return openai_error(
        400,
        f"Invalid schema for response_format '{spec.get('name', '')}': {problem}",
        "response_format",
        None,
    )


def check_llama_cpp(body: dict[str, Any]) -> Response | None:
    """llama-cpp-python's answer to a ``response_format`` type it does not know: HTTP 500 with
    the validation error wrapped OpenAI-style (``errors.py``, ``error_message_wrapper``)."""
    fmt = body.get("response_format")
    if isinstance(fmt, dict) and fmt.get("type") not in ("text", "json_object"):
        detail = {
            "type": "literal_error",
            "loc": ("body", "response_format", "type"),
            "msg": "Input should be 'text' or 'json_object'",
            "input": fmt.get("type"),
            "ctx": {"expected": "'text' or 'json_object'"},
        }
        message = (
            f'1 validation error:\n  {detail}\n\n  File "llama_cpp/server/app.py", line 376, '
            "in create_chat_completion\n    POST /v1/chat/completions"
        )
        error = {"message": message, "type": "internal_server_error", "param": None, "code": None}
        return 500, {"error": error}, {}
    return None


def output_budget(body: dict[str, Any], flavor: str) -> int | None:
    """The output bound the server honours: llama.cpp knows only ``max_tokens``; OpenAI takes
    ``max_completion_tokens`` (or the deprecated ``max_tokens`` on older models) [params]."""
    if flavor == "llama_cpp":
        return body.get("max_tokens")
    return body.get("max_completion_tokens", body.get("max_tokens"))


def reasoning_spent(body: dict[str, Any], model: str, flavor: str) -> int:
    """Reasoning tokens the stand-in ``model`` spends (OpenAI reasoning models only); the
    default effort is ``medium`` (gpt-5.1 and later: ``none``) [reasoning]."""
    if flavor != "openai" or not is_reasoning(model):
        return 0
    default = "none" if model.startswith("gpt-5.") else "medium"
    return REASONING_SPENT[str(body.get("reasoning_effort") or default)]
