"""The engine over what the analysis really produces for the fixture binaries: results recorded
from ``analyze_file`` (``tests/unit/explain/data/*.analysis.json``, angr 10, depth standard)
and, marked slow, a live analysis of ``fileio-x86_64.elf``; OpenAI SDK against the local
server."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from binscribe.analysis.models import AnalysisResult
from binscribe.explain import ExplainOptions, ExplanationReport, explain_analysis
from binscribe.explain.schemas import FunctionExplanation
from tests.integration.explain.conftest import Env
from tests.integration.explain.test_explain_engine import function_of, user_prompt
from tests.llm_servers.canned import function_summary

MakeEnv = Callable[..., Env]
DATA = Path(__file__).parents[2] / "unit" / "explain" / "data"
FIXTURES = Path(__file__).parents[2] / "fixtures" / "bin"


async def explain_and_check(result: AnalysisResult, env: Env) -> ExplanationReport:
    """Explain ``result`` and assert the engine's promises against the server's request log."""
    server, adapter = env
    report = await explain_analysis(
        result,
        adapter=adapter,
        model=adapter.model,
        provider_type="openai",
        options=ExplainOptions(),
    )
    expected = [f.name for f in result.functions if not f.is_library and f.pseudocode]
    assert [f.name for f in report.functions] == expected
    assert report.functions_skipped == len(result.functions) - len(expected)
    for item in report.functions:
        assert item.status == "explained", item.error
        assert isinstance(item.explanation, FunctionExplanation)
        assert item.explanation.summary == function_summary(item.name)
    order = [function_of(r) for r in server.requests if function_of(r)]
    prompts = {function_of(r): user_prompt(r) for r in server.requests if function_of(r)}
    for func in result.functions:
        if func.name not in order:
            continue
        for callee in func.callees:
            if callee in order and callee != func.name:
                assert order.index(callee) < order.index(func.name), (callee, func.name)
                assert (
                    f"- {json.dumps(callee)}: {json.dumps(function_summary(callee))}"
                    in prompts[func.name]
                )
    assert report.all_failed is False and report.failed == 0
    assert report.program is not None and report.program.status == "explained"
    return report


@pytest.mark.parametrize("fixture", ["fileio-x86_64.elf", "recursion-x86_64.elf"])
async def test_recorded_analysis_is_fully_explained(explain_env: MakeEnv, fixture: str) -> None:
    result = AnalysisResult.model_validate_json(
        (DATA / f"{fixture}.analysis.json").read_text(encoding="utf-8")
    )
    report = await explain_and_check(result, explain_env("openai"))
    names = [f.name for f in report.functions]
    if fixture == "fileio-x86_64.elf":
        assert names == ["copy_file", "send_report", "main"]
    else:
        assert names == ["swap_ints", "fibonacci", "ackermann", "quick_sort", "main"]


@pytest.mark.slow
async def test_live_analysis_of_a_fixture_is_explained(explain_env: MakeEnv) -> None:
    from binscribe.analysis.options import AnalysisOptions
    from binscribe.analysis.sandbox import analyze_file

    result = analyze_file(
        FIXTURES / "fileio-x86_64.elf", options=AnalysisOptions(depth="standard", workers=1)
    )
    report = await explain_and_check(result, explain_env("openai"))
    assert {"copy_file", "send_report", "main"} <= {f.name for f in report.functions}
