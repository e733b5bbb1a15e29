"""Celery runner with this machine's Redis and PostgreSQL and real ``binscribe worker``
subprocesses, against a slow local OpenAI-protocol server. Fault injection: a worker killed
(``kill -9``) mid-explain has its job taken over within ``BINSCRIBE_CELERY_LOST_AFTER_S`` by the
reaper (Redis would redeliver only after the hour-long visibility timeout); a worker frozen
(``SIGSTOP``) mid-explain loses its job the same way and, once resumed, cannot complete it a
second time; a queued job whose message vanished from Redis is sent again.

Each run uses its own Redis database number and queue name and its own PostgreSQL database, and
removes its Redis keys at the end; workers are always killed.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import update

from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.db.engine import make_session_factory, upgrade_database
from binscribe.db.models import Job, utcnow
from binscribe.jobs.celery_app import CeleryRunner, pending_job_ids
from binscribe.jobs.context import JobContext
from binscribe.settings import Settings
from tests.factories import make_job
from tests.helpers import (
    BIN,
    BINSCRIBE,
    REDIS_HOST,
    REDIS_PORT,
    add_provider,
    create_postgres_database,
    drop_postgres_database,
    empty_redis_db,
    upload,
    wait_final,
    wait_for,
    wait_until,
)
from tests.llm_servers.base import Step
from tests.llm_servers.canned import canned_reply
from tests.llm_servers.openai import OpenAIServer

pytestmark = pytest.mark.postgres

KEY = "sk-celery-test-2b9d41e7"
LOST_AFTER_S = 10.0
"""The reaper's bound in these tests (the default is 120 s)."""
TAKEOVER_S = 2 * LOST_AFTER_S
"""A lost job is re-queued within this long after its worker stopped: the bound after its last
heartbeat plus one reaper interval, with room for a loaded machine."""


@pytest.fixture
def pg_url() -> Iterator[str]:
    url = create_postgres_database("binscribe_celery")
    try:
        upgrade_database(url)
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture
def broker() -> Iterator[tuple[str, str]]:
    """(broker URL, queue name) on a Redis database number no other key uses right now."""
    number = empty_redis_db()
    queue = f"binscribe-test-{secrets.token_hex(4)}"
    try:
        yield f"redis://{REDIS_HOST}:{REDIS_PORT}/{number}", queue
    finally:
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number)
        ours = (b"unacked", b"_kombu.")
        keys = [k for k in client.scan_iter("*") if queue.encode() in k or k.startswith(ours)]
        if keys:
            client.delete(*keys)
        client.close()


class Workers:
    """Starts ``binscribe worker`` processes in their own process groups; kills them all."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env, self.cwd = env, cwd
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, name: str) -> subprocess.Popen[bytes]:
        with (self.cwd / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                [str(BINSCRIBE), "worker", "--concurrency", "1"],
                env=self.env,
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(30)

    def signal(self, process: subprocess.Popen[bytes], number: signal.Signals) -> None:
        os.killpg(process.pid, number)

    def wait_for_log(self, name: str, text: str, timeout: float = 90.0) -> None:
        """Poll ``<name>.log`` until it contains ``text`` (fails the test on timeout)."""
        path = self.cwd / f"{name}.log"
        wait_until(
            lambda: text in path.read_text(errors="replace"), timeout, f"{name} logging {text!r}"
        )

    def kill_all(self) -> None:
        for process in self.processes:
            self.kill(process)


@dataclass
class Cluster:
    """The API app's settings, the worker environment and the workers of one test."""

    settings: Settings
    workers: Workers


