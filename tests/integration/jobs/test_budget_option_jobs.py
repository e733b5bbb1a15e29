"""The per-job explanation budget through the API: a budget that is not positive is refused
with ``invalid_budget`` before queuing; a small one is stored, shown in the job's options, and
stops the explaining: the items it left out fail with ``budget_exceeded`` and the job's
message says so. SQLite and PostgreSQL; the local OpenAI-protocol server."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers import add_provider, upload, wait_final
from tests.llm_servers.openai import OpenAIServer


def test_budgets_that_are_not_positive_are_422(client: TestClient) -> None:
    bad = (
        {"budget_tokens": 0},
        {"budget_tokens": -5},
        {"budget_usd": 0},
        {"budget_usd": -0.5},
        {"budget_usd": "nan"},
        {"budget_tokens": "many"},
    )
    for fields in bad:
        refused = upload(client, analysis_depth="basic", **fields)
        assert refused.status_code == 422, fields
        body = refused.json()
        assert body["code"] == "invalid_budget", body
        [name] = fields
        assert body["message"].startswith(f"Invalid {name}: ")
    assert client.get("/api/v1/jobs").json()["count"] == 0


def test_a_small_budget_stops_the_explaining(client: TestClient, llm: OpenAIServer) -> None:
    provider = add_provider(client, llm)
    submitted = upload(client, provider_id=provider, function_limit=3, budget_tokens=100)
    assert submitted.status_code == 202, submitted.text
    job = wait_final(client, submitted.json()["job_id"])

    assert job["status"] == "completed", job
    assert job["options"]["budget_tokens"] == 100 and job["options"]["budget_usd"] is None
    report = job["result"]["explanation"]
    assert report["budget"] == "100 tokens" and report["budget_exceeded"] is True
    # The first calls start before anything is spent; the program summary comes last.
    assert report["program"]["status"] == "failed"
    assert report["program"]["error"]["code"] == "budget_exceeded"
    left_out = [
        i for i in report["functions"] if (i["error"] or {}).get("code") == "budget_exceeded"
    ]
    assert job["counts"]["items_failed"] == report["items_failed"] >= len(left_out) + 1
    assert job["message"].startswith(
        "budget of 100 tokens reached: not explained (budget_exceeded): "
    )
    assert job["message"].split(": ", 2)[2].endswith("program")
    overview = client.get(f"/api/v1/jobs/{job['id']}").json()["result"]["explanation"]
    assert (overview["budget"], overview["budget_exceeded"]) == ("100 tokens", True)
    markdown = client.get(f"/api/v1/jobs/{job['id']}/report")
    assert markdown.status_code == 200
    assert "- Budget: 100 tokens (reached)" in markdown.text
    assert "_Not explained (budget_exceeded): The job's budget" in markdown.text
