"""The engine hands each finished item to ``on_item`` as it finishes (the job pipeline's partial
results), and a partial report built from all of them counts what the final report counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from binscribe.explain import ExplainOptions, explain_analysis
from binscribe.explain.engine import Item
from binscribe.explain.report import FunctionResult, ProgramResult
from binscribe.jobs.partial import PartialResults
from tests.integration.explain.conftest import Env
from tests.unit.explain.samples import fileio_result


async def test_items_arrive_one_by_one_and_add_up_to_the_report(
    explain_env: Callable[..., Env],
) -> None:
    _, adapter = explain_env("openai", fail_functions={"send_report"})
    analysis = fileio_result()
    seen: list[Item] = []
    report = await explain_analysis(
        analysis,
        adapter=adapter,
        model=adapter.model,
        provider_type="openai",
        options=ExplainOptions(max_concurrency=1),
        on_item=seen.append,
    )

    functions = [item for item in seen if isinstance(item, FunctionResult)]
    assert sorted(f.name for f in functions) == ["copy_file", "main", "send_report"]
    assert isinstance(seen[-1], ProgramResult)  # the program summary last
    assert len(seen) == report.items_total == 6  # 3 functions, imports, strings, program
    assert {f.name: f for f in functions} == {f.name: f for f in report.functions}

    partial = PartialResults(
        cast(Any, None),
        cast(Any, None),
        job_id=cast(Any, None),
        file_name="fileio",
        analysis=analysis,
        first_sha256="0" * 64,
        provider_type="openai",
        model=adapter.model,
        detail="standard",
    )
    for item in seen:
        partial.add(item)
    rebuilt = partial.report()
    fields = {
        "functions",
        "imports",
        "strings",
        "program",
        "usage",
        "explained",
        "failed",
        "cached",
        "unverified_evidence",
        "suspect_items",
        "items_total",
        "items_failed",
        "failed_parts",
        "provider_type",
        "model",
        "detail",
        "prompt_version",
    }
    assert rebuilt.model_dump(include=fields) == report.model_dump(include=fields)
    assert (rebuilt.failed, rebuilt.failed_parts) == (1, ["functions"])
