"""The engine under load and limits: bounded concurrency, splitting an oversized function,
map-reduce of the program summary, cancellation and progress; OpenAI SDK against the local
server."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from typing import Any

from binscribe.explain import ExplainOptions, ExplanationReport, explain_analysis
from tests.integration.explain.conftest import Env
from tests.integration.explain.test_explain_engine import function_of, user_prompt
from tests.llm_servers.canned import schema_title
from tests.unit.explain.samples import fileio_result, synthetic_result

MakeEnv = Callable[..., Env]
FUNCTIONS_ONLY = {"explain_imports": False, "explain_strings": False, "summarize_program": False}


async def explain(result: Any, env: Env, **kwargs: Any) -> ExplanationReport:
    _, adapter = env
    options = ExplainOptions(**kwargs.pop("options", {}))
    return await explain_analysis(
        result,
        adapter=adapter,
        model=adapter.model,
        provider_type="openai",
        options=options,
        **kwargs,
    )


async def test_concurrency_is_bounded_by_the_provider_setting(explain_env: MakeEnv) -> None:
    server, _ = env = explain_env("openai", delay_s=0.15, max_concurrency=3)
    started = time.monotonic()
    report = await explain(synthetic_result(12, fan_out=0), env, options=FUNCTIONS_ONLY)
    elapsed = time.monotonic() - started

    assert report.explained == 12
    assert server.max_active == 3
    assert elapsed < 12 * 0.15  # concurrent, not one after another
    assert [f.name for f in report.functions] == [f"fn_{i:04d}" for i in range(12)]


async def test_option_overrides_the_provider_concurrency(explain_env: MakeEnv) -> None:
    server, _ = env = explain_env("openai", delay_s=0.1, max_concurrency=4)
    options = {**FUNCTIONS_ONLY, "max_concurrency": 2}
    report = await explain(synthetic_result(8, fan_out=0), env, options=options)
    assert report.explained == 8 and server.max_active == 2


async def test_concurrent_run_keeps_bottom_up_order(explain_env: MakeEnv) -> None:
    server, _ = env = explain_env("openai", delay_s=0.02)
    result = synthetic_result(41, fan_out=4)
    report = await explain(result, env, options=FUNCTIONS_ONLY)

    assert report.explained == 41
    assert server.max_active == 4
    order = [function_of(r) for r in server.requests]
    for func in result.functions:
        for callee in func.callees:
            if callee.startswith("fn_"):
                assert order.index(callee) < order.index(func.name)


async def test_an_oversized_function_is_split_and_merged(explain_env: MakeEnv) -> None:
    result = fileio_result()
    lines = [
        f"    v{n} = fread(&v0, 1, {n}, v2);  // line {n} of the copy loop" for n in range(600)
    ]
    big = "long copy_file(char *a0, char *a1)\n{\n" + "\n".join(lines) + "\n}"
    result.functions[6] = result.functions[6].model_copy(update={"pseudocode": big})
    server, _ = env = explain_env("openai")
    options = {**FUNCTIONS_ONLY, "context_tokens": 4096}

    report = await explain(result, env, options=options)
    copy_file = report.functions[0]
    part_requests = [r for r in server.requests if schema_title(r.body) == "PartialSummary"]
    parts = len(part_requests)
    assert copy_file.status == "explained" and copy_file.coverage == 1.0
    assert copy_file.parts == parts and parts >= 3
    ranges = sorted(
        tuple(map(int, re.search(r"lines (\d+)-(\d+) of 603", user_prompt(r)).groups()))  # type: ignore[union-attr]
        for r in part_requests
    )
    # The parts are consecutive line ranges covering the whole function.
    assert ranges[0][0] == 1 and ranges[-1][1] == 603
    assert all(ranges[i + 1][0] == ranges[i][1] + 1 for i in range(parts - 1))
    final = next(
        r
        for r in server.requests
        if function_of(r) == "copy_file" and schema_title(r.body) == "FunctionExplanation"
    )
    prompt = user_prompt(final)
    assert "Summaries of the parts of the decompiled pseudocode (too long to show):" in prompt
    assert f"Part summary (copy_file 2 {parts})." in prompt
    assert "line 300 of the copy loop" not in prompt
    assert copy_file.usage.requests == parts + 1

    # At most two parts: the explanation covers only their lines.
    server.requests.clear()
    report = await explain(result, env, options={**options, "max_parts": 2})
    copy_file = report.functions[0]
    ranges = [
        tuple(map(int, re.search(r"lines (\d+)-(\d+) of 603", user_prompt(r)).groups()))  # type: ignore[union-attr]
        for r in server.requests
        if schema_title(r.body) == "PartialSummary"
    ]
    assert len(ranges) == 2 and copy_file.parts == 2
    assert copy_file.coverage == sum(last - first + 1 for first, last in ranges) / 603
    assert copy_file.coverage < 1.0


async def test_a_context_too_long_answer_splits_the_prompts_smaller(
    explain_env: MakeEnv,
) -> None:
    """The options assume 16,384 tokens but the model takes far less: the provider refuses,
    and the function and the imports are sent again in smaller parts until they fit."""
    result = fileio_result()
    lines = [f"    v{n} = fread(&v0, 1, {n}, v2);  // line {n} of the loop" for n in range(600)]
    big = "long copy_file(char *a0, char *a1)\n{\n" + "\n".join(lines) + "\n}"
    result.functions[6] = result.functions[6].model_copy(update={"pseudocode": big})
    server, _ = env = explain_env("openai", max_prompt_chars=14_000)
    options = {"explain_strings": False, "summarize_program": False}

    report = await explain(result, env, options=options)
    by_name = {f.name: f for f in report.functions}
    copy_file = by_name["copy_file"]
    assert copy_file.status == "explained" and copy_file.coverage == 1.0
    assert copy_file.parts > 1
    assert all(f.status == "explained" for f in report.functions)
    assert report.imports is not None and report.imports.status == "explained"
    refused = [r for r in server.requests if len(json.dumps(r.body)) > 14_000]
    assert refused  # the first, 16k-token attempt was refused
    assert max(len(json.dumps(r.body)) for r in server.requests[-5:]) <= 14_000


async def test_a_prompt_that_never_fits_is_an_item_error(explain_env: MakeEnv) -> None:
    result = fileio_result()
    server, _ = env = explain_env("openai", max_prompt_chars=100)
    report = await explain(result, env, options=FUNCTIONS_ONLY)
    assert report.functions and all(f.status == "failed" for f in report.functions)
    assert {f.error.code for f in report.functions if f.error} == {"context_too_long"}


async def test_program_summary_is_map_reduced_when_too_large(explain_env: MakeEnv) -> None:
    server, _ = env = explain_env("openai")
    options = {"context_tokens": 3072, "explain_strings": False}
    report = await explain(synthetic_result(120), env, options=options)

    assert report.explained == 120
    assert report.program is not None and report.program.status == "explained"
    assert report.program.reduced is True
    slices = [
        user_prompt(r)
        for r in server.requests
        if schema_title(r.body) == "PartialSummary" and "slice" in user_prompt(r)
    ]
    assert len(slices) == 2 and "slice 1 of 2" in slices[0] + slices[1]
    final = next(r for r in server.requests if schema_title(r.body) == "ProgramSummary")
    prompt = user_prompt(final)
    assert "Condensed summaries of slices of the program's functions:" in prompt
    assert "Part summary (1 2)." in prompt and "fn_0050 (0x" not in prompt


async def test_cancel_event_stops_the_run_promptly(explain_env: MakeEnv) -> None:
    server, _ = env = explain_env("openai", delay_s=1.0)
    cancel = asyncio.Event()
    asyncio.get_running_loop().call_later(0.3, cancel.set)
    started = time.monotonic()
    report = await explain(synthetic_result(30, fan_out=0), env, cancel=cancel)
    elapsed = time.monotonic() - started

    assert elapsed < 0.9  # in-flight calls were cancelled, not waited for
    assert report.cancelled is True and report.all_failed is False
    assert {f.status for f in report.functions} == {"cancelled"}
    assert report.functions[0].error is not None
    assert report.functions[0].error.code == "cancelled"
    assert len(server.requests) <= 4  # nothing was launched after the cancel


async def test_cancel_callable_is_polled(explain_env: MakeEnv) -> None:
    server, _ = env = explain_env("openai", delay_s=0.2)
    calls: list[int] = []

    def cancel() -> bool:
        return len(calls) >= 4

    report = await explain(
        synthetic_result(30, fan_out=0),
        env,
        options=FUNCTIONS_ONLY,
        cancel=cancel,
        progress=lambda message, done, total: calls.append(done),
    )
    assert report.cancelled is True
    assert 4 <= report.explained < 30
    assert report.explained + sum(f.status == "cancelled" for f in report.functions) == 30
    assert len(server.requests) < 30


async def test_progress_counts_every_item(explain_env: MakeEnv) -> None:
    _, _ = env = explain_env("openai")
    seen: list[tuple[str, int, int]] = []
    await explain(fileio_result(), env, progress=lambda *event: seen.append(event))

    assert [done for _, done, _ in seen] == [1, 2, 3, 4, 5, 6]
    assert {total for _, _, total in seen} == {6}
    assert seen[-1][0] == "program"
    assert sorted(message for message, _, _ in seen) == sorted(
        [
            "function copy_file",
            "function send_report",
            "function main",
            "imports",
            "strings",
            "program",
        ]
    )
    messages = [message for message, _, _ in seen]
    assert messages.index("function main") > messages.index("function copy_file")
