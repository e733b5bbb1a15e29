"""Celery runner with this machine's Redis and PostgreSQL and real ``binscribe worker``
subprocesses: two jobs are submitted, the worker running one is killed mid-job, another worker
is started, and both jobs complete with results.

Each run uses its own Redis database number and queue name and its own PostgreSQL database, and
removes its Redis keys at the end; workers are always killed.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.db.engine import upgrade_database
from binscribe.settings import Settings
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.integration.jobs.canned import canned_reply
from tests.integration.jobs.conftest import BIN, add_provider, upload, wait_final, wait_for
from tests.llm_servers.base import Step
from tests.llm_servers.openai import OpenAIServer

pytestmark = pytest.mark.postgres

BINSCRIBE = Path(sys.executable).with_name("binscribe")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


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
    for number in secrets.SystemRandom().sample(range(1, 16), 15):
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number)
        if client.dbsize() == 0:
            break
        client.close()
    else:
        pytest.fail("no empty Redis database among 1-15")
    queue = f"binscribe-test-{secrets.token_hex(4)}"
    try:
        yield f"redis://{REDIS_HOST}:{REDIS_PORT}/{number}", queue
    finally:
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
                [str(BINSCRIBE), "worker", "--concurrency", "1"], env=self.env, cwd=self.cwd,
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(30)

    def kill_all(self) -> None:
        for process in self.processes:
            self.kill(process)


def test_killed_worker_job_is_redelivered_and_both_jobs_complete(
    pg_url: str, broker: tuple[str, str], tmp_path: Path
) -> None:
    broker_url, queue = broker
    key = generate_key()
    data_dir = tmp_path / "data"
    settings = Settings(
        data_dir=data_dir, database_url=pg_url, encryption_key=key, queue="celery",
        broker_url=broker_url, celery_queue=queue, celery_visibility_timeout_s=5,
    )  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("BINSCRIBE_")}
    env.update(
        BINSCRIBE_DATA_DIR=str(data_dir), BINSCRIBE_DATABASE_URL=pg_url,
        BINSCRIBE_QUEUE="celery", BINSCRIBE_BROKER_URL=broker_url,
        BINSCRIBE_CELERY_QUEUE=queue, BINSCRIBE_CELERY_VISIBILITY_TIMEOUT_S="5",
        BINSCRIBE_JOB_POLL_S="0.2", LLM_PROVIDER_ENCRYPTION_KEY=key,
    )  # fmt: skip
    workers = Workers(env, tmp_path)
    server = OpenAIServer(api_key="sk-celery-test-2b9d41e7", reply=canned_reply).start()
    server.always(Step("slow", delay_s=0.8))
    app = create_app(settings)
    try:
        with TestClient(app) as client:
            provider_id = add_provider(client, server, api_key="sk-celery-test-2b9d41e7")
            first_worker = workers.start("worker-1")
            a = upload(client, provider_id=provider_id, function_limit=4).json()["job_id"]
            b = upload(client, BIN / "fileio-x86_64.elf", provider_id=provider_id,
                       function_limit=4).json()["job_id"]  # fmt: skip
            wait_for(client, a, lambda j: j["stage"] == "explain", timeout=180)
            assert client.get(f"/api/v1/decompile/{b}").json()["status"] == "queued"
            workers.kill(first_worker)
            workers.start("worker-2")
            done_a, done_b = wait_final(client, a, 300), wait_final(client, b, 300)
            for job in (done_a, done_b):
                assert (job["status"], job["error"]) == ("completed", None)
                explanation = job["result"]["explanation"]
                assert explanation["program"]["status"] == "explained"
                assert explanation["functions"] and all(
                    f["status"] == "explained" for f in explanation["functions"]
                )
            assert done_a["attempts"] == 2  # started by worker 1, finished by worker 2
            assert done_b["attempts"] == 1
    finally:
        workers.kill_all()
        server.stop()
        app.state.engine.dispose()
