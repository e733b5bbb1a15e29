"""Server-sent job events (``/api/v1/events``, ``/jobs/{id}/events``) with the local runner and
its in-process notifier, on SQLite and PostgreSQL: a running job's events arrive in order and end
with its final state, "N of M" counters hold M the number chosen, one stream follows several
jobs, bad parameters are refused."""

from __future__ import annotations

import json
import uuid
from typing import Any

from fastapi.testclient import TestClient

from binscribe.jobs.context import blob_store
from binscribe.settings import Settings
from tests.helpers import BIN, CRACKME, KEY, add_provider, upload, wait_for
from tests.llm_servers.base import Step
from tests.llm_servers.canned import canned_reply
from tests.llm_servers.openai import OpenAIServer

STAGES = ["upload", "analyze", "explain", "store"]


def read_events(client: TestClient, url: str, **params: Any) -> list[tuple[str, dict[str, Any]]]:
    """The stream's events until it closes, as (event, data) pairs; keep-alive pings dropped."""
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    events = []
    for block in response.text.split("\n\n"):
        lines = [line for line in block.split("\n") if line and not line.startswith(":")]
        if lines:
            assert lines[0].startswith("event: ") and lines[1].startswith("data: "), block
            events.append((lines[0][7:], json.loads(lines[1][6:])))
    return events


def assert_in_order(events: list[tuple[str, dict[str, Any]]], job_id: str) -> list[dict[str, Any]]:
    """The job's ``progress`` events, checked to move forward and to read "N of M"."""
    jobs = [data for event, data in events if event == "progress" and data["id"] == job_id]
    assert jobs, events
    for before, after in zip(jobs, jobs[1:], strict=False):
        assert after["progress"] >= before["progress"]
        assert STAGES.index(after["stage"]) >= STAGES.index(before["stage"])
    for job in jobs:
        counts = job["counts"]
        assert counts["functions_decompiled"] <= counts["functions_selected"]
        assert counts["items_done"] <= counts["items_total"]
        if counts["functions_total"]:
            assert counts["functions_selected"] <= counts["functions_total"]
    ends = [i for i, (event, data) in enumerate(events) if event == "end" and data["id"] == job_id]
    assert len(ends) == 1
    last_progress = max(
        i for i, (event, data) in enumerate(events) if event == "progress" and data["id"] == job_id
    )
    assert last_progress < ends[0]
    return jobs


def test_a_running_jobs_events_arrive_in_order_and_end_final(
    client: TestClient, llm: OpenAIServer
) -> None:
    provider_id = add_provider(client, llm)
    job_id = upload(client, provider_id=provider_id, function_limit=3).json()["job_id"]
    events = read_events(client, "/api/v1/events", job=job_id)

    jobs = assert_in_order(events, job_id)
    assert events[-1] == ("end", {"id": job_id, "status": "completed"})
    assert any(job["status"] == "running" and job["stage"] == "analyze" for job in jobs)
    final = jobs[-1]
    assert (final["status"], final["stage"], final["progress"]) == ("completed", "store", 100)
    detail = client.get(f"/api/v1/decompile/{job_id}").json()
    del detail["result"]
    assert final == detail
    # M is the number chosen: 3 functions to decompile, every explanation item planned.
    functions = client.get(f"/api/v1/jobs/{job_id}/report", params={"format": "json"})
    analysis = functions.json()["analysis"]["functions"]
    chosen = [f for f in analysis if f["pseudocode"] is not None or f["decompile_error"]]
    assert len(chosen) == 3
    assert final["counts"]["functions_selected"] == 3
    assert final["counts"]["functions_decompiled"] == sum(
        f["pseudocode"] is not None for f in chosen
    )
    assert final["counts"]["functions_total"] == len(analysis)
    explained = [
        f for f in functions.json()["explanation"]["functions"] if f["status"] != "skipped"
    ]
    items = len(explained) + 3  # and imports, strings, the program summary
    assert (final["counts"]["items_done"], final["counts"]["items_total"]) == (items, items)
    # Counters never read "N of 0": a decompile count comes with the number chosen.
    assert all(
        job["counts"]["functions_selected"] == 3
        for job in jobs
        if job["counts"]["functions_decompiled"] or job["stage"] in ("explain", "store")
    )


