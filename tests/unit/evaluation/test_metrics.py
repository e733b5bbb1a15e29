"""Summaries of per-function scores on known answers: names, JSON validity and repair rate,
grounding (weighted, n/a when absent), coverage, tokens, cost (unknown stays unknown), latency."""

from __future__ import annotations

from typing import Any

import pytest

from binscribe.evaluation.metrics import FunctionScore, summarize
from binscribe.evaluation.table import _cells


def _score(**overrides: Any) -> FunctionScore:
    values: dict[str, Any] = {
        "address": 0x1000,
        "input_name": "sub_1000",
        "true_name": "bits",
        "suggested_name": "get_bits",
        "status": "explained",
        "matched": 1,
        "predicted": 2,
        "actual": 1,
        "coverage": 1.0,
        "input_tokens": 100,
        "output_tokens": 10,
        "cost_usd": 0.5,
    }
    values.update(overrides)
    return FunctionScore(**values)


def test_summary_of_known_answers() -> None:
    functions = [
        _score(grounding=1.0, grounded=3, grounding_total=3),
        _score(
            matched=0,
            predicted=3,
            repaired=True,
            coverage=0.5,
            grounded=1,
            grounding_total=4,
            grounding=0.25,
        ),
        _score(
            status="failed",
            error_code="invalid_output",
            repaired=True,
            suggested_name=None,
            matched=0,
            predicted=0,
            coverage=0.0,
        ),
        _score(
            status="failed",
            error_code="server_error",
            suggested_name=None,
            matched=0,
            predicted=0,
            coverage=0.0,
            input_tokens=0,
            output_tokens=0,
            cost_usd=None,
        ),
        _score(true_name="main", input_name="main", named_in_input=True),
    ]
    summary = summarize(functions, [100, 200, 300, 400])
    assert (summary.functions, summary.explained, summary.failed, summary.scored) == (5, 3, 2, 2)
    assert (summary.precision, summary.recall) == (1 / 5, 1 / 2)
    assert summary.f1 == pytest.approx(2 * 0.2 * 0.5 / 0.7)
    # answered = explained + invalid_output (a server error says nothing about JSON)
    assert (summary.json_valid, summary.repair_rate) == (3 / 4, 2 / 4)
    assert summary.grounding == 4 / 7  # grounded claims over checked claims, not a mean of means
    assert summary.coverage == pytest.approx(2.5 / 3)
    assert (summary.input_tokens, summary.output_tokens, summary.cost_usd) == (400, 40, 2.0)
    assert (summary.requests, summary.latency_ms_mean, summary.latency_ms_p95) == (4, 250, 400)


def test_unknown_cost_and_absent_grounding_show_as_na() -> None:
    summary = summarize([_score(cost_usd=None)], [])
    assert (summary.cost_usd, summary.grounding, summary.latency_ms_mean) == (None, None, None)
    cells = _cells(summary)
    assert cells[0] == "1/1 (1 scored)"
    assert cells[6:] == ["n/a", "1.00", "100/10", "n/a", "n/a", "n/a"]


def test_nothing_answered() -> None:
    summary = summarize([], [])
    assert (summary.json_valid, summary.repair_rate, summary.coverage, summary.f1) == (
        None,
        None,
        None,
        0.0,
    )
