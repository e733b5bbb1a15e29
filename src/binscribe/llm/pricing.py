"""List prices of known hosted models, to estimate what a job cost.

Prices are USD per million tokens (input, output) from the providers' public price pages,
standard tier, short-context rates, as of 2025-10. Models not listed (local models, fine-tunes,
new releases) have no estimate: cost is None, never 0, so nobody mistakes "unknown" for "free".
"""

from __future__ import annotations

import re

# model name -> (USD per 1M input tokens, USD per 1M output tokens)
PRICES: dict[str, tuple[float, float]] = {
    # OpenAI
    "gpt-5": (1.25, 10.00),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "o3": (2.00, 8.00),
    "o4-mini": (1.10, 4.40),
    # Anthropic
    "claude-opus-4-1": (15.00, 75.00),
    "claude-opus-4": (15.00, 75.00),
    "claude-sonnet-4-5": (3.00, 15.00),
    "claude-sonnet-4": (3.00, 15.00),
    "claude-haiku-4-5": (1.00, 5.00),
    "claude-3-5-haiku": (0.80, 4.00),
    # Google
    "gemini-2.5-pro": (1.25, 10.00),
    "gemini-2.5-flash": (0.30, 2.50),
    "gemini-2.5-flash-lite": (0.10, 0.40),
    "gemini-2.0-flash": (0.10, 0.40),
}

# Dated snapshots and aliases of a listed model cost the same: gpt-4o-mini-2024-07-18,
# claude-sonnet-4-5-20250929, claude-3-5-haiku-latest, models/gemini-2.5-flash.
_SUFFIX = re.compile(r"-(?:\d{4}-\d{2}-\d{2}|\d{8}|latest)$")


def price_of(model: str) -> tuple[float, float] | None:
    """(input, output) USD per million tokens for ``model``, or None when it is not listed."""
    name = model.strip().lower().removeprefix("models/")
    return PRICES.get(name) or PRICES.get(_SUFFIX.sub("", name))


def estimate_cost(model: str, input_tokens: int | None, output_tokens: int | None) -> float | None:
    """Estimated USD cost of one call, or None when the model or a token count is unknown."""
    prices = price_of(model)
    if prices is None or input_tokens is None or output_tokens is None:
        return None
    return (input_tokens * prices[0] + output_tokens * prices[1]) / 1_000_000
