"""A job's provider calls decide its provider's health, through real jobs on the local runner
against the local OpenAI-protocol server, on SQLite and PostgreSQL: every call failing marks the
provider failing (code, message, time); a job whose calls answered marks it healthy."""

from __future__ import annotations

import re
from datetime import datetime

from fastapi.testclient import TestClient

from tests.helpers import add_provider, upload, wait_final
from tests.llm_servers import Step
from tests.llm_servers.openai import OpenAIServer

BASE = "/api/v1/user-llm-providers"


def _run_job(client: TestClient, provider_id: str) -> dict:
    response = upload(client, provider_id=provider_id, function_limit=2, translation_detail="brief")
    assert response.status_code == 202, response.text
    return wait_final(client, response.json()["job_id"])


def test_a_job_whose_calls_all_fail_marks_its_provider_failing(
    client: TestClient, llm: OpenAIServer
) -> None:
    provider_id = add_provider(client, llm, name="wrong-key", api_key="sk-jobs-wrong-0000")
    assert client.get(f"{BASE}/{provider_id}").json()["last_test"] is None

    job = _run_job(client, provider_id)
    assert (job["status"], job["error"]["code"]) == ("failed", "llm_unavailable")
    assert job["counts"]["items_failed"] == job["counts"]["items_total"] > 0

    stored = client.get(f"{BASE}/{provider_id}").json()["last_test"]
    assert (stored["status"], stored["error_code"], stored["source"]) == (
        "failure",
        "auth_failed",
        "job",
    )
    assert stored["message"].startswith(f"Every LLM call of analysis job {job['id'][:8]} failed: ")
    assert datetime.fromisoformat(stored["tested_at"]) >= datetime.fromisoformat(job["created_at"])
    listed = next(
        p for p in client.get("/api/v1/llm-providers").json()["data"] if p["id"] == provider_id
    )
    assert (listed["health"], listed["error_code"], listed["checked_by"]) == (
        "unhealthy",
        "auth_failed",
        "job",
    )


def test_a_job_whose_calls_answer_marks_its_provider_healthy(
    client: TestClient, llm: OpenAIServer
) -> None:
    provider_id = add_provider(client, llm, name="works")
    llm.enqueue(Step(kind="auth"))
    tested = client.post(f"{BASE}/{provider_id}/test").json()
    assert (tested["success"], tested["error_code"]) == (False, "auth_failed")

    job = _run_job(client, provider_id)
    assert job["status"] == "completed", job
    stored = client.get(f"{BASE}/{provider_id}").json()["last_test"]
    assert (stored["status"], stored["error_code"], stored["source"]) == ("success", None, "job")
    answered = re.fullmatch(
        rf"gpt-4\.1-mini answered (\d+) call\(s\) of analysis job {job['id'][:8]}\.",
        stored["message"],
    )
    assert answered is not None, stored["message"]
    assert 0 < int(answered[1]) <= len([r for r in llm.requests if r.route == "chat"])
