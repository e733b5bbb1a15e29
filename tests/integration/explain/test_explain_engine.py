"""The explanation engine end to end: real SDKs (OpenAI, Anthropic) against the local protocol
servers, over analysis results of the fixture binaries; assertions on the report and on the
requests the server received."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from binscribe.analysis.models import AnalysisResult
from binscribe.explain import ExplainOptions, ExplanationReport, MemoryCache, explain_analysis
from binscribe.explain.schemas import FunctionExplanation
from binscribe.llm.pricing import estimate_cost
from tests.integration.explain.conftest import KEY, MODELS, Env
from tests.llm_servers.base import RecordedRequest, count_tokens
from tests.llm_servers.canned import (
    CannedModel,
    function_of_prompt,
    function_summary,
    schema_title,
)
from tests.unit.explain.samples import fileio_result, recursion_result

MakeEnv = Callable[..., Env]


def function_of(request: RecordedRequest) -> str | None:
    """The function a request asks about (None for imports/strings/program requests)."""
    if schema_title(request.body) != "FunctionExplanation":
        return None
    messages = request.body.get("messages", [])
    first_user = next(m["content"] for m in messages if m["role"] == "user")
    function = function_of_prompt(first_user)
    return function[0] if function else None


def user_prompt(request: RecordedRequest) -> str:
    return next(m["content"] for m in request.body["messages"] if m["role"] == "user")


def titles(server: Any) -> list[str | None]:
    return [schema_title(r.body) for r in server.requests]


async def explain(
    result: AnalysisResult, env: Env, protocol: str = "openai", **options: Any
) -> ExplanationReport:
    _, adapter = env
    return await explain_analysis(
        result,
        adapter=adapter,
        model=adapter.model,
        provider_type=protocol,
        options=ExplainOptions(**options),
    )


@pytest.mark.parametrize("protocol", ["openai", "anthropic"])
async def test_every_non_library_function_gets_a_valid_explanation(
    explain_env: MakeEnv, protocol: str
) -> None:
    server, adapter = env = explain_env(protocol)
    report = await explain(fileio_result(), env, protocol)

    assert [f.name for f in report.functions] == ["copy_file", "send_report", "main"]
    assert [f.status for f in report.functions] == ["explained"] * 3
    assert report.functions_skipped == 7  # _init, _start, ... , _fini
    for item in report.functions:
        assert isinstance(item.explanation, FunctionExplanation)
        assert item.explanation.summary == function_summary(item.name)
        assert item.coverage == 1.0 and item.parts == 1 and item.source == "pseudocode"
        assert item.error is None and item.usage.requests == 1
    copy_file = report.functions[0].explanation
    assert copy_file is not None
    assert copy_file.category == "file_io"  # the model said "File I/O"
    assert [(e.kind, e.value) for e in copy_file.evidence] == [
        ("address", "0x4011e6"),
        ("import", "fopen"),
        *[("callee", name) for name in ("fopen", "fclose", "fread", "fwrite")],
    ]
    assert report.imports is not None and report.imports.status == "explained"
    assert report.strings is not None and report.strings.status == "explained"
    assert report.program is not None and report.program.status == "explained"
    assert report.program.result is not None and report.program.result.confidence == 0.7  # said 70
    assert (report.explained, report.failed, report.cached) == (3, 0, 0)
    assert report.all_failed is False and report.cancelled is False and report.error is None
    assert report.model == MODELS[protocol] and report.provider_type == protocol
    # 3 functions + imports + strings + program, each one request; JSON asked every time.
    assert sorted(t or "" for t in titles(server)) == sorted(
        ["FunctionExplanation"] * 3 + ["ImportCapabilities", "NotableStrings", "ProgramSummary"]
    )
    assert all(KEY not in r.raw_url for r in server.requests)
    # Usage is the sum of what the server reported; cost from the price table.
    assert report.usage.requests == 6
    items = [*report.functions, report.imports, report.strings, report.program]
    assert report.usage.input_tokens == sum(i.usage.input_tokens for i in items)
    assert report.usage.output_tokens == sum(i.usage.output_tokens for i in items)
    assert report.usage.output_tokens > 0
    assert report.usage.cost_usd == pytest.approx(
        estimate_cost(MODELS[protocol], report.usage.input_tokens, report.usage.output_tokens)
    )


async def test_openai_token_counts_match_the_server(explain_env: MakeEnv) -> None:
    server, _ = env = explain_env("openai")
    report = await explain(fileio_result(), env)
    sent = sum(
        count_tokens("".join(m["content"] for m in r.body["messages"])) for r in server.requests
    )
    assert report.usage.input_tokens == sent


@pytest.mark.parametrize("protocol", ["openai", "anthropic"])
async def test_callees_are_explained_before_callers(explain_env: MakeEnv, protocol: str) -> None:
    server, _ = env = explain_env(protocol)
    report = await explain(recursion_result(), env, protocol)

    assert [f.status for f in report.functions] == ["explained"] * 5
    order = [function_of(r) for r in server.requests if function_of(r)]
    assert sorted(order) == sorted(["swap_ints", "fibonacci", "ackermann", "quick_sort", "main"])
    position = {name: order.index(name) for name in order}
    assert position["swap_ints"] < position["quick_sort"] < position["main"]
    assert position["fibonacci"] < position["main"]
    assert position["ackermann"] < position["main"]
    prompts = {function_of(r): user_prompt(r) for r in server.requests if function_of(r)}
    for callee in ("fibonacci", "ackermann", "quick_sort"):
        assert f"- {json.dumps(callee)}: {json.dumps(function_summary(callee))}" in prompts["main"]
    swap_summary = json.dumps(function_summary("swap_ints"))
    assert f'- "swap_ints": {swap_summary}' in prompts["quick_sort"]
    assert '- "fwrite" (imported)' in prompts["main"]
    # swap_ints was not decompiled: the model reads its disassembly.
    swap = report.functions[0]
    assert swap.name == "swap_ints" and swap.source == "disassembly"
    assert "Disassembly (decompilation failed):\n<<<DATA-" in (prompts["swap_ints"])
    assert "; decompilation failed: decompilation timed out after 30 s\n" in prompts["swap_ints"]
    assert "0x401166: mov eax,DWORD PTR [rdi]" in prompts["swap_ints"]


async def test_a_failing_function_leaves_the_others_intact(explain_env: MakeEnv) -> None:
    server, _ = env = explain_env("openai", fail_functions=("send_report",))
    report = await explain(fileio_result(), env)

    by_name = {f.name: f for f in report.functions}
    failed = by_name["send_report"]
    assert failed.status == "failed" and failed.explanation is None
    assert failed.error is not None and failed.error.code == "server_error"
    assert failed.error.message == (
        "The OpenAI-compatible server had an internal error (HTTP 500: The server had an error "
        "while processing your request.)."
    )
    assert failed.usage.requests == 0 and failed.usage.cost_usd is None
    # Two attempts (FAST_RETRIES), then the item is failed; the rest go on.
    assert [function_of(r) for r in server.requests].count("send_report") == 2
    assert by_name["copy_file"].status == "explained"
    assert by_name["main"].status == "explained"
    main_prompt = next(user_prompt(r) for r in server.requests if function_of(r) == "main")
    assert '\n- "send_report"\n' in main_prompt  # no summary for the failed callee
    assert (report.explained, report.failed) == (2, 1)
    assert report.all_failed is False and report.error is None
    assert report.program is not None and report.program.status == "explained"


async def test_every_call_failing_is_reported(explain_env: MakeEnv) -> None:
    server, adapter = explain_env("openai")
    server.api_key = "sk-another-key-entirely"
    report = await explain(fileio_result(), (server, adapter), max_concurrency=1)

    assert report.all_failed is True
    assert report.error is not None and report.error.code == "auth_failed"
    assert KEY not in report.model_dump_json()
    assert [f.status for f in report.functions] == ["failed"] * 3
    assert {f.error.code for f in report.functions if f.error} == {"auth_failed"}
    # After the refused key the remaining items fail without calling the provider.
    assert len(server.requests) == 1
    assert report.program is not None and report.program.error is not None
    assert report.program.error.code == "no_input"


async def test_fenced_json_and_think_blocks_are_parsed(explain_env: MakeEnv) -> None:
    server, _ = env = explain_env("openai", model=CannedModel(think=True, fence=True))
    report = await explain(fileio_result(), env)

    assert [f.status for f in report.functions] == ["explained"] * 3
    assert report.program is not None and report.program.status == "explained"
    assert len(server.requests) == 6  # no repair was needed
    assert server.requests[0].body["response_format"]["type"] == "json_schema"


async def test_one_repair_attempt_then_an_item_error(explain_env: MakeEnv) -> None:
    fake = CannedModel(invalid={"copy_file": 1, "send_report": 2})
    server, _ = env = explain_env("openai", model=fake)
    report = await explain(fileio_result(), env)

    by_name = {f.name: f for f in report.functions}
    assert by_name["copy_file"].status == "explained"
    assert by_name["copy_file"].usage.requests == 2
    repair = [r for r in server.requests if function_of(r) == "copy_file"][1]
    roles = [m["role"] for m in repair.body["messages"]]
    assert roles == ["system", "user", "assistant", "user"]
    assert repair.body["messages"][3]["content"].startswith(
        "Your reply could not be used: summary: String should have at least 1 character; "
        "explanation: Field required."
    )
    failed = by_name["send_report"]
    assert failed.status == "failed" and failed.error is not None
    assert failed.error.code == "invalid_output"
    assert failed.error.message == (
        "The model's reply did not match the expected format, even after one repair attempt: "
        "summary: String should have at least 1 character; explanation: Field required."
    )
    assert failed.usage.requests == 2  # the two answers were paid for
    assert [function_of(r) for r in server.requests].count("send_report") == 2


async def test_fabricated_evidence_is_removed_and_counted(explain_env: MakeEnv) -> None:
    _, _ = env = explain_env(
        "openai", model=CannedModel(fabricate={"main"}, stray=False, loose=True)
    )
    report = await explain(fileio_result(), env)

    main = report.functions[2]
    assert main.name == "main" and main.unverified_evidence == 4
    assert main.explanation is not None
    assert [(e.kind, e.value) for e in main.explanation.evidence] == [
        ("address", "0x401387"),
        ("import", "fprintf"),
        *[("callee", name) for name in ("copy_file", "fprintf", "printf", "send_report")],
    ]
    assert [f.unverified_evidence for f in report.functions] == [0, 0, 4]
    assert report.imports is not None and report.imports.unverified_evidence == 1  # WSAStartup
    assert report.strings is not None and report.strings.unverified_evidence == 1
    assert report.program is not None and report.program.unverified_evidence == 1
    assert report.unverified_evidence == 7
    capabilities = report.imports.result.capabilities if report.imports.result else []
    assert [c.kind for c in capabilities] == ["console", "network"]  # said Console, Network
    assert "WSAStartup" not in capabilities[1].imports


async def test_cache_hit_on_the_second_run_makes_no_requests(explain_env: MakeEnv) -> None:
    server, adapter = explain_env("openai")
    cache = MemoryCache()
    options = ExplainOptions(explain_imports=False, explain_strings=False, summarize_program=False)

    async def run(detail: str, identity: str = "provider-1") -> ExplanationReport:
        return await explain_analysis(
            fileio_result(),
            adapter=adapter,
            model=adapter.model,
            provider_type="openai",
            options=options.model_copy(update={"detail": detail}),
            cache=cache,
            provider_identity=identity,
        )

    first = await run("standard")
    assert len(server.requests) == 3 and len(cache) == 3
    second = await run("standard")
    assert len(server.requests) == 3  # nothing new was sent
    assert second.cached == 3 and second.usage.requests == 0
    assert second.usage.cost_usd is None
    assert [f.explanation for f in second.functions] == [f.explanation for f in first.functions]
    assert all(f.cached and f.status == "explained" for f in second.functions)
    await run("brief")  # another detail level is another key
    assert len(server.requests) == 6 and len(cache) == 6
    other = await run("standard", identity="provider-2")  # another provider: never served these
    assert other.cached == 0 and len(server.requests) == 9 and len(cache) == 9
    with pytest.raises(ValueError, match="provider_identity"):
        await explain_analysis(
            fileio_result(),
            adapter=adapter,
            model=adapter.model,
            provider_type="openai",
            options=options,
            cache=cache,
        )


async def test_cost_is_none_for_an_unknown_model(explain_env: MakeEnv) -> None:
    _, _ = env = explain_env("openai", model_name="my-finetune-7b")
    report = await explain(fileio_result(), env)

    assert report.explained == 3
    assert report.usage.requests == 6 and report.usage.input_tokens > 0
    assert report.usage.cost_usd is None
    assert all(f.usage.cost_usd is None for f in report.functions)
