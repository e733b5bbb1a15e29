"""What binscribe sends to OpenAI's Chat Completions API per model family, and how it learns
what an OpenAI-compatible server refuses.

Family rules (OpenAI API reference, "Create chat completion", and the reasoning guide):

- ``max_tokens`` is deprecated and refused by reasoning models; ``max_completion_tokens`` bounds
  visible output plus reasoning tokens on every current model. OpenAI itself always gets
  ``max_completion_tokens``; compatible servers (llama.cpp, vLLM, LM Studio) get ``max_tokens``
  first, because some ignore the newer name and would generate without a bound.
- Reasoning models (``gpt-5*`` except the ``*-chat*`` aliases, ``o1*``, ``o3*``, ``o4*``) refuse
  a non-default ``temperature``/``top_p`` (``unsupported_value``) and take ``reasoning_effort``.
- Whatever the tables get wrong (a deployment name that hides its family, an older server), a
  server's refusal of a parameter is learned by the adapter's :class:`ParameterLadder`, once per
  adapter, and the call is sent again without it; a value the user configured is never dropped
  but reported (``unsupported_parameter``). Why binscribe sends what: docs/providers-openai.md.
"""

from __future__ import annotations

import threading
from enum import StrEnum
from typing import Any


class ReasoningEffort(StrEnum):
    """Values of OpenAI's ``reasoning_effort`` (provider config key ``reasoning_effort``).

    ``none`` exists on gpt-5.1 and later, ``minimal`` on gpt-5, ``xhigh`` on the newest models;
    ``low``, ``medium`` and ``high`` on every reasoning model.
    """

    NONE = "none"
    MINIMAL = "minimal"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    XHIGH = "xhigh"


DEFAULT_REASONING_EFFORT = ReasoningEffort.LOW
"""Explanations need little deliberation; low keeps latency and cost down."""

# Output tokens added to the answer's budget for the model's reasoning (max_completion_tokens
# counts both); a cap, not a charge: only tokens used are billed.
REASONING_ROOM: dict[ReasoningEffort, int] = {
    ReasoningEffort.NONE: 0,
    ReasoningEffort.MINIMAL: 1_024,
    ReasoningEffort.LOW: 4_096,
    ReasoningEffort.MEDIUM: 16_384,
    ReasoningEffort.HIGH: 32_768,
    ReasoningEffort.XHIGH: 65_536,
}

_REASONING_PREFIXES = ("gpt-5", "o1", "o3", "o4")

# Wording of "this parameter is not accepted" across OpenAI and compatible servers.
_REFUSAL_WORDS = (
    "unsupported",
    "not supported",
    "unrecognized",
    "unknown",
    "not permitted",
    "extra inputs",
    "extra_forbidden",
    "not allowed",
    "invalid parameter",
)


def is_reasoning_model(model: str) -> bool:
    """Whether ``model`` (optionally ``vendor/``-prefixed, as proxies name it) is an OpenAI
    reasoning model: ``gpt-5*`` (not the ``-chat`` aliases), ``o1*``, ``o3*``, ``o4*``."""
    name = model.lower().rsplit("/", 1)[-1]
    return name.startswith(_REASONING_PREFIXES) and "-chat" not in name


def refused_parameter(status: int, body: Any, sent: list[str]) -> str | None:
    """The parameter of ``sent`` that an HTTP ``status`` error ``body`` says the server refuses.

    OpenAI names it in ``error.param`` (codes ``unsupported_parameter``/``unsupported_value``);
    compatible servers only in the message text (FastAPI's 422 lists it in ``loc``).
    """
    if status not in (400, 422):
        return None
    error = body.get("error", body) if isinstance(body, dict) else body
    if isinstance(error, dict) and error.get("param") in sent:
        return str(error["param"])
    text = str(body).lower()
    if not any(word in text for word in _REFUSAL_WORDS):
        return None
    return next((name for name in sent if name in text), None)


class ParameterLadder:
    """Which optional parameters to send, learned from refusals; safe under concurrency.

    ``token_names`` are the names for the output bound, best first; a refused one is never sent
    again and the next is used. ``droppable`` are parameters sent only as our defaults, left out
    once refused (a value the user configured is never dropped: its refusal is reported).
    ``refuse`` is idempotent, so concurrent calls refused for the same parameter move the ladder
    one step; it never passes its end: :meth:`token_name` returns None when every name was
    refused, and the caller reports ``unsupported_parameter``.
    """

    def __init__(self, token_names: tuple[str, ...], droppable: frozenset[str]) -> None:
        self._token_names = token_names
        self._droppable = droppable
        self._refused: set[str] = set()
        self._lock = threading.Lock()

    def refuse(self, name: str) -> bool:
        """Record that the server refuses ``name``; False when it cannot be left out (a
        parameter the ladder does not manage, or one the user configured)."""
        with self._lock:
            if name not in self._token_names and name not in self._droppable:
                return False
            self._refused.add(name)
            return True

    def refused(self, name: str) -> bool:
        """Whether the server refused ``name`` before."""
        return name in self._refused

    def token_name(self) -> str | None:
        """The output-bound parameter to use, or None when the server refused them all."""
        return next((n for n in self._token_names if n not in self._refused), None)


def chat_parameters(
    ladder: ParameterLadder,
    *,
    model: str,
    max_tokens: int,
    temperature: float,
    reasoning_effort: ReasoningEffort | None,
) -> dict[str, Any] | None:
    """The optional parameters of one chat request for ``model``; None when the server refused
    every way to bound the output.

    ``reasoning_effort`` None means the family default: :data:`DEFAULT_REASONING_EFFORT` for
    reasoning models, not sent to others. A reasoning model's bound gets
    :data:`REASONING_ROOM` for its effort on top of ``max_tokens``.
    """
    reasoning = is_reasoning_model(model)
    effort = reasoning_effort or (DEFAULT_REASONING_EFFORT if reasoning else None)
    token_name = ladder.token_name()
    if token_name is None:
        return None
    room = REASONING_ROOM[effort] if reasoning and effort is not None else 0
    params: dict[str, Any] = {token_name: max_tokens + room}
    if not reasoning and not ladder.refused("temperature"):
        params["temperature"] = temperature
    if effort is not None and not ladder.refused("reasoning_effort"):
        params["reasoning_effort"] = effort.value
    return params
