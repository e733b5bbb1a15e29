"""From a model's reply to a validated output model: JSON extraction (code fences and
``<think>`` blocks tolerated), Pydantic validation, and one repair attempt that sends the
validation error back to the model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from binscribe.explain.calls import Caller, ItemFailed
from binscribe.explain.report import Usage
from binscribe.explain.schemas import json_schema_of
from binscribe.explain.templates import render_user
from binscribe.llm.base import ChatMessage, Completion
from binscribe.llm.jsontext import extract_json

_MAX_ERRORS_SHOWN = 6
_MAX_ECHO_CHARS = 8_000


class InvalidOutput(ValueError):
    """The reply is not a JSON object matching the schema; ``reason`` says why, briefly."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_reply[M: BaseModel](text: str, parsed: Any, schema: type[M]) -> M:
    """Validate a reply against ``schema``: ``parsed`` when the adapter already extracted JSON,
    else the JSON found in ``text``.

    Raises:
        InvalidOutput: no JSON object in the reply, or it does not match ``schema``.
    """
    value = parsed if parsed is not None else extract_json(text)
    if value is None:
        raise InvalidOutput("the reply contains no JSON value.")
    if not isinstance(value, dict):
        raise InvalidOutput(f"expected a JSON object, got a JSON {type(value).__name__}.")
    try:
        return schema.model_validate(value)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(part) for part in error['loc']) or '(root)'}: {error['msg']}"
            for error in exc.errors()[:_MAX_ERRORS_SHOWN]
        ]
        raise InvalidOutput("; ".join(problems) + ".") from None


def _parse(completion: Completion, schema: type[BaseModel]) -> Any:
    return parse_reply(completion.text, completion.parsed, schema)


async def ask[M: BaseModel](
    caller: Caller,
    messages: list[ChatMessage],
    schema: type[M],
    *,
    max_tokens: int,
    usage: Usage,
    finishing: bool = False,
) -> M:
    """Ask for ``schema``'s JSON; on an invalid reply ask once more with the reason appended.
    ``finishing``: as :meth:`Caller.complete` (made even past the run's budget).

    Raises:
        ItemFailed: ``invalid_output`` when the repaired reply is still invalid; provider
            failures and cancellation as :meth:`Caller.complete` raises them.
    """
    json_schema = json_schema_of(schema)
    completion = await caller.complete(
        messages, max_tokens=max_tokens, json_schema=json_schema, usage=usage, finishing=finishing
    )
    try:
        result: M = _parse(completion, schema)
        return result
    except InvalidOutput as exc:
        first_error = exc.reason
    repair = [
        *messages,
        ChatMessage("assistant", completion.text[:_MAX_ECHO_CHARS] or "(empty reply)"),
        ChatMessage("user", render_user("repair", error=first_error)),
    ]
    completion = await caller.complete(
        repair, max_tokens=max_tokens, json_schema=json_schema, usage=usage, finishing=finishing
    )
    try:
        result = _parse(completion, schema)
        return result
    except InvalidOutput as exc:
        raise ItemFailed(
            "invalid_output",
            f"The model's reply did not match the expected format, even after one repair "
            f"attempt: {exc.reason}",
        ) from None
