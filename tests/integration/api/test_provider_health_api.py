"""Provider health through the API, on SQLite and PostgreSQL, against a local OpenAI-protocol
server: a stored verdict is forgotten when the connection changes (not for a rename or tuning),
and stale health is re-checked by a cheap probe at most once per provider per interval."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.db.models import UserLLMProvider, utcnow
from binscribe.settings import Settings
from tests.llm_servers import Step, serve

BASE = "/api/v1/user-llm-providers"
HEALTH = "/api/v1/llm-providers"
KEY = "sk-test-health-0123456789abcdef"
OTHER_KEY = "sk-test-health-fedcba9876543210"
MAX_AGE_S = 600


@contextmanager
def client_with_max_age(settings: Settings, max_age_s: int) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"provider_health_max_age_s": max_age_s}))
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture
def health_client(app_settings: Settings) -> Iterator[TestClient]:
    with client_with_max_age(app_settings, MAX_AGE_S) as client:
        yield client


def create(client: TestClient, **fields: Any) -> dict[str, Any]:
    body = {"name": "local", "provider_type": "openai", "api_key": KEY} | fields
    response = client.post(BASE, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def last_test(client: TestClient, provider_id: str) -> dict[str, Any] | None:
    response = client.get(f"{BASE}/{provider_id}")
    assert response.status_code == 200, response.text
    return response.json()["last_test"]  # type: ignore[no-any-return]


def run_test(client: TestClient, provider_id: str) -> dict[str, Any]:
    answer = client.post(f"{BASE}/{provider_id}/test").json()
    assert (answer["success"], answer["error_code"]) == (True, None), answer
    stored = last_test(client, provider_id)
    assert stored is not None and stored["source"] == "test"
    assert stored["tested_at"] == answer["tested_at"]
    return stored


def age(client: TestClient, provider_id: str, *, seconds: int, probe_seconds: int | None = None):
    """Make the stored health ``seconds`` old (and the last automatic probe, when given)."""
    app: Any = client.app
    with app.state.session_factory() as session:
        row = session.get(UserLLMProvider, uuid.UUID(provider_id))
        row.last_tested_at = utcnow() - timedelta(seconds=seconds)
        if probe_seconds is not None:
            row.health_probe_at = utcnow() - timedelta(seconds=probe_seconds)
        session.commit()


def health_of(listing: dict[str, Any], provider_id: str) -> dict[str, Any]:
    return next(p for p in listing["data"] if p["id"] == provider_id)


def test_rename_and_tuning_keep_the_verdict_connection_changes_forget_it(client: TestClient):
    with serve("openai", api_key=KEY, models=["m1", "m2"]) as server:
        provider = create(client, endpoint_url=server.base_url, default_model="m1")
        pid = provider["id"]
        first = run_test(client, pid)

        for change in (
            {"name": "renamed"},
            {"config": {"timeout_s": 30, "max_concurrency": 2}},
            {"is_active": False},
            {"is_active": True},
            {"api_key": KEY},
            {"endpoint_url": server.base_url},
            {"default_model": "m1"},
        ):
            response = client.put(f"{BASE}/{pid}", json=change)
            assert response.status_code == 200, response.text
            assert response.json()["last_test"] == first, change

        assert client.put(f"{BASE}/{pid}", json={"default_model": "m2"}).json()["last_test"] is None
        listed = health_of(client.get(HEALTH).json(), pid)
        assert (listed["health"], listed["last_checked_at"], listed["checked_by"]) == (
            "untested",
            None,
            None,
        )

        run_test(client, pid)
        assert client.put(f"{BASE}/{pid}", json={"api_key": OTHER_KEY}).json()["last_test"] is None

        client.put(f"{BASE}/{pid}", json={"api_key": KEY})
        run_test(client, pid)
        moved = client.put(f"{BASE}/{pid}", json={"endpoint_url": f"{server.root_url}/v2"})
        assert moved.json()["last_test"] is None


def test_clearing_a_model_equal_to_the_type_default_keeps_the_verdict(client: TestClient):
    with serve("openai", api_key=KEY) as server:
        provider = create(client, endpoint_url=server.base_url, default_model="gpt-4.1-mini")
        stored = run_test(client, provider["id"])
        cleared = client.put(f"{BASE}/{provider['id']}", json={"default_model": None}).json()
    assert cleared["default_model"] is None and cleared["effective_model"] == "gpt-4.1-mini"
    assert cleared["last_test"] == stored


def test_a_failed_rename_keeps_the_verdict_of_a_connection_change_it_carried(client: TestClient):
    with serve("openai", api_key=KEY, models=["m1", "m2"]) as server:
        create(client, name="taken", endpoint_url=server.base_url)
        provider = create(client, name="mine", endpoint_url=server.base_url, default_model="m1")
        stored = run_test(client, provider["id"])
        refused = client.put(
            f"{BASE}/{provider['id']}", json={"name": "taken", "default_model": "m2"}
        )
    assert (refused.status_code, refused.json()["code"]) == (409, "provider_name_taken")
    assert last_test(client, provider["id"]) == stored


def test_fresh_health_is_not_stale_and_refresh_probes_nothing(health_client: TestClient):
    with serve("openai", api_key=KEY, models=["m1"]) as server:
        provider = create(health_client, endpoint_url=server.base_url, default_model="m1")
        untested = create(health_client, name="untested", endpoint_url=server.base_url)
        run_test(health_client, provider["id"])
        before = len(server.requests)
        listing = health_client.post(f"{HEALTH}/refresh-stale").json()
        assert len(server.requests) == before
    assert listing["max_age_s"] == MAX_AGE_S
    fresh = health_of(listing, provider["id"])
    assert (fresh["stale"], fresh["probing"], fresh["checked_by"]) == (False, False, "test")
    assert health_of(listing, untested["id"])["stale"] is False  # no age: left to its test


def test_stale_health_is_reprobed_cheaply_once(health_client: TestClient):
    with serve("openai", api_key=KEY, models=["m1"]) as server:
        provider = create(health_client, endpoint_url=server.base_url, default_model="m1")
        pid = provider["id"]
        run_test(health_client, pid)
        age(health_client, pid, seconds=MAX_AGE_S + 60)
        shown = health_of(health_client.get(HEALTH).json(), pid)
        assert (shown["health"], shown["stale"], shown["probing"]) == ("healthy", True, False)

        server.requests.clear()
        listing = health_client.post(f"{HEALTH}/refresh-stale").json()
        assert [r.route for r in server.requests] == ["models"]  # no completion: no tokens
        again = health_client.post(f"{HEALTH}/refresh-stale").json()
        assert [r.route for r in server.requests] == ["models"]
    probed = health_of(listing, pid)
    assert (probed["health"], probed["stale"], probed["checked_by"]) == ("healthy", False, "probe")
    assert "model 'm1' is listed" in probed["message"]
    assert health_of(again, pid) == probed
    stored = last_test(health_client, pid)
    assert stored is not None and stored["source"] == "probe"


def test_a_stale_probe_that_fails_marks_the_provider_failing(health_client: TestClient):
    with serve("openai", api_key=KEY, models=["m1"]) as server:
        provider = create(health_client, endpoint_url=server.base_url, default_model="m1")
        run_test(health_client, provider["id"])
        age(health_client, provider["id"], seconds=MAX_AGE_S + 1)
        server.always(Step(kind="auth"))
        listing = health_client.post(f"{HEALTH}/refresh-stale").json()
    probed = health_of(listing, provider["id"])
    assert (probed["health"], probed["error_code"], probed["checked_by"]) == (
        "unhealthy",
        "auth_failed",
        "probe",
    )


def test_a_probe_started_within_the_interval_is_not_repeated(health_client: TestClient):
    """The rate limit is the database's ``health_probe_at``: another process's recent probe
    counts, even when its answer never arrived."""
    with serve("openai", api_key=KEY, models=["m1"]) as server:
        provider = create(health_client, endpoint_url=server.base_url, default_model="m1")
        run_test(health_client, provider["id"])
        age(health_client, provider["id"], seconds=MAX_AGE_S + 60, probe_seconds=MAX_AGE_S - 30)
        server.requests.clear()
        listing = health_client.post(f"{HEALTH}/refresh-stale").json()
        assert server.requests == []
        shown = health_of(listing, provider["id"])
        assert (shown["stale"], shown["probing"], shown["checked_by"]) == (True, False, "test")

        age(health_client, provider["id"], seconds=MAX_AGE_S + 60, probe_seconds=MAX_AGE_S + 1)
        health_client.post(f"{HEALTH}/refresh-stale")
        assert [r.route for r in server.requests] == ["models"]


def test_many_viewers_start_one_probe_and_see_it_running(health_client: TestClient):
    with serve("openai", api_key=KEY, models=["m1"]) as server:
        provider = create(health_client, endpoint_url=server.base_url, default_model="m1")
        pid = provider["id"]
        run_test(health_client, pid)
        age(health_client, pid, seconds=MAX_AGE_S + 60)
        server.requests.clear()
        server.enqueue(Step(kind="slow", delay_s=3.0, routes=("models",)))
        answers: list[dict[str, Any]] = []
        first = threading.Thread(
            target=lambda: answers.append(health_client.post(f"{HEALTH}/refresh-stale").json())
        )
        first.start()
        deadline = time.monotonic() + 10
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.01)  # until the first viewer's probe reached the provider
        assert [r.route for r in server.requests] == ["models"]

        others = [health_client.post(f"{HEALTH}/refresh-stale").json() for _ in range(5)]
        listed = health_client.get(HEALTH).json()
        first.join(timeout=30)
        assert not first.is_alive()
        assert [r.route for r in server.requests] == ["models"]
    for seen in [*others, listed]:
        shown = health_of(seen, pid)
        assert (shown["health"], shown["probing"], shown["checked_by"]) == (
            "healthy",
            True,
            "test",
        )
    done = health_of(answers[0], pid)
    assert (done["probing"], done["stale"], done["checked_by"]) == (False, False, "probe")


def test_zero_max_age_never_reprobes(app_settings: Settings):
    with (
        client_with_max_age(app_settings, 0) as client,
        serve("openai", api_key=KEY, models=["m1"]) as server,
    ):
        provider = create(client, endpoint_url=server.base_url, default_model="m1")
        run_test(client, provider["id"])
        age(client, provider["id"], seconds=10 * 365 * 86400)
        server.requests.clear()
        listing = client.post(f"{HEALTH}/refresh-stale").json()
        assert server.requests == []
    assert listing["max_age_s"] == 0
    shown = health_of(listing, provider["id"])
    assert (shown["health"], shown["stale"], shown["checked_by"]) == ("healthy", False, "test")
