"""List prices of hosted models, to estimate what a job cost.

Prices are USD per million tokens from the providers' public price pages, standard tier, the
short-prompt rate where a model has tiers (Gemini Pro above 200k tokens, Claude Haiku 5.5 above
100k, GPT-5.x above 270k cost more). Each entry names the date it was checked. Reasoning
(thinking) tokens are billed as output by all three providers, so ``reasoning`` is None
(= ``output``) everywhere today; the field exists for a provider that prices them apart.

Models not listed (local models, fine-tunes, new releases) have no estimate unless the provider's
``config`` sets prices: cost is None, never 0, so nobody mistakes "unknown" for "free".
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ModelPrice:
    """USD per million tokens: ``input``, ``output``; ``cached_input`` for prompt-cache hits
    (None: not offered or unknown); ``reasoning`` for thinking tokens (None: billed as output).
    ``checked`` is the date (YYYY-MM-DD) the price was read, None for a user-set price."""

    input: float
    output: float
    cached_input: float | None = None
    reasoning: float | None = None
    checked: str | None = None


def _p(input_: float, output: float, cached: float | None, checked: str) -> ModelPrice:
    return ModelPrice(input=input_, output=output, cached_input=cached, checked=checked)


_OPENAI = "2026-06-15"  # platform.openai.com pricing page
_ANTHROPIC = "2026-10-24"  # platform.claude.com models overview and pricing pages
_GEMINI = "2026-07-21"  # ai.google.dev/gemini-api/docs/pricing

PRICES: dict[str, ModelPrice] = {
    # OpenAI
    "gpt-5.5": _p(5.00, 30.00, 0.50, _OPENAI),
    "gpt-5.4": _p(2.50, 15.00, 0.25, _OPENAI),
    "gpt-5.4-mini": _p(0.75, 4.50, 0.075, _OPENAI),
    "gpt-5.4-nano": _p(0.20, 1.25, 0.02, _OPENAI),
    "gpt-5.2": _p(1.75, 14.00, 0.175, _OPENAI),
    "gpt-5.1": _p(1.25, 10.00, 0.125, _OPENAI),
    "gpt-5": _p(1.25, 10.00, 0.125, _OPENAI),
    "gpt-5-mini": _p(0.25, 2.00, 0.025, _OPENAI),
    "gpt-5-nano": _p(0.05, 0.40, 0.005, _OPENAI),
    "gpt-4.1": _p(2.00, 8.00, 0.50, _OPENAI),
    "gpt-4.1-mini": _p(0.40, 1.60, 0.10, _OPENAI),
    "gpt-4.1-nano": _p(0.10, 0.40, 0.025, _OPENAI),
    "gpt-4o": _p(2.50, 10.00, 1.25, _OPENAI),
    "gpt-4o-mini": _p(0.15, 0.60, 0.075, _OPENAI),
    "o3": _p(2.00, 8.00, 0.50, _OPENAI),
    "o4-mini": _p(1.10, 4.40, 0.275, _OPENAI),
    # Anthropic (cached_input: cache hits)
    "claude-fable-5-1": _p(10.00, 50.00, 0.25, _ANTHROPIC),
    "claude-fable-5": _p(10.00, 50.00, 1.00, _ANTHROPIC),
    "claude-opus-5-5": _p(4.00, 20.00, 0.20, _ANTHROPIC),
    "claude-opus-5": _p(5.00, 25.00, 0.50, _ANTHROPIC),
    "claude-opus-4-8": _p(5.00, 25.00, 0.50, _ANTHROPIC),
    "claude-opus-4-7": _p(5.00, 25.00, 0.50, _ANTHROPIC),
    "claude-opus-4-6": _p(5.00, 25.00, 0.50, _ANTHROPIC),
    "claude-opus-4-5": _p(5.00, 25.00, 0.50, _ANTHROPIC),
    "claude-opus-4-1": _p(15.00, 75.00, 1.50, _ANTHROPIC),
    "claude-opus-4": _p(15.00, 75.00, 1.50, _ANTHROPIC),
    "claude-sonnet-5-5": _p(2.00, 10.00, 0.10, _ANTHROPIC),
    "claude-sonnet-5": _p(2.00, 10.00, 0.20, _ANTHROPIC),
    "claude-sonnet-4-6": _p(3.00, 15.00, 0.30, _ANTHROPIC),
    "claude-sonnet-4-5": _p(3.00, 15.00, 0.30, _ANTHROPIC),
    "claude-sonnet-4": _p(3.00, 15.00, 0.30, _ANTHROPIC),
    "claude-haiku-5-5": _p(0.10, 0.50, 0.01, _ANTHROPIC),
    "claude-haiku-4-5": _p(1.00, 5.00, 0.10, _ANTHROPIC),
    "claude-3-5-haiku": _p(0.80, 4.00, 0.08, _ANTHROPIC),
    # Google (output price includes thinking tokens; cached_input: context caching)
    "gemini-3.5-flash": _p(1.50, 9.00, 0.15, _GEMINI),
    "gemini-3.5-flash-lite": _p(0.30, 2.50, 0.03, _GEMINI),
    "gemini-3.1-pro-preview": _p(2.00, 12.00, 0.20, _GEMINI),
    "gemini-3.1-flash-lite": _p(0.25, 1.50, 0.025, _GEMINI),
    "gemini-3-pro-preview": _p(2.00, 12.00, 0.20, _GEMINI),
    "gemini-3-flash-preview": _p(0.50, 3.00, 0.05, _GEMINI),
    "gemini-2.5-pro": _p(1.25, 10.00, 0.125, _GEMINI),
    "gemini-2.5-flash": _p(0.30, 2.50, 0.03, _GEMINI),
    "gemini-2.5-flash-lite": _p(0.10, 0.40, 0.01, _GEMINI),
}

# Dated snapshots and aliases of a listed model cost the same: gpt-4o-mini-2024-07-18,
# claude-sonnet-4-5-20250929, claude-3-5-haiku-latest, models/gemini-2.5-flash.
_SUFFIX = re.compile(r"-(?:\d{4}-\d{2}-\d{2}|\d{8}|latest)$")


def price_of(model: str) -> ModelPrice | None:
    """The list price of ``model``, or None when it is not listed."""
    name = model.strip().lower().removeprefix("models/")
    return PRICES.get(name) or PRICES.get(_SUFFIX.sub("", name))


def estimate_cost(
    model: str,
    input_tokens: int | None,
    output_tokens: int | None,
    *,
    reasoning_tokens: int | None = None,
    prices: ModelPrice | None = None,
) -> float | None:
    """Estimated USD cost of one call, or None when the price or a token count is unknown.

    ``prices`` (the provider's own, from its config) wins over the table. ``reasoning_tokens``
    is the part of ``output_tokens`` spent thinking, priced at ``reasoning`` when set.
    """
    price = prices or price_of(model)
    if price is None or input_tokens is None or output_tokens is None:
        return None
    reasoning = min(reasoning_tokens or 0, output_tokens)
    reasoning_rate = price.output if price.reasoning is None else price.reasoning
    return (
        input_tokens * price.input
        + (output_tokens - reasoning) * price.output
        + reasoning * reasoning_rate
    ) / 1_000_000
