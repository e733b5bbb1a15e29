"""The budget's arithmetic: tokens are input + output, a USD limit compares the estimated cost
and counts as reached once a call's cost is unknown."""

from __future__ import annotations

from binscribe.explain.budget import Budget
from binscribe.explain.report import Usage


def test_tokens_count_input_and_output() -> None:
    budget = Budget(tokens=1000)
    assert budget.limited and budget.describe() == "1,000 tokens"
    budget.spent.add(Usage(requests=1, input_tokens=700, output_tokens=299, cost_usd=None))
    assert budget.exceeded() is None
    budget.spent.add(Usage(requests=1, input_tokens=0, output_tokens=1, cost_usd=None))
    assert budget.exceeded() == "The job's budget of 1,000 tokens was used up (1,000 tokens)."


def test_a_usd_limit_needs_known_prices() -> None:
    budget = Budget(usd=0.01)
    assert budget.describe() == "$0.01" and budget.exceeded() is None
    budget.spent.add(Usage(requests=1, input_tokens=10, output_tokens=10, cost_usd=0.004))
    assert budget.exceeded() is None
    budget.spent.add(Usage(requests=1, input_tokens=10, output_tokens=10, cost_usd=0.006))
    assert budget.exceeded() == "The job's budget of $0.01 was used up ($0.0100 estimated)."
    unknown = Budget(usd=5.0)
    unknown.spent.add(Usage(requests=1, input_tokens=10, output_tokens=10, cost_usd=None))
    assert unknown.exceeded() == (
        "The job's budget of $5 cannot be kept: the model's price is unknown, so the cost of "
        "its calls is too."
    )


def test_no_limit_is_never_reached() -> None:
    budget = Budget()
    budget.spent.add(Usage(requests=1, input_tokens=10**9, output_tokens=10**9, cost_usd=None))
    assert not budget.limited and budget.describe() == "none" and budget.exceeded() is None
    both = Budget(tokens=20_000, usd=0.5)
    assert both.describe() == "20,000 tokens or $0.5"
