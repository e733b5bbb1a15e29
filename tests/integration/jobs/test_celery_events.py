"""Event streams with Celery workers: job changes made in ``binscribe worker`` processes reach
the API's ``/api/v1/events`` stream over Redis pub/sub (its periodic re-read is pushed out of
the test's reach, so only published changes can move the stream). This machine's Redis and
PostgreSQL; fixtures from ``test_celery_workers``."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.api.routes import events
from tests.helpers import BIN, upload
from tests.integration.jobs.test_celery_workers import (  # noqa: F401  (fixtures)
    Cluster,
    broker,
    cluster,
    pg_url,
)
from tests.integration.jobs.test_job_events import assert_in_order, read_events

pytestmark = pytest.mark.postgres


def test_worker_changes_reach_one_stream_over_redis(
    cluster: Cluster,  # noqa: F811 (the fixture)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(events, "RECHECK_S", 3600.0)
    app = create_app(cluster.settings)
    try:
        with TestClient(app) as client:
            cluster.workers.start("worker-1")
            ids = [
                upload(client, analysis_depth="basic").json()["job_id"],
                upload(client, BIN / "tiny_static-x86_64.elf", analysis_depth="basic").json()[
                    "job_id"
                ],
            ]
            started = time.monotonic()
            streamed = read_events(client, "/api/v1/events", job=ids)
            assert time.monotonic() - started < 300
            for job_id in ids:
                jobs = assert_in_order(streamed, job_id)
                assert any(job["status"] == "running" for job in jobs)
                assert (jobs[-1]["status"], jobs[-1]["progress"]) == ("completed", 100)
            assert [event for event, _ in streamed][-1] == "end"
    finally:
        app.state.engine.dispose()
