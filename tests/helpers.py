"""Plain helpers shared by the test modules (fixtures live in the conftest.py files, helpers here).

- Paths: :data:`FIXTURES`, :data:`BIN` (the fixture binaries), :data:`CRACKME`.
- Jobs through the API: :func:`add_provider`, :func:`upload`, :func:`wait_final`,
  :func:`wait_for`; :data:`KEY` is the API key of the local LLM servers these tests start.
- Waiting on observable state: :func:`wait_until` (never a fixed sleep).
- Databases: :func:`create_postgres_database` / :func:`drop_postgres_database` for a test that
  needs its own empty PostgreSQL database; :func:`empty_redis_db` for a Redis database number.
- Provider configs: :func:`stored_config_error`.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from binscribe.db.engine import normalize_url
from binscribe.errors import ValidationFailed
from binscribe.llm.config import ProviderConfig
from tests.llm_servers.base import ProtocolServer

Cli = Callable[..., subprocess.CompletedProcess[str]]  # the ``cli`` fixture (tests/conftest.py)
BINSCRIBE = Path(sys.executable).with_name("binscribe")  # the installed console script
FIXTURES = Path(__file__).parent / "fixtures"
BIN = FIXTURES / "bin"
CRACKME = BIN / "crackme-x86_64.elf"
KEY = "sk-jobs-test-7f3a9c2e"
FINAL = {"completed", "failed", "cancelled"}
POSTGRES_ENV = "BINSCRIBE_TEST_POSTGRES_URL"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def wait_until[T](
    probe: Callable[[], T | None], timeout: float, what: str, interval: float = 0.1
) -> T:
    """Call ``probe`` every ``interval`` s until it returns something truthy; return that.

    Fails the test with ``what`` (and the last value) after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"{what}: not within {timeout} s (last: {value!r})")
        time.sleep(interval)


def add_provider(client: TestClient, server: ProtocolServer, **overrides: Any) -> str:
    """Create an OpenAI-type provider for ``server`` through the API; returns its id."""
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


def cli_add_provider(
    cli: Cli, server: ProtocolServer, name: str = "local", *options: str
) -> subprocess.CompletedProcess[str]:
    """``binscribe providers add`` of an OpenAI-type provider ``name`` for ``server`` (key
    :data:`KEY`), with any further ``options``; returns the run."""
    given = ["--name", name, "--type", "openai", "--api-key", KEY, "--endpoint", server.base_url]
    return cli("providers", "add", *given, *options)


def upload(client: TestClient, path: Path = CRACKME, name: str | None = None, **fields: Any) -> Any:
    """POST the file to /decompile with form ``fields`` (None values left out); the response."""
    data = {k: str(v) for k, v in fields.items() if v is not None}
    return client.post(
        "/api/v1/decompile", files={"file": (name or path.name, path.read_bytes())}, data=data
    )


def wait_for(
    client: TestClient,
    job_id: str,
    predicate: Callable[[dict[str, Any]], bool],
    timeout: float = 240.0,
) -> dict[str, Any]:
    """Poll the job until ``predicate(job_json)`` holds; returns the job JSON."""

    def probe() -> dict[str, Any] | None:
        job: dict[str, Any] = client.get(f"/api/v1/decompile/{job_id}").json()
        return job if predicate(job) else None

    return wait_until(probe, timeout, f"job {job_id} never reached the expected state")


def wait_final(client: TestClient, job_id: str, timeout: float = 240.0) -> dict[str, Any]:
    """Poll the job until it is final (completed, failed or cancelled); returns its JSON."""
    return wait_for(client, job_id, lambda job: job["status"] in FINAL, timeout)


def postgres_server_url() -> str | None:
    """The PostgreSQL server URL tests may create databases on, or None when not configured."""
    value = os.environ.get(POSTGRES_ENV, "").strip()
    return value or None


def create_postgres_database(prefix: str = "binscribe_test") -> str:
    """Create an empty database ``<prefix>_<hex>`` on the test server; returns its URL.

    Pair with :func:`drop_postgres_database`. Skips the test when no server is configured.
    """
    server = postgres_server_url()
    if server is None:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    name = f"{prefix}_{secrets.token_hex(6)}"
    _on_server(server, f'CREATE DATABASE "{name}"')
    return normalize_url(server).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    """Drop the database at ``url`` (made by :func:`create_postgres_database`), forcibly."""
    server = postgres_server_url()
    assert server is not None
    _on_server(server, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def _on_server(server: str, statement: str) -> None:
    """Run one statement outside a transaction on the PostgreSQL server at ``server``."""
    admin = create_engine(normalize_url(server), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(statement)
    finally:
        admin.dispose()


def empty_redis_db() -> int:
    """A Redis database number (1-15) on the local server that holds no key right now."""
    for number in secrets.SystemRandom().sample(range(1, 16), 15):
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number)
        try:
            if client.dbsize() == 0:
                return number
        finally:
            client.close()
    pytest.fail("no empty Redis database among 1-15")


def stored_config_error(provider_type: str, config_json: dict[str, object]) -> ValidationFailed:
    """The error ``ProviderConfig.from_stored`` raises for ``config_json`` (key ``k``, no
    endpoint or model); fails the test when it raises none."""
    with pytest.raises(ValidationFailed) as caught:
        ProviderConfig.from_stored(
            provider_type=provider_type,
            api_key="k",
            endpoint_url=None,
            default_model=None,
            config_json=config_json,
        )
    return caught.value
