"""JSON output on the Chat Completions API: OpenAI's strict structured outputs, and the
ladder of ``response_format`` modes for compatible servers that refuse some of them.

Strict mode (OpenAI guide "Structured Outputs", section "Supported schemas") accepts a subset of
JSON Schema: the root is an object; every object sets ``additionalProperties: false`` and lists
all its properties in ``required`` (an optional field becomes a union with ``null``); only the
keywords in :data:`STRICT_KEYWORDS` may appear. :func:`strict_schema` rewrites a Pydantic schema
that way; :func:`drop_optional_nulls` turns the nulls back into absent fields so the caller's
model applies its defaults. Constraints the rewrite removes (``minLength``, ``default``) are
still checked by the caller's own validation, which asks for a repair when they fail.
"""

from __future__ import annotations

import json
import threading
from typing import Any

# Keywords strict mode accepts ("Supported properties" in the guide, plus structure).
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

JSON_MODES = ("json_schema", "json_object", "plain")
"""``response_format`` modes, best first; ``plain`` (schema in the prompt only) is never refused."""


def schema_instruction(json_schema: dict[str, Any]) -> str:
    """System-prompt text asking for JSON matching ``json_schema`` (for servers without
    structured output)."""
    return (
        "Reply with one JSON object only, no prose and no code fences, matching this JSON "
        f"schema:\n{json.dumps(json_schema, separators=(',', ':'))}"
    )


def _strict(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key not in STRICT_KEYWORDS:
            continue
        if key in ("properties", "$defs", "definitions"):
            out[key] = {name: _strict(sub) for name, sub in value.items()}
        else:
            out[key] = _strict(value)
    if "properties" in out or out.get("type") == "object":
        properties = out.setdefault("properties", {})
        required = set(node.get("required", []))
        for name, sub in properties.items():
            if name not in required:
                properties[name] = {"anyOf": [sub, {"type": "null"}]}
        out["required"] = list(properties)
        out["additionalProperties"] = False
    return out


def strict_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` rewritten to satisfy OpenAI's strict mode (see the module docstring)."""
    result: dict[str, Any] = _strict(schema)
    return result


def drop_optional_nulls(value: Any, schema: dict[str, Any]) -> Any:
    """``value`` with every ``null`` removed whose property is optional in ``schema`` (the
    original one, before :func:`strict_schema`); ``$ref`` into ``$defs`` is followed."""
    defs = {**schema.get("definitions", {}), **schema.get("$defs", {})}

    def walk(item: Any, node: dict[str, Any]) -> Any:
        ref = node.get("$ref")
        if isinstance(ref, str):
            node = defs.get(ref.rsplit("/", 1)[-1], {})
        if isinstance(item, dict) and isinstance(node.get("properties"), dict):
            required = set(node.get("required", []))
            properties = node["properties"]
            return {
                key: walk(sub, properties.get(key, {}))
                for key, sub in item.items()
                if not (sub is None and key in properties and key not in required)
            }
        if isinstance(item, list) and isinstance(node.get("items"), dict):
            return [walk(sub, node["items"]) for sub in item]
        return item

    return walk(value, schema)


def response_format(mode: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    """The ``response_format`` for ``mode`` (None for ``plain``)."""
    if mode == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": "response", "strict": True, "schema": strict_schema(schema)},
        }
    if mode == "json_object":
        # llama.cpp reads "schema" here and constrains output to it; others ignore it.
        return {"type": "json_object", "schema": schema}
    return None


def refuses_format(status: int, error: object) -> bool:
    """Whether an HTTP ``status`` error (the SDK's exception, whose text includes the body)
    says the server refuses our ``response_format``. Compatible servers answer 400, 422 or
    even 500; auth, missing-model and rate-limit statuses never mean that."""
    text = f"{error} {getattr(error, 'body', '')}"
    return status not in (401, 403, 404, 429) and (
        "response_format" in text or "json_schema" in text
    )


class JsonModeLadder:
    """The best JSON mode the server has not refused; safe under concurrency.

    Concurrent calls refused for the same mode move the ladder one step (``refuse`` is
    idempotent); it never passes ``plain``, which no server can refuse.
    """

    def __init__(self) -> None:
        self._refused: set[str] = set()
        self._lock = threading.Lock()

    def current(self) -> str:
        """The mode to try now."""
        return next(mode for mode in JSON_MODES if mode not in self._refused)

    def refuse(self, mode: str) -> None:
        """Record that the server refused ``mode`` (``plain`` is ignored)."""
        if mode != "plain":
            with self._lock:
                self._refused.add(mode)
