"""Which explanation runs mark their provider failing or healthy, and which say nothing."""

from __future__ import annotations

from binscribe.explain.report import (
    ExplanationReport,
    FunctionResult,
    ItemError,
    ProgramResult,
    Usage,
)
from binscribe.providers.health.jobs import job_verdict

AUTH = ItemError(code="auth_failed", message="refused the API key")
DOWN = ItemError(code="unreachable", message="connection refused")


def function(status: str, error: ItemError | None = None, *, cached: bool = False):
    return FunctionResult(
        name="f", address=0x1000, source="pseudocode", status=status, error=error, cached=cached
    )


def report(
    *functions: FunctionResult, program: ProgramResult | None = None, **values
) -> ExplanationReport:
    items = [*functions, *([program] if program else [])]
    failed = [i for i in items if i.status == "failed"]
    explained = any(i.status == "explained" for i in items)
    return ExplanationReport(
        prompt_version="t",
        provider_type="openai",
        model="m",
        detail="brief",
        functions=list(functions),
        program=program,
        all_failed=bool(failed) and not explained and not values.get("cancelled", False),
        **values,
    )


def test_every_item_failing_with_provider_errors_is_failing_with_the_most_common() -> None:
    found = job_verdict(
        report(
            function("failed", AUTH),
            function("failed", AUTH),
            function("failed", DOWN),
            program=ProgramResult(
                status="failed", error=ItemError(code="no_input", message="nothing")
            ),
        )
    )
    assert found == ("failing", AUTH)


def test_one_answered_call_is_healthy_even_if_its_item_then_failed() -> None:
    invalid = ItemError(code="invalid_output", message="no JSON")
    found = job_verdict(
        report(function("failed", invalid), function("failed", AUTH), usage=Usage(requests=1))
    )
    assert found == ("healthy", None)


def test_runs_that_say_nothing_about_the_provider() -> None:
    internal = ItemError(code="internal_error", message="bug")
    no_input = ItemError(code="no_input", message="nothing")
    assert job_verdict(report(function("explained", cached=True))) is None  # cache only
    assert job_verdict(report(function("failed", AUTH), function("failed", internal))) is None
    assert job_verdict(report(function("failed", no_input))) is None
    assert job_verdict(report(function("failed", AUTH), cancelled=True)) is None
    assert job_verdict(report()) is None
