"""SQLite under concurrent load, and what a write that cannot get the database answers.

Many threads send a mix of reads and writes to a real server on the embedded default (SQLite +
local runner): every answer is the one the request must get, none is a 5xx. A write lock held by
another connection past the (tiny) busy timeout makes a write answer 503 ``database_busy`` with
``Retry-After``, while reads still answer; once the lock is gone the same write succeeds.
"""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.settings import Settings
from tests.live_server import running_server

BIN = Path(__file__).parents[2] / "fixtures" / "bin"
THREADS = 48
REQUESTS_PER_THREAD = 12


def _provider(rng: random.Random, owner: int = -1) -> dict[str, object]:
    return {
        "name": f"busy-{owner}-{rng.getrandbits(48):012x}",
        "provider_type": "openai",
        "api_key": f"sk-busy-{rng.getrandbits(64):016x}",
        "endpoint_url": "http://127.0.0.1:9/v1",
    }


def _mixed_client(url: str, seed: int, provider_ids: list[str], wrong: list[str]) -> None:
    """Send :data:`REQUESTS_PER_THREAD` requests; append each unexpected answer to ``wrong``."""
    rng = random.Random(seed)
    created: list[str] = []

    def check(response: httpx.Response, expected: int) -> None:
        if response.status_code != expected:
            wrong.append(
                f"{response.request.method} {response.request.url.path}: "
                f"{response.status_code} {response.text[:200]}"
            )

    with httpx.Client(base_url=url, timeout=120) as client:
        requests: list[Callable[[], None]] = [
            lambda: check(client.get("/api/v1/user-llm-providers"), 200),
            lambda: check(client.get("/api/v1/llm-providers"), 200),
            lambda: check(client.get("/api/v1/jobs"), 200),
            lambda: check(client.get("/api/v1/health"), 200),
            lambda: check(
                client.get(f"/api/v1/user-llm-providers/{rng.choice(provider_ids)}"), 200
            ),
            lambda: check(
                client.put(
                    f"/api/v1/user-llm-providers/{rng.choice(provider_ids)}",
                    json={"default_model": f"m-{rng.randrange(1000)}"},
                ),
                200,
            ),
            lambda: check(client.put("/api/v1/user-llm-providers/" + "0" * 32, json={}), 404),
        ]
        for number in range(REQUESTS_PER_THREAD):
            if number % 4 == 0:
                response = client.post("/api/v1/user-llm-providers", json=_provider(rng, seed))
                check(response, 201)
                if response.status_code == 201:
                    created.append(response.json()["id"])
            elif number == 5 and seed % 4 == 0:
                body = (BIN / "tiny_static-x86_64.elf").read_bytes()
                response = client.post(
                    "/api/v1/decompile",
                    files={"file": ("tiny.elf", body)},
                    data={"analysis_depth": "basic"},
                )
                check(response, 202)
            else:
                rng.choice(requests)()
        for provider_id in created:
            check(client.delete(f"/api/v1/user-llm-providers/{provider_id}"), 204)


def test_many_concurrent_clients_on_sqlite_get_no_error(tmp_path: Path) -> None:
    with running_server(tmp_path, BINSCRIBE_LOG_LEVEL="WARNING") as server:
        rng = random.Random(0)
        provider_ids = [
            httpx.post(f"{server.url}/api/v1/user-llm-providers", json=_provider(rng)).json()["id"]
            for _ in range(5)
        ]
        wrong: list[str] = []
        threads = [
            threading.Thread(target=_mixed_client, args=(server.url, seed, provider_ids, wrong))
            for seed in range(THREADS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        assert not any(thread.is_alive() for thread in threads)
        assert wrong == []
        listed = httpx.get(f"{server.url}/api/v1/user-llm-providers").json()
        assert listed["count"] == 5  # every provider a client created, it deleted


def test_a_write_that_cannot_get_the_database_answers_503(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", encryption_key=generate_key(), sqlite_busy_timeout_s=0.05
    )
    app = create_app(settings)
    body = _provider(random.Random(1))
    try:
        with TestClient(app) as client:
            holder = sqlite3.connect(settings.data_dir / "binscribe.db", isolation_level=None)
            try:
                holder.execute("BEGIN IMMEDIATE")  # another process writing, for too long
                response = client.post("/api/v1/user-llm-providers", json=body)
                assert response.status_code == 503
                assert response.headers["retry-after"] == "1"
                assert response.json() == {
                    "code": "database_busy",
                    "message": "The database is busy with other writes; retry in a moment.",
                    "details": None,
                }
                listed = client.get("/api/v1/user-llm-providers")
                assert (listed.status_code, listed.json()["count"]) == (200, 0)
            finally:
                holder.rollback()
                holder.close()
            created = client.post("/api/v1/user-llm-providers", json=body)
            assert (created.status_code, created.json()["name"]) == (201, body["name"])
    finally:
        app.state.engine.dispose()
