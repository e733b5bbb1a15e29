"""A per-run spending limit: provider tokens and/or estimated USD cost.

The budget is checked before each provider call (:class:`~binscribe.explain.calls.Caller`):
once the tokens (input + output, as the providers report them) or the estimated cost spent by
the run reach a limit, later calls fail with :data:`BUDGET_EXCEEDED` instead of being sent.
Calls already in flight finish, and a split function whose parts were summarized before the
limit is finished with one last call on the summaries it has; so a run can end a few calls
past its budget. A USD limit needs known prices: after a call whose cost is unknown (the
model has no price), the limit counts as reached, since it can no longer be kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from binscribe.explain.report import BUDGET_EXCEEDED, Usage

__all__ = ["BUDGET_EXCEEDED", "Budget"]


@dataclass
class Budget:
    """The limits (None: no limit) and what the run has spent so far (every call's usage)."""

    tokens: int | None = None
    usd: float | None = None
    spent: Usage = field(default_factory=Usage)

    @property
    def limited(self) -> bool:
        """True when any limit is set."""
        return self.tokens is not None or self.usd is not None

    def describe(self) -> str:
        """The limits in words: ``20,000 tokens``, ``$0.50``, ``20,000 tokens or $0.50``."""
        limits = [f"{self.tokens:,} tokens"] if self.tokens is not None else []
        limits += [f"${self.usd:g}"] if self.usd is not None else []
        return " or ".join(limits) or "none"

    def exceeded(self) -> str | None:
        """Why no further call may be made (a one-line message), or None while within the
        limits."""
        used = self.spent.input_tokens + self.spent.output_tokens
        if self.tokens is not None and used >= self.tokens:
            return f"The job's budget of {self.tokens:,} tokens was used up ({used:,} tokens)."
        if self.usd is not None and self.spent.requests:
            if self.spent.cost_usd is None:
                return (
                    f"The job's budget of ${self.usd:g} cannot be kept: the model's price is "
                    "unknown, so the cost of its calls is too."
                )
            if self.spent.cost_usd >= self.usd:
                return (
                    f"The job's budget of ${self.usd:g} was used up "
                    f"(${self.spent.cost_usd:.4f} estimated)."
                )
        return None