def test_one_stream_follows_several_jobs(client: TestClient) -> None:
    files = [CRACKME, BIN / "tiny_static-x86_64.elf", CRACKME]
    ids = [upload(client, path, analysis_depth="basic").json()["job_id"] for path in files]
    gone = upload(client, analysis_depth="basic").json()["job_id"]
    assert client.delete(f"/api/v1/jobs/{gone}").status_code == 204

    events = read_events(client, "/api/v1/events", job=[*ids, gone, ids[0]])

    for job_id in ids:
        jobs = assert_in_order(events, job_id)
        assert jobs[-1]["status"] == "completed"
    ends = [data for event, data in events if event == "end"]
    assert sorted(end["id"] for end in ends) == sorted([*ids, gone])
    assert {end["id"]: end["status"] for end in ends} == {
        **{job_id: "completed" for job_id in ids},
        gone: "deleted",
    }
    assert events[-1][0] == "end"  # the stream closes after the last job's end


def test_one_job_stream_and_refused_parameters(client: TestClient) -> None:
    job_id = upload(client, analysis_depth="basic").json()["job_id"]
    events = read_events(client, f"/api/v1/jobs/{job_id}/events")
    assert_in_order(events, job_id)
    assert events[-1] == ("end", {"id": job_id, "status": "completed"})
    # A finished job's stream sends its state once and ends.
    again = read_events(client, "/api/v1/events", job=job_id)
    assert [event for event, _ in again] == ["progress", "end"]
    assert again[0][1]["status"] == "completed"

    unknown = "00000000-0000-4000-8000-000000000000"
    missing = client.get(f"/api/v1/jobs/{unknown}/events")
    assert (missing.status_code, missing.json()["code"]) == (404, "job_not_found")
    for params in ({}, {"job": "nope"}, {"job": [str(uuid.UUID(int=i)) for i in range(101)]}):
        refused = client.get("/api/v1/events", params=params)
        assert (refused.status_code, refused.json()["code"]) == (422, "validation_error")


def test_the_analysis_is_browsable_while_explanations_run(
    client: TestClient, app_settings: Settings
) -> None:
    slow = OpenAIServer(api_key=KEY, reply=canned_reply).start()
    slow.always(Step("slow", delay_s=0.5))
    try:
        provider_id = add_provider(client, slow)
        job_id = upload(client, provider_id=provider_id, function_limit=3).json()["job_id"]
        running = wait_for(client, job_id, lambda j: j["stage"] == "explain", timeout=180)
        assert running["status"] == "running"
        functions = f"/api/v1/jobs/{job_id}/functions"
        early = client.get(functions, params={"decompiled": True})
        assert early.status_code == 200, early.text
        assert early.json()["count"] == running["counts"]["functions_decompiled"]
        assert early.json()["data"]
        assert {row["explanation_status"] for row in early.json()["data"]} == {None}
        overview = client.get(f"/api/v1/jobs/{job_id}").json()
        assert overview["result"]["explanation"] is None

        events = read_events(client, "/api/v1/events", job=job_id)
        assert events[-1] == ("end", {"id": job_id, "status": "completed"})
        final = client.get(functions, params={"decompiled": True}).json()
        assert [row["address"] for row in final["data"]] == [
            row["address"] for row in early.json()["data"]
        ]
        assert {row["explanation_status"] for row in final["data"]} == {"explained"}
        overview = client.get(f"/api/v1/jobs/{job_id}").json()
        assert overview["result"]["explanation"]["program"]["status"] == "explained"
    finally:
        slow.stop()
    # The analysis-only snapshot was replaced by the final result and deleted.
    blobs = blob_store(app_settings)
    results = []
    for path in (app_settings.data_dir / "blobs").rglob("*"):
        if path.is_file() and path.read_bytes()[:2] == b"\x1f\x8b":  # gzip: a JSON document
            document = json.loads(blobs.read_json(path.name))
            if isinstance(document, dict) and document.get("job_id") == job_id:
                results.append(document["explanation"] is not None)
    assert results == [True]
