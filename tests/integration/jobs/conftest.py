"""Job fixtures: an app with the local runner on both databases, a local OpenAI-protocol server
answering canned JSON, and helpers to create providers and wait for jobs.

``jobs_settings`` run 2 workers and poll for cancellation every 0.2 s; ``llm`` is the started
:class:`~tests.llm_servers.openai.OpenAIServer` (key :data:`KEY`); ``jobs_client`` is a
TestClient whose lifespan starts and stops the runner.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.settings import Settings
from tests.integration.jobs.canned import canned_reply
from tests.llm_servers.openai import OpenAIServer

KEY = "sk-jobs-test-7f3a9c2e"
BIN = Path(__file__).parents[2] / "fixtures" / "bin"
CRACKME = BIN / "crackme-x86_64.elf"
FINAL = {"completed", "failed", "cancelled"}


@pytest.fixture
def llm() -> Iterator[OpenAIServer]:
    server = OpenAIServer(api_key=KEY, reply=canned_reply).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def jobs_settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=db_url,
        encryption_key=generate_key(),
        workers=2,
        job_poll_s=0.2,
    )


@pytest.fixture
def jobs_client(jobs_settings: Settings) -> Iterator[TestClient]:
    app = create_app(jobs_settings)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def add_provider(client: TestClient, server: OpenAIServer, **overrides: Any) -> str:
    """Create a provider for ``server`` through the API; returns its id."""
    body = {
        "name": f"local-{time.monotonic_ns()}",
        "provider_type": "openai",
        "api_key": KEY,
        "endpoint_url": server.base_url,
        "default_model": "gpt-4.1-mini",
        **overrides,
    }
    response = client.post("/api/v1/user-llm-providers", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def upload(client: TestClient, path: Path = CRACKME, name: str | None = None, **fields: Any) -> Any:
    """POST the file to /decompile with form ``fields``; returns the response."""
    data = {k: str(v) for k, v in fields.items() if v is not None}
    return client.post(
        "/api/v1/decompile", files={"file": (name or path.name, path.read_bytes())}, data=data
    )


def wait_final(client: TestClient, job_id: str, timeout: float = 240.0) -> dict[str, Any]:
    """Poll the job until it is final; returns its JSON (fails the test on timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/decompile/{job_id}").json()
        if job["status"] in FINAL:
            return dict(job)
        time.sleep(0.3)
    pytest.fail(f"job {job_id} not final after {timeout} s: {job}")


def wait_for(client: TestClient, job_id: str, predicate: Any, timeout: float = 240.0) -> Any:
    """Poll the job until ``predicate(job_json)`` holds; returns the job JSON."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/decompile/{job_id}").json()
        if predicate(job):
            return job
        time.sleep(0.1)
    pytest.fail(f"job {job_id} never reached the expected state: {job}")
