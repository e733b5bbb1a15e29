"""Grounding scores and honest item counts through a job: upload -> analyze -> explain with the
canned model on the local OpenAI-protocol server -> the job, its result slices and its JSON and
Markdown reports, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.helpers import BIN, KEY, add_provider, upload, wait_final
from tests.integration.explain.conftest import ScriptedOpenAIServer
from tests.llm_servers.canned import ABSENT_STRING, canned_reply
from tests.llm_servers.openai import OpenAIServer

MANIFEST = json.loads((BIN.parent / "expected" / "crackme-x86_64.elf.json").read_text())
MAIN = MANIFEST["functions"]["main"]["address"]
CHECK = MANIFEST["functions"]["check_password"]["address"]
ELSEWHERE = 'callee "main" (elsewhere in the binary, not in this function): canned'
ABSENT = f'string "{ABSENT_STRING}" (not in the binary): canned'
HTTP_500 = (
    "server_error: The OpenAI-compatible server had an internal error (HTTP 500: The server had "
    "an error while processing your request.)."
)


@pytest.fixture
def failing_llm() -> Iterator[ScriptedOpenAIServer]:
    """Canned answers for functions; HTTP 500 for the imports, strings and program prompts."""
    server = ScriptedOpenAIServer(
        api_key=KEY,
        reply=canned_reply,
        fail_schemas=("ImportCapabilities", "NotableStrings", "ProgramSummary"),
    ).start()
    try:
        yield server
    finally:
        server.stop()


def test_grounding_scores_per_function_and_job(client: TestClient, llm: OpenAIServer) -> None:
    provider_id = add_provider(client, llm)
    job_id = upload(client, provider_id=provider_id, function_limit=2).json()["job_id"]
    job = wait_final(client, job_id)
    assert (job["status"], job["message"], job["counts"]["items_total"]) == ("completed", None, 5)

    # The JSON result: main cites its entry, fgets and its 5 callees (grounded), then "main"
    # and a string the binary lacks; check_password its entry, strlen twice, then the same two.
    explanation = job["result"]["explanation"]
    grounding = {f["address"]: f["grounding"] for f in explanation["functions"]}
    assert grounding == {
        MAIN: {"score": 7 / 9, "grounded": 7, "total": 9, "unverified": [ELSEWHERE, ABSENT]},
        CHECK: {"score": 3 / 5, "grounded": 3, "total": 5, "unverified": [ELSEWHERE, ABSENT]},
    }
    assert explanation["grounding_score"] == 10 / 14  # weighted by claims, not (7/9 + 3/5) / 2
    assert (explanation["items_total"], explanation["items_failed"]) == (5, 0)

    overview = client.get(f"/api/v1/jobs/{job_id}").json()["result"]["explanation"]
    assert (overview["grounding_score"], overview["items_failed"], overview["failed_parts"]) == (
        10 / 14,
        0,
        [],
    )
    rows = client.get(f"/api/v1/jobs/{job_id}/functions").json()["data"]
    scores = {row["address"]: row["grounding_score"] for row in rows}
    assert (scores[MAIN], scores[CHECK]) == (7 / 9, 3 / 5)
    assert {s for a, s in scores.items() if a not in (MAIN, CHECK)} == {None}
    detail = client.get(f"/api/v1/jobs/{job_id}/functions/{MAIN:#x}").json()
    assert detail["grounding_score"] == 7 / 9
    assert detail["explanation"]["grounding"] == grounding[MAIN]

    text = client.get(f"/api/v1/jobs/{job_id}/report").text
    assert (
        "\n- Grounding: 0.71 (10 of 14 evidence claims found in the function that makes them)\n"
        in text
    )
    main_section = text[text.index(f"### main ({MAIN:#x})") :]
    assert (
        "- grounding: 0.78 (7 of 9 evidence claims found in this function)\n"
        f"  - unverified: {ELSEWHERE}\n  - unverified: {ABSENT}\n"
    ) in main_section


def test_failed_imports_strings_and_program_are_counted_and_named(
    client: TestClient, failing_llm: ScriptedOpenAIServer
) -> None:
    provider_id = add_provider(client, failing_llm)
    job_id = upload(client, provider_id=provider_id, function_limit=2).json()["job_id"]
    job = wait_final(client, job_id)

    assert (job["status"], job["error"]) == ("completed", None)
    counts = job["counts"]
    assert (counts["items_total"], counts["items_done"], counts["items_failed"]) == (5, 5, 3)
    note = (
        "explanations failed for imports, strings, program (every item besides the functions): "
        + HTTP_500
    )
    assert job["message"] == note
    overview = client.get(f"/api/v1/jobs/{job_id}").json()
    assert overview["message"] == note
    explanation = overview["result"]["explanation"]
    assert explanation["failed_parts"] == ["imports", "strings", "program"]
    assert (explanation["items_total"], explanation["items_failed"]) == (5, 3)
    assert (explanation["explained"], explanation["failed"]) == (2, 0)
    assert [explanation[k]["status"] for k in ("imports", "strings", "program")] == ["failed"] * 3

    text = client.get(f"/api/v1/jobs/{job_id}/report").text
    assert f"\n- Warning: {note} (3 of 5 items)\n" in text
