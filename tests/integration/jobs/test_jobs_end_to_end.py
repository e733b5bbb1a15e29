"""Upload -> analyze -> explain (local OpenAI-protocol server) -> store -> report, on SQLite and
PostgreSQL; then the same file again reuses the analysis and the explanation cache."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers import CRACKME, KEY, add_provider, upload, wait_final
from tests.llm_servers.canned import (
    CAPABILITY_PURPOSE,
    PROGRAM_PURPOSE,
    function_summary,
)
from tests.llm_servers.openai import OpenAIServer


def test_job_with_provider_completes_with_explanations_and_report(
    client: TestClient, llm: OpenAIServer
) -> None:
    provider_id = add_provider(client, llm, name="local-openai")
    response = upload(
        client,
        name="../../etc/crackme",
        provider_id=provider_id,
        function_limit=2,
        translation_detail="brief",
    )
    assert response.status_code == 202, response.text
    submitted = response.json()
    job_id = submitted["job_id"]
    assert submitted["status"] == "queued"
    assert submitted["status_url"] == f"/api/v1/decompile/{job_id}"
    assert submitted["file_info"]["name"] == "crackme"
    assert submitted["file_info"]["size"] == CRACKME.stat().st_size
    assert (submitted["file_info"]["format"], submitted["file_info"]["arch"]) == ("elf", "x86_64")

    job = wait_final(client, job_id)
    assert (job["status"], job["stage"], job["progress"], job["error"]) == (
        "completed",
        "store",
        100,
        None,
    )
    assert job["provider"] == {
        "id": provider_id,
        "name": "local-openai",
        "provider_type": "openai",
        "model": "gpt-4.1-mini",
    }
    assert job["options"] == {
        "analysis_depth": "standard",
        "translation_detail": "brief",
        "function_limit": 2,
        "budget_tokens": None,
        "budget_usd": None,
    }
    assert job["counts"]["functions_decompiled"] == 2
    assert job["counts"]["items_failed"] == 0
    assert job["usage"]["input_tokens"] > 0 and job["usage"]["output_tokens"] > 0
    assert job["usage"]["estimated_cost_usd"] > 0
    assert job["analysis_reused"] is False

    result = job["result"]
    decompiled = [f for f in result["analysis"]["functions"] if f["pseudocode"]]
    assert len(decompiled) == 2
    explained = {f["name"]: f for f in result["explanation"]["functions"]}
    for func in decompiled:
        assert explained[func["name"]]["status"] == "explained"
        assert explained[func["name"]]["explanation"]["summary"] == function_summary(func["name"])
    capabilities = result["explanation"]["imports"]["result"]["capabilities"]
    assert capabilities[0]["purpose"] == CAPABILITY_PURPOSE
    assert result["explanation"]["program"]["result"]["purpose"] == PROGRAM_PURPOSE
    chats = [r for r in llm.requests if r.route == "chat"]
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in chats)

    report = client.get(f"/api/v1/jobs/{job_id}/report")
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/markdown")
    text = report.text
    assert text.startswith("# crackme\n")
    for section in (
        "## Program summary",
        "## Capabilities",
        "## Imports",
        "## Notable strings",
        "## Functions",
    ):
        assert f"\n{section}\n" in text
    assert PROGRAM_PURPOSE in text and CAPABILITY_PURPOSE in text
    assert "- `puts`" in text
    for func in decompiled:
        assert f"### {func['name']} ({func['address']:#x})" in text
        assert function_summary(func["name"]) in text
        assert func["pseudocode"].rstrip() in text
    as_json = client.get(f"/api/v1/jobs/{job_id}/report", params={"format": "json"})
    assert as_json.json()["explanation"]["program"]["result"]["purpose"] == PROGRAM_PURPOSE

    # The same file again: stored analysis reused, every function explanation from the cache.
    calls_before = len(chats)
    again = upload(
        client, provider_id=provider_id, function_limit=2, translation_detail="brief"
    ).json()
    second = wait_final(client, again["job_id"])
    assert (second["status"], second["analysis_reused"]) == ("completed", True)
    explanation = second["result"]["explanation"]
    assert explanation["cached"] == 2
    assert all(f["cached"] for f in explanation["functions"])
    new_chats = len([r for r in llm.requests if r.route == "chat"]) - calls_before
    assert new_chats == 3  # imports, strings and program summary; no function call
