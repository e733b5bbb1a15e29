"""Partial results of a running job (local runner, SQLite and PostgreSQL): while explanations
arrive from a slow local OpenAI-protocol server, the result endpoints serve the functions and
the explanations finished so far (counts only grow, an explained function's detail is there
before the job ends, the program summary comes last, ``result_revision`` changes with them),
and the final result equals the one a job storing no partial results writes."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.jobs.context import blob_store
from binscribe.settings import Settings
from tests.helpers import KEY, add_provider, upload, wait_final, wait_for
from tests.llm_servers.base import Step
from tests.llm_servers.canned import PROGRAM_PURPOSE, canned_reply, function_summary
from tests.llm_servers.openai import OpenAIServer

LIMIT = 3
"""Functions explained; with imports, strings and the program: 6 calls of DELAY_S, one at a time."""
DELAY_S = 0.8


@pytest.fixture
def slow() -> Iterator[OpenAIServer]:
    server = OpenAIServer(api_key=KEY, reply=canned_reply).start()
    server.always(Step("slow", delay_s=DELAY_S))
    try:
        yield server
    finally:
        server.stop()


def watch_running(client: TestClient, job_id: str) -> list[dict[str, Any]]:
    """Read the job's explained functions, its overview and the job until it is final; returns
    the observations made while it was still running after the reads (explained rows, program
    summary, revision, and one explained function's detail)."""
    seen = []
    while True:
        rows = client.get(f"/api/v1/jobs/{job_id}/functions", params={"explained": True})
        assert rows.status_code == 200, rows.text
        overview = client.get(f"/api/v1/jobs/{job_id}").json()
        detail = None
        if rows.json()["data"]:
            first = rows.json()["data"][0]
            detail = client.get(f"/api/v1/jobs/{job_id}/functions/{first['address']:#x}").json()
        job = client.get("/api/v1/jobs", params={"limit": 100}).json()["data"]
        if next(j for j in job if j["id"] == job_id)["status"] != "running":
            return seen
        explanation = overview["result"]["explanation"]
        seen.append(
            {
                "explained": rows.json()["count"],
                "names": [row["name"] for row in rows.json()["data"]],
                "program": explanation["program"] if explanation else None,
                "revision": overview["result_revision"],
                "detail": detail,
            }
        )
        time.sleep(0.1)


def test_a_running_job_serves_explanations_as_they_arrive(
    client: TestClient, app_settings: Settings, slow: OpenAIServer
) -> None:
    provider_id = add_provider(client, slow, config={"max_concurrency": 1})
    job_id = upload(client, provider_id=provider_id, function_limit=LIMIT).json()["job_id"]
    wait_for(client, job_id, lambda j: j["stage"] == "explain", timeout=180)
    seen = watch_running(client, job_id)

    counts = [s["explained"] for s in seen]
    assert counts == sorted(counts)  # the list only grows
    partial = [s for s in seen if 0 < s["explained"] < LIMIT]
    assert partial, counts  # some explanations were served before the others existed
    for s in partial:
        assert s["program"] is None  # the program summary comes last
        name = s["detail"]["name"]
        assert s["detail"]["explanation"]["explanation"]["summary"] == function_summary(name)
    revisions = [s["revision"] for s in seen]
    assert len(set(revisions)) >= 2 and None not in revisions

    final = wait_final(client, job_id)
    assert final["status"] == "completed"
    assert final["result_revision"] not in revisions
    rows = client.get(f"/api/v1/jobs/{job_id}/functions", params={"explained": True}).json()
    assert rows["count"] == LIMIT
    assert set(seen[-1]["names"]) <= {row["name"] for row in rows["data"]}
    assert final["result"]["explanation"]["program"]["result"]["purpose"] == PROGRAM_PURPOSE
    # every partial snapshot was deleted: the job's only stored result is the final one
    assert _stored_results(app_settings, job_id) == [final["result"]]


def test_the_final_result_does_not_depend_on_partial_results(
    client: TestClient, app_settings: Settings, slow: OpenAIServer, tmp_path: Path
) -> None:
    provider_id = add_provider(client, slow, config={"max_concurrency": 1})
    job_id = upload(client, provider_id=provider_id, function_limit=LIMIT).json()["job_id"]
    wait_for(client, job_id, lambda j: j["stage"] == "explain", timeout=180)
    assert any(0 < s["explained"] for s in watch_running(client, job_id))
    watched = wait_final(client, job_id)

    quiet = app_settings.model_copy(update={"partial_results_s": 0.0})
    app = create_app(quiet)
    try:
        with TestClient(app) as client:
            # another provider: its explanations are not served from the first one's cache
            other = add_provider(client, slow, config={"max_concurrency": 1})
            other_id = upload(client, provider_id=other, function_limit=LIMIT).json()["job_id"]
            wait_for(client, other_id, lambda j: j["stage"] == "explain", timeout=180)
            running = client.get(f"/api/v1/jobs/{other_id}/functions", params={"explained": True})
            assert running.json()["count"] == 0
            alone = wait_final(client, other_id)
    finally:
        app.state.engine.dispose()
    assert (watched["status"], alone["status"]) == ("completed", "completed")
    assert _comparable(watched["result"]) == _comparable(alone["result"])


def _comparable(result: dict[str, Any]) -> dict[str, Any]:
    """The result without what differs between two jobs of one file (job id)."""
    return {key: value for key, value in result.items() if key != "job_id"}


def _stored_results(settings: Settings, job_id: str) -> list[dict[str, Any]]:
    """Every stored result document of the job (gzip JSON blobs naming it)."""
    blobs = blob_store(settings)
    found = []
    for path in (settings.data_dir / "blobs").rglob("*"):
        if path.is_file() and path.read_bytes()[:2] == b"\x1f\x8b":
            document = json.loads(blobs.read_json(path.name))
            if isinstance(document, dict) and document.get("job_id") == job_id:
                found.append(document)
    return found
