"""Grounding scores and honest item counts through the engine: real SDK against the local
OpenAI-protocol server answering with the fake model (or HTTP 500 for some output schemas)."""

from __future__ import annotations

from collections.abc import Callable

from binscribe.explain import ExplainOptions, explain_analysis
from tests.integration.explain.conftest import Env
from tests.llm_servers.canned import CannedModel, schema_title
from tests.unit.explain.samples import fileio_result

MakeEnv = Callable[..., Env]
NOT_FUNCTIONS = ("ImportCapabilities", "NotableStrings", "ProgramSummary")


async def test_every_function_gets_a_grounding_score_and_the_run_a_weighted_one(
    explain_env: MakeEnv,
) -> None:
    _, adapter = explain_env(
        "openai", model=CannedModel(fabricate={"main"}, stray=False, loose=True)
    )
    report = await explain_analysis(
        fileio_result(),
        adapter=adapter,
        model=adapter.model,
        provider_type="openai",
        options=ExplainOptions(),
    )

    scores = {f.name: f.grounding for f in report.functions}
    assert {n: (s.grounded, s.total, s.score) for n, s in scores.items() if s} == {
        "copy_file": (6, 6, 1.0),  # entry, fopen, its 4 callees
        "send_report": (10, 10, 1.0),  # entry, socket, its 8 callees
        "main": (6, 10, 6 / 10),  # entry, fprintf, its 4 callees; 4 made up
    }
    assert scores["main"] is not None and scores["main"].unverified == [
        'address "0xdeadbeef" (not in the binary): made up',
        'string "http://evil.example/upload" (not in the binary): made up',
        'import "CryptEncrypt" (not in the binary): made up',
        'callee "exfiltrate_data" (not in the binary): made up',
    ]
    assert report.grounding_score == 22 / 26
    assert (report.items_total, report.items_failed, report.failed_parts) == (6, 0, [])
    assert report.failure_note() is None


async def test_failed_imports_strings_and_program_are_counted(explain_env: MakeEnv) -> None:
    server, adapter = explain_env("openai", fail_schemas=NOT_FUNCTIONS)
    report = await explain_analysis(
        fileio_result(),
        adapter=adapter,
        model=adapter.model,
        provider_type="openai",
        options=ExplainOptions(),
    )

    assert [f.status for f in report.functions] == ["explained"] * 3
    parts = (report.imports, report.strings, report.program)
    assert [(p.status, p.error.code) for p in parts if p and p.error] == [
        ("failed", "server_error")
    ] * 3
    assert (report.items_total, report.items_failed) == (6, 3)
    assert (report.explained, report.failed, report.all_failed) == (3, 0, False)
    assert report.failed_parts == ["imports", "strings", "program"]
    assert report.failure_note() == (
        "explanations failed for imports, strings, program (every item besides the functions): "
        "server_error: The OpenAI-compatible server had an internal error (HTTP 500: The server "
        "had an error while processing your request.)."
    )
    failed_titles = [schema_title(r.body) for r in server.requests]
    assert sorted(t for t in failed_titles if t in NOT_FUNCTIONS) == sorted(NOT_FUNCTIONS * 2)
