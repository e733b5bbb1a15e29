"""Partial results with Celery workers (this machine's Redis and PostgreSQL, a real
``binscribe worker``): while a worker explains slowly, the API serves the explanations it has
stored so far, and its ``result_revision`` changes reach the event stream over Redis pub/sub
(the stream's periodic re-read is pushed out of the test's reach). Fixtures from
``test_celery_workers``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.api.routes import events
from tests.helpers import add_provider, upload, wait_final, wait_for
from tests.integration.jobs.test_celery_workers import (  # noqa: F401  (fixtures)
    KEY,
    Cluster,
    broker,
    cluster,
    pg_url,
)
from tests.integration.jobs.test_job_events import read_events
from tests.integration.jobs.test_partial_results import LIMIT, watch_running
from tests.llm_servers.base import Step
from tests.llm_servers.canned import canned_reply
from tests.llm_servers.openai import OpenAIServer

pytestmark = pytest.mark.postgres


@pytest.fixture
def slow_llm() -> Iterator[OpenAIServer]:
    server = OpenAIServer(api_key=KEY, reply=canned_reply).start()
    server.always(Step("slow", delay_s=0.8))
    try:
        yield server
    finally:
        server.stop()


def test_a_worker_stores_partial_results_the_api_serves(
    cluster: Cluster,  # noqa: F811 (the fixture)
    slow_llm: OpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(events, "RECHECK_S", 3600.0)
    app = create_app(cluster.settings)
    try:
        with TestClient(app) as client:
            cluster.workers.start("worker-1")
            single = {"config": {"max_concurrency": 1}}
            provider_id = add_provider(client, slow_llm, api_key=KEY, **single)
            job_id = upload(client, provider_id=provider_id, function_limit=LIMIT).json()["job_id"]
            wait_for(client, job_id, lambda j: j["stage"] == "explain", timeout=300)
            seen = watch_running(client, job_id)
            counts = [s["explained"] for s in seen]
            assert counts == sorted(counts)
            assert any(0 < count < LIMIT for count in counts), counts
            assert wait_final(client, job_id, 300)["status"] == "completed"

            # a second job (another provider: no cached explanations) followed by its stream
            other = add_provider(client, slow_llm, api_key=KEY, **single)
            second = upload(client, provider_id=other, function_limit=LIMIT).json()["job_id"]
            stream = read_events(client, "/api/v1/events", job=second)
    finally:
        app.state.engine.dispose()
    assert stream[-1] == ("end", {"id": second, "status": "completed"})
    explaining = {
        data["result_revision"]
        for event, data in stream
        if event == "progress" and data["status"] == "running" and data["stage"] == "explain"
    }
    # the analysis alone, then at least one snapshot with explanations, pushed over Redis
    assert len(explaining) >= 2 and None not in explaining, explaining
