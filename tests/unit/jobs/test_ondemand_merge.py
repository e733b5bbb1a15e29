"""Merging an on-demand job's outcome into a stored result: only the asked functions change,
counts are recomputed, usage adds up; targets per scope."""

from __future__ import annotations

import uuid

from binscribe.analysis.models import AnalysisResult
from binscribe.explain.report import ExplanationReport, FunctionResult, ItemError, Usage
from binscribe.jobs.ondemand import explain_targets, retried_extras
from binscribe.jobs.ondemand_run import merge_decompiled, merge_explained
from binscribe.jobs.results import JobResult
from tests.unit.jobs.test_markdown import _analysis


def _item(address: int, status: str, tokens: int = 0) -> FunctionResult:
    error = ItemError(code="server_error", message="down") if status == "failed" else None
    return FunctionResult(
        name=f"sub_{address:x}",
        address=address,
        source="disassembly",
        status=status,
        error=error,
        usage=Usage(requests=1, input_tokens=tokens),
    )


def _result(analysis: AnalysisResult, items: list[FunctionResult]) -> JobResult:
    report = ExplanationReport(
        prompt_version="2",
        provider_type="openai",
        model="m",
        detail="brief",
        functions=items,
        usage=Usage(input_tokens=sum(i.usage.input_tokens for i in items)),
    )
    return JobResult(job_id=uuid.uuid4(), file_name="x", analysis=analysis, explanation=report)


def test_a_decompiled_function_is_merged_and_counted() -> None:
    result = JobResult(job_id=uuid.uuid4(), file_name="x", analysis=_analysis())
    merged = merge_decompiled(
        result, {0x401020: ("void skipped(void) {}", None), 0x401000: ("ignored", None)}
    )
    code = {f.name: f.pseudocode for f in merged.analysis.functions}
    assert code["skipped"] == "void skipped(void) {}"
    assert code["main"] == "int main(void)\n{\n    return 0;\n}\n"  # already had pseudocode
    assert merged.analysis.stats.functions_decompiled == 2
    assert result.analysis.functions[2].pseudocode is None  # the stored result is not changed


def test_explained_items_replace_the_same_functions_and_usage_adds_up() -> None:
    analysis = _analysis()
    stored = _result(analysis, [_item(0x401000, "explained", 10), _item(0x401010, "failed", 5)])
    fresh = ExplanationReport(
        prompt_version="2",
        provider_type="anthropic",
        model="other",
        detail="brief",
        functions=[_item(0x401010, "explained", 7), _item(0x401020, "explained", 3)],
        usage=Usage(input_tokens=10),
    )
    merged = merge_explained(stored, fresh)
    report = merged.explanation
    assert report is not None
    assert [(i.address, i.status) for i in report.functions] == [
        (0x401000, "explained"),
        (0x401010, "explained"),
        (0x401020, "explained"),
    ]
    assert (report.explained, report.failed, report.all_failed) == (3, 0, False)
    assert (report.provider_type, report.model, report.usage.input_tokens) == (
        "anthropic",
        "other",
        25,
    )


def test_targets_and_extras_per_scope() -> None:
    analysis = _analysis()
    stored = _result(analysis, [_item(0x401000, "explained"), _item(0x401010, "failed")])
    assert explain_targets(stored, "failed", None) == [0x401010]
    assert explain_targets(stored, "rest", None) == [0x401010, 0x401020]
    assert explain_targets(stored, "selection", [0x401020, 0x999]) == [0x401020]
    assert retried_extras(stored.explanation, "selection") == {
        "explain_imports": False,
        "explain_strings": False,
        "summarize_program": False,
    }
    assert retried_extras(stored.explanation, "rest") == {
        "explain_imports": True,
        "explain_strings": True,
        "summarize_program": True,
    }
    assert retried_extras(stored.explanation, "failed") == {
        "explain_imports": False,
        "explain_strings": False,
        "summarize_program": False,
    }
