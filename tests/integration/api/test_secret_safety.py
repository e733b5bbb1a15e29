"""A canary API key goes through every provider operation and must surface nowhere.

Checked: every response body and header, every log record (DEBUG, SQL statements with their
parameters included), the process's stderr, and a raw dump of the database (the SQLite file and
its WAL; ``pg_dump`` for PostgreSQL).
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from binscribe.settings import Settings
from tests.llm_servers import ProtocolServer, serve

CANARY = "sk-canary-7f3a9c1e5b2d4f608a1b2c3d4e5f6a7b"
BASE = "/api/v1/user-llm-providers"


@pytest.fixture
def openai_server() -> Iterator[ProtocolServer]:
    with serve("openai", models=["gpt-4.1-mini"]) as server:
        yield server


def database_dump(settings: Settings) -> bytes:
    url = make_url(settings.sqlalchemy_url)
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    result = subprocess.run(
        [
            "pg_dump",
            "-h",
            url.host or "127.0.0.1",
            "-p",
            str(url.port or 5432),
            "-U",
            url.username or "postgres",
            "--data-only",
            str(url.database),
        ],
        capture_output=True,
        check=True,
    )
    return result.stdout


def test_canary_key_never_leaves_the_store(
    openai_server: ProtocolServer,
    client: TestClient,
    app_settings: Settings,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    try:
        responses = [
            client.post(
                BASE,
                json={
                    "name": "canary",
                    "provider_type": "openai",
                    "api_key": CANARY,
                    "endpoint_url": openai_server.base_url,
                },
            )
        ]
        provider_id = responses[0].json()["id"]
        responses += [
            client.get(BASE),
            client.get(f"{BASE}/{provider_id}"),
            client.put(f"{BASE}/{provider_id}", json={"name": "canary 2", "api_key": CANARY}),
            client.put(f"{BASE}/{provider_id}", json={"api_key": "x" * 3 + CANARY}),
            client.post(f"{BASE}/{provider_id}/test"),
            client.post(
                BASE, json={"name": "canary 2", "provider_type": "openai", "api_key": CANARY}
            ),
            client.post(BASE, json={"name": "", "provider_type": "openai", "api_key": CANARY}),
        ]
        dump = database_dump(app_settings)
        responses.append(client.delete(f"{BASE}/{provider_id}"))
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

    assert [r.status_code for r in responses][:6] == [201, 200, 200, 200, 200, 200]
    assert responses[5].json()["success"] is True, responses[5].json()
    assert any(CANARY in r.headers.get("authorization", "") for r in openai_server.requests)
    assert all(CANARY not in r.raw_url for r in openai_server.requests)
    assert b"canary 2" in dump  # the dump really holds the provider row
    assert CANARY.encode() not in dump
    assert CANARY[-12:].encode() not in dump
    for response in responses:
        assert CANARY not in response.text
        assert CANARY not in str(response.headers)
    assert caplog.records, "logging was captured"
    assert any("user_llm_providers" in r.getMessage() for r in caplog.records)
    for record in caplog.records:
        assert CANARY not in record.getMessage()
    captured = capfd.readouterr()
    assert CANARY not in captured.out + captured.err
