"""The adapter protocol every provider type implements, and the values it passes around."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from binscribe.llm.pricing import ModelPrice

Role = Literal["system", "user", "assistant"]

EXPLAIN_TEMPERATURE = 0.2
"""The sampling temperature explanations ask for (models that refuse one get none); the
connection test sends the same."""


@dataclass(frozen=True)
class ChatMessage:
    """One chat turn: ``role`` is system, user or assistant; ``content`` is plain text."""

    role: Role
    content: str


@dataclass(frozen=True)
class Completion:
    """A model's answer.

    ``text`` is the raw reply. ``parsed`` is the JSON value when a ``json_schema`` was asked and
    the reply parsed as JSON (after removing code fences and ``<think>`` blocks), else None: the
    caller validates it against its schema and may repair ``text``. Token counts come from the
    provider's usage report (None when it sent none); ``model`` is the model name the provider
    reported (or the one asked for); ``latency_ms`` covers the whole call including our retries.
    ``reasoning_tokens`` is the part of ``output_tokens`` the model spent thinking (OpenAI
    reasoning, Gemini thoughts, Anthropic thinking, Ollama ``thinking``): billed as output, shown
    apart; None when the provider reported none.
    """

    text: str
    parsed: Any
    input_tokens: int | None
    output_tokens: int | None
    model: str
    latency_ms: int
    reasoning_tokens: int | None = None


@dataclass(frozen=True)
class ProbeResult:
    """Outcome of a connection test: never raised, always returned.

    ``error_code`` is an :class:`~binscribe.llm.errors.LLMErrorCode` when ``success`` is
    False; ``models`` lists the model names the provider reported (may be empty).
    """

    success: bool
    message: str
    error_code: str | None
    latency_ms: int
    models: list[str] = field(default_factory=list)


class LLMAdapter(Protocol):
    """One configured provider. Methods raise :class:`~binscribe.llm.errors.LLMError`.

    ``model`` is the model it asks for; ``max_concurrency`` bounds its concurrent completions;
    ``prices`` are the provider's own prices (None: the price table's).
    """

    @property
    def model(self) -> str: ...

    @property
    def max_concurrency(self) -> int: ...

    @property
    def prices(self) -> ModelPrice | None: ...

    async def complete(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        """Send ``messages`` to the configured model; with ``json_schema`` ask for JSON output."""
        ...

    async def list_models(self) -> list[str]:
        """Model names the provider offers to this key, sorted."""
        ...

    async def probe(self, *, completion: bool = True) -> ProbeResult:
        """A cheap real call that tells whether the provider works with this configuration;
        ``completion=False`` only lists the models and checks the configured one."""
        ...

    async def aclose(self) -> None:
        """Close the SDK client and its connections."""
        ...
