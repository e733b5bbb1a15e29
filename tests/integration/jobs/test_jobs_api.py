"""Job API branches: bad uploads, provider checks, cancel, delete, list, events, provider
deletion, restart recovery; on SQLite and PostgreSQL."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import update

from binscribe.api.app import create_app
from binscribe.db.engine import make_engine, make_session_factory
from binscribe.db.models import Job, utcnow
from binscribe.settings import Settings
from tests.helpers import (
    BIN,
    add_provider,
    upload,
    wait_final,
    wait_for,
    wait_until,
)
from tests.llm_servers.base import Step
from tests.llm_servers.openai import OpenAIServer


def _blobs(settings: Settings) -> list[Path]:
    root = settings.data_dir / "blobs"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _error(response: object) -> tuple[int, str]:
    assert hasattr(response, "status_code") and hasattr(response, "json")
    return response.status_code, response.json()["code"]


def test_bad_uploads_are_refused_before_queuing(
    client: TestClient, app_settings: Settings, llm: OpenAIServer, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    text = tmp_path / "notes.txt"
    text.write_text("just some text, not a program\n" * 20)
    assert _error(upload(client, empty)) == (422, "empty_file")
    refused = upload(client, text)
    assert refused.status_code == 415
    assert refused.json() == {
        "code": "unsupported_format",
        "message": "not an ELF, PE or Mach-O binary (looks like text)",
        "details": None,
    }
    missing = str(uuid.uuid4())
    not_found = upload(client, provider_id=missing)
    assert not_found.status_code == 404
    assert not_found.json()["code"] == "provider_not_found"
    inactive = add_provider(client, llm, is_active=False)
    assert _error(upload(client, provider_id=inactive)) == (409, "provider_inactive")
    assert _error(upload(client, provider_id="nope")) == (422, "validation_error")
    assert _error(upload(client, analysis_depth="deep")) == (422, "validation_error")
    assert _error(upload(client, function_limit=0)) == (422, "validation_error")
    no_file = client.post("/api/v1/decompile", data={"analysis_depth": "basic"})
    assert _error(no_file) == (422, "validation_error")
    listed = client.get("/api/v1/jobs").json()
    assert listed == {"data": [], "count": 0}
    assert _blobs(app_settings) == []


def test_upload_over_the_limit_is_413(db_url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", database_url=db_url, max_upload_mb=1)
    app = create_app(settings)
    big = tmp_path / "big.elf"
    big.write_bytes((BIN / "crackme-x86_64.elf").read_bytes() + b"\0" * (1024 * 1024))
    with TestClient(app) as client:
        response = upload(client, big)
        assert response.status_code == 413
        assert response.json() == {
            "code": "upload_too_large",
            "message": "the file is larger than the upload limit of 1 MB",
            "details": {"limit_bytes": 1048576},
        }
        assert client.get("/api/v1/jobs").json()["count"] == 0
    app.state.engine.dispose()
    assert _blobs(settings) == []


def test_key_needing_reentry_is_409(db_url: str, tmp_path: Path, llm: OpenAIServer) -> None:
    first = Settings(data_dir=tmp_path / "a", database_url=db_url)
    app = create_app(first)
    with TestClient(app) as client:
        provider_id = add_provider(client, llm)
    app.state.engine.dispose()
    other_key = Settings(data_dir=tmp_path / "b", database_url=db_url)  # a new key file
    app = create_app(other_key)
    with TestClient(app) as client:
        response = upload(client, provider_id=provider_id)
        assert _error(response) == (409, "provider_key_unusable")
    app.state.engine.dispose()


def test_cancel_stops_the_job_and_its_llm_calls(client: TestClient, llm: OpenAIServer) -> None:
    llm.always(Step("slow", delay_s=1.5))
    provider_id = add_provider(client, llm)
    job_id = upload(client, provider_id=provider_id, function_limit=6).json()["job_id"]
    wait_for(client, job_id, lambda j: j["stage"] == "explain", timeout=120)
    wait_until(lambda: llm.requests, 60, "the first LLM request")
    cancelled_at = time.monotonic()
    response = client.post(f"/api/v1/jobs/{job_id}/cancel")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["error"]) == (
        "cancelled",
        {"code": "cancelled", "message": "cancelled by the user"},
    )
    # The worker notices within a poll interval: no new request after 1 s. (An absence can only
    # be shown over a span of time: these sleeps are the observation windows, not waits.)
    time.sleep(1.0)
    seen = len(llm.requests)
    time.sleep(3.0)
    assert len(llm.requests) == seen
    job = client.get(f"/api/v1/decompile/{job_id}").json()
    # the analysis stored when explaining started stays browsable; no explanation is kept
    assert job["status"] == "cancelled" and job["result"]["explanation"] is None
    assert (
        job["result"]["analysis"]["binary"]["format"],
        job["result"]["analysis"]["binary"]["arch"],
    ) == ("elf", "x86_64")
    assert time.monotonic() - cancelled_at < 10
    again = client.post(f"/api/v1/jobs/{job_id}/cancel")
    assert again.status_code == 409
    assert again.json()["code"] == "job_not_cancellable"
    assert _error(client.post(f"/api/v1/jobs/{uuid.uuid4()}/cancel")) == (404, "job_not_found")


def test_delete_list_events_and_deleted_provider(
    client: TestClient, app_settings: Settings, llm: OpenAIServer
) -> None:
    provider_id = add_provider(client, llm, name="soon-gone")
    first = upload(client, provider_id=provider_id, analysis_depth="basic").json()["job_id"]
    events = client.get(f"/api/v1/jobs/{first}/events")
    assert events.headers["content-type"].startswith("text/event-stream")
    blocks = [b for b in events.text.split("\n\n") if b and not b.startswith(": ping")]
    assert blocks[-1] == f'event: end\ndata: {{"id": "{first}", "status": "completed"}}'
    assert all(b.startswith("event: progress\ndata: {") for b in blocks[:-1])
    assert '"status":"completed"' in blocks[-2]
    assert client.delete(f"/api/v1/user-llm-providers/{provider_id}").status_code == 204
    job = client.get(f"/api/v1/decompile/{first}").json()
    assert job["provider"] == {
        "id": None,
        "name": "soon-gone",
        "provider_type": "openai",
        "model": "gpt-4.1-mini",
    }
    second = upload(client, BIN / "tiny_static-x86_64.elf", analysis_depth="basic")
    wait_final(client, second.json()["job_id"])
    listed = client.get("/api/v1/jobs", params={"limit": 1}).json()
    assert listed["count"] == 2
    assert [j["id"] for j in listed["data"]] == [second.json()["job_id"]]
    assert client.get("/api/v1/jobs", params={"status": "failed"}).json()["count"] == 0
    stored = len(_blobs(app_settings))
    assert client.delete(f"/api/v1/jobs/{first}").status_code == 204
    assert _error(client.get(f"/api/v1/decompile/{first}")) == (404, "job_not_found")
    # Its file and its result are gone; the analysis cache entry's document stays.
    assert len(_blobs(app_settings)) == stored - 2
    assert _error(client.delete(f"/api/v1/jobs/{first}")) == (404, "job_not_found")


def test_restart_runs_queued_jobs_and_recovers_lost_ones(
    app_settings: Settings,
) -> None:
    app = create_app(app_settings)
    with TestClient(app) as client:
        ids = [upload(client, analysis_depth="basic").json()["job_id"] for _ in range(3)]
        for job_id in ids:
            wait_final(client, job_id)
    app.state.engine.dispose()
    # Pretend the server died: one job was queued, one running (first start), one running
    # for the second time.
    engine = make_engine(app_settings.sqlalchemy_url)
    stale = utcnow() - timedelta(minutes=5)
    with make_session_factory(engine).begin() as session:
        for job_id, values in zip(
            ids,
            [
                {"status": "queued", "attempts": 0},
                {"status": "running", "attempts": 1},
                {"status": "running", "attempts": 2},
            ],
            strict=True,
        ):
            session.execute(
                update(Job)
                .where(Job.id == uuid.UUID(job_id))
                .values(
                    stage="analyze",
                    progress=3,
                    heartbeat_at=stale,
                    finished_at=None,
                    result_sha256=None,
                    **values,
                )
            )
    engine.dispose()
    app = create_app(app_settings)
    with TestClient(app) as client:
        queued, once, twice = (wait_final(client, job_id) for job_id in ids)
        assert (queued["status"], queued["attempts"], queued["analysis_reused"]) == (
            "completed",
            1,
            True,
        )
        assert (once["status"], once["attempts"]) == ("completed", 2)
        assert (twice["status"], twice["error"]) == (
            "failed",
            {"code": "worker_lost", "message": "the worker running this job stopped 2 times"},
        )
    app.state.engine.dispose()