@pytest.fixture
def cluster(pg_url: str, broker: tuple[str, str], tmp_path: Path) -> Iterator[Cluster]:
    broker_url, queue = broker
    key = generate_key()
    data_dir = tmp_path / "data"
    # Redis would redeliver a dead worker's message only after an hour: recovery is the reaper's
    settings = Settings(
        data_dir=data_dir,
        database_url=pg_url,
        encryption_key=key,
        queue="celery",
        broker_url=broker_url,
        celery_queue=queue,
        celery_visibility_timeout_s=3600,
        celery_lost_after_s=LOST_AFTER_S,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BINSCRIBE_")}
    env.update(
        BINSCRIBE_DATA_DIR=str(data_dir),
        BINSCRIBE_DATABASE_URL=pg_url,
        BINSCRIBE_QUEUE="celery",
        BINSCRIBE_BROKER_URL=broker_url,
        BINSCRIBE_CELERY_QUEUE=queue,
        BINSCRIBE_CELERY_VISIBILITY_TIMEOUT_S="3600",
        BINSCRIBE_CELERY_LOST_AFTER_S=str(LOST_AFTER_S),
        BINSCRIBE_JOB_POLL_S="0.2",
        LLM_PROVIDER_ENCRYPTION_KEY=key,
    )
    workers = Workers(env, tmp_path)
    try:
        yield Cluster(settings, workers)
    finally:
        workers.kill_all()


@pytest.fixture
def slow_llm() -> Iterator[OpenAIServer]:
    server = OpenAIServer(api_key=KEY, reply=canned_reply).start()
    server.always(Step("slow", delay_s=0.8))
    try:
        yield server
    finally:
        server.stop()


def _job(client: TestClient, job_id: str) -> dict[str, Any]:
    return dict(client.get(f"/api/v1/decompile/{job_id}").json())


def _assert_explained(job: dict[str, Any], attempts: int) -> None:
    assert (job["status"], job["error"], job["attempts"]) == ("completed", None, attempts)
    explanation = job["result"]["explanation"]
    assert explanation["program"]["status"] == "explained"
    assert explanation["functions"] and all(
        f["status"] == "explained" for f in explanation["functions"]
    )


def _wait_recovered(client: TestClient, job_id: str, since: float) -> None:
    """Wait until the job left its first claim (re-queued, or claimed again); asserts it did
    within :data:`TAKEOVER_S` of ``since`` (monotonic)."""
    job = wait_for(
        client, job_id, lambda j: j["status"] != "running" or j["attempts"] == 2, 3 * TAKEOVER_S
    )
    assert time.monotonic() - since <= TAKEOVER_S, job
    assert (job["status"], job["attempts"]) in {("queued", 1), ("running", 2)}, job


def test_killed_worker_job_is_taken_over_within_the_bound(
    cluster: Cluster, slow_llm: OpenAIServer
) -> None:
    app = create_app(cluster.settings)
    try:
        with TestClient(app) as client:
            provider_id = add_provider(client, slow_llm, api_key=KEY)
            first_worker = cluster.workers.start("worker-1")
            a = upload(client, provider_id=provider_id, function_limit=4).json()["job_id"]
            b = upload(
                client, BIN / "fileio-x86_64.elf", provider_id=provider_id, function_limit=4
            ).json()["job_id"]
            wait_for(client, a, lambda j: j["stage"] == "explain", timeout=180)
            assert _job(client, b)["status"] == "queued"
            cluster.workers.kill(first_worker)
            killed_at = time.monotonic()
            assert _job(client, a)["status"] == "running"
            cluster.workers.start("worker-2")
            _wait_recovered(client, a, killed_at)
            done_a, done_b = wait_final(client, a, 300), wait_final(client, b, 300)
            _assert_explained(done_a, attempts=2)  # started by worker 1, finished by worker 2
            _assert_explained(done_b, attempts=1)
    finally:
        app.state.engine.dispose()


def test_stalled_worker_cannot_complete_its_job_again_after_a_takeover(
    cluster: Cluster, slow_llm: OpenAIServer
) -> None:
    app = create_app(cluster.settings)
    try:
        with TestClient(app) as client:
            provider_id = add_provider(client, slow_llm, api_key=KEY)
            first_worker = cluster.workers.start("worker-1")
            job_id = upload(client, provider_id=provider_id, function_limit=4).json()["job_id"]
            wait_for(client, job_id, lambda j: j["stage"] == "explain", timeout=180)
            cluster.workers.signal(first_worker, signal.SIGSTOP)
            stalled_at = time.monotonic()
            cluster.workers.start("worker-2")
            _wait_recovered(client, job_id, stalled_at)
            done = wait_final(client, job_id, 300)
            _assert_explained(done, attempts=2)
            # worker 1 wakes up in the middle of its explain stage, with its claim gone
            cluster.workers.signal(first_worker, signal.SIGCONT)
            cluster.workers.wait_for_log(
                "worker-1", f"job {job_id} was taken over by attempt 2 while attempt 1 ran here"
            )
            assert _job(client, job_id) == done  # not one column written by the late worker
    finally:
        app.state.engine.dispose()


def test_queued_job_without_a_message_is_sent_again_once(cluster: Cluster) -> None:
    settings = cluster.settings
    ctx = JobContext.build(settings)
    runner = CeleryRunner(ctx)  # not started: the test runs the reaper's passes itself
    try:
        long_ago = utcnow() - timedelta(seconds=2 * LOST_AFTER_S)
        with make_session_factory(ctx.engine).begin() as session:
            lost = make_job(session, updated_at=long_ago).id
            fresh = make_job(session).id
        assert runner.reaper.reap().resent == [lost]
        pending = pending_job_ids(runner.app, settings.celery_queue, delivered_within_s=60)
        assert pending == {lost}
        assert runner.reaper.reap().resent == []  # a message is waiting now
        client = redis.Redis.from_url(str(settings.broker_url))
        try:
            assert client.delete(settings.celery_queue) == 1  # the message is lost again
        finally:
            client.close()
        assert runner.reaper.reap().resent == []  # re-sent less than the bound ago
        with make_session_factory(ctx.engine).begin() as session:
            session.execute(update(Job).where(Job.id == lost).values(updated_at=long_ago))
        assert runner.reaper.reap().resent == [lost]
        assert fresh not in pending_job_ids(
            runner.app, settings.celery_queue, delivered_within_s=60
        )
    finally:
        runner.stop()
        ctx.engine.dispose()


def test_upload_while_redis_is_down_is_accepted_and_stays_queued(
    pg_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=pg_url,
        encryption_key=generate_key(),
        queue="celery",
        broker_url="redis://127.0.0.1:1/0",
        celery_lost_after_s=LOST_AFTER_S,
    )
    app = create_app(settings)
    try:
        with TestClient(app) as client:
            response = upload(client, analysis_depth="basic")
            assert response.status_code == 202, response.text
            job = _job(client, response.json()["job_id"])
            assert (job["status"], job["attempts"], job["error"]) == ("queued", 0, None)
    finally:
        app.state.engine.dispose()


def test_a_delivered_message_counts_as_pending_until_the_bound(cluster: Cluster) -> None:
    settings = cluster.settings
    ctx = JobContext.build(settings)
    runner = CeleryRunner(ctx)
    try:
        with make_session_factory(ctx.engine).begin() as session:
            job_id = make_job(session).id
        runner.submit(job_id)
        with runner.app.connection_for_read() as connection:
            queue = connection.SimpleQueue(settings.celery_queue)
            message = queue.get(block=True, timeout=10)  # delivered, not acknowledged
            assert message.headers["id"] == str(job_id)
            in_bound = pending_job_ids(runner.app, settings.celery_queue, delivered_within_s=60)
            past_bound = pending_job_ids(runner.app, settings.celery_queue, delivered_within_s=0)
            message.ack()
            queue.close()
        assert (in_bound, past_bound) == ({job_id}, set())
    finally:
        runner.stop()
        ctx.engine.dispose()
