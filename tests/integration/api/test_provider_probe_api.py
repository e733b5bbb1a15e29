"""Connection tests and the health listing through the API, against local protocol servers.

The servers in ``tests.llm_servers`` speak the providers' real wire protocols; the adapters use
the official SDKs. Nothing here reaches the internet.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient

from binscribe.crypto import CredentialCipher, generate_key
from binscribe.db.providers import get_provider
from tests.llm_servers import Step, serve

BASE = "/api/v1/user-llm-providers"
KEY = "sk-test-probe-0123456789abcdef"


def create(client: TestClient, **fields: Any) -> dict[str, Any]:
    body = {"name": "local", "provider_type": "openai", "api_key": KEY} | fields
    response = client.post(BASE, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_successful_test_lists_models_and_is_stored(client: TestClient) -> None:
    with serve("openai", api_key=KEY, models=["smollm2", "gpt-4.1-mini"]) as server:
        provider = create(client, endpoint_url=server.base_url)
        response = client.post(f"{BASE}/{provider['id']}/test")
        assert response.status_code == 200
        body = response.json()
        assert body["success"] is True
        assert body["error_code"] is None
        assert sorted(body["models"]) == ["gpt-4.1-mini", "smollm2"]
        assert isinstance(body["latency_ms"], int) and body["latency_ms"] >= 0
        # The model list, then one minimal completion with the parameters jobs send.
        assert [r.route for r in server.requests] == ["models", "chat"]
        assert [r.headers["authorization"] for r in server.requests] == [f"Bearer {KEY}"] * 2
        assert all(KEY not in r.raw_url for r in server.requests)
    stored = client.get(f"{BASE}/{provider['id']}").json()["last_test"]
    assert stored["status"] == "success"
    assert stored["error_code"] is None
    assert stored["latency_ms"] == body["latency_ms"]


def test_pasted_gemini_method_url_passes_its_connection_test(client: TestClient) -> None:
    """Stored as pasted, ``.../v1beta/models/<m>:generateContent`` failed its test with
    ``model_not_found``; normalized, the base URL and the model it named work."""
    with serve("gemini", api_key="AIza-test-key-000000") as server:
        provider = create(
            client,
            provider_type="gemini",
            api_key="AIza-test-key-000000",
            endpoint_url=f"{server.root_url}/v1beta/models/gemini-2.5-pro:generateContent",
        )
        assert (provider["endpoint_url"], provider["default_model"]) == (
            server.root_url,
            "gemini-2.5-pro",
        )
        body = client.post(f"{BASE}/{provider['id']}/test").json()
    assert (body["success"], body["error_code"]) == (True, None)
    assert "gemini-2.5-pro" in body["models"]


def test_failed_test_is_an_answer_not_an_error(client: TestClient) -> None:
    with serve("anthropic", api_key="sk-ant-the-right-key-000") as server:
        provider = create(
            client,
            provider_type="anthropic",
            api_key="sk-ant-wrong-key-111",
            endpoint_url=server.root_url,
        )
        response = client.post(f"{BASE}/{provider['id']}/test")
    assert response.status_code == 200
    body = response.json()
    assert (body["success"], body["error_code"]) == (False, "auth_failed")
    assert "sk-ant-wrong-key-111" not in response.text
    stored = client.get(f"{BASE}/{provider['id']}").json()
    assert stored["last_test"]["status"] == "failure"
    assert stored["last_test"]["error_code"] == "auth_failed"


def test_unreachable_endpoint(client: TestClient) -> None:
    with serve("ollama") as server:
        url = server.root_url
    provider = create(client, provider_type="ollama", api_key=None, endpoint_url=url)
    body = client.post(f"{BASE}/{provider['id']}/test").json()
    assert (body["success"], body["error_code"]) == (False, "unreachable")
    assert "refused" in body["message"].lower()


def test_metadata_endpoint_is_refused(client: TestClient) -> None:
    """Refused when saved; a provider stored before that rule is still refused when tested."""
    body = {
        "name": "imds",
        "provider_type": "openai",
        "api_key": KEY,
        "endpoint_url": "http://169.254.169.254/v1",
    }
    saved = client.post(BASE, json=body)
    assert (saved.status_code, saved.json()["code"]) == (422, "endpoint_forbidden")
    provider = create(client, endpoint_url="http://127.0.0.1:1/v1")
    app = client.app
    with app.state.session_factory() as session:  # type: ignore[attr-defined]
        get_provider(session, uuid.UUID(provider["id"])).endpoint_url = "http://169.254.169.254/v1"
        session.commit()
    tested = client.post(f"{BASE}/{provider['id']}/test").json()
    assert (tested["success"], tested["error_code"]) == (False, "endpoint_forbidden")


def test_key_needing_reentry_reports_it(client: TestClient) -> None:
    foreign = CredentialCipher([generate_key()])
    provider = create(client)
    app = client.app
    with app.state.session_factory() as session:  # type: ignore[attr-defined]
        row = get_provider(session, uuid.UUID(provider["id"]))
        row.encrypted_api_key = foreign.encrypt(KEY)
        row.key_fingerprint = foreign.fingerprint
        session.commit()
    listed = client.get(BASE).json()["data"][0]
    assert listed["key_status"] == "needs_reentry"
    body = client.post(f"{BASE}/{provider['id']}/test").json()
    assert (body["success"], body["error_code"]) == (False, "provider_key_unusable")
    repaired = client.put(f"{BASE}/{provider['id']}", json={"api_key": KEY}).json()
    assert repaired["key_status"] == "ok"


def test_health_listing_and_refresh(client: TestClient) -> None:
    with serve("openai", api_key=KEY, models=["m1"]) as good, serve("gemini") as bad:
        bad.always(Step(kind="server_error"))
        healthy = create(client, name="good", endpoint_url=good.base_url, default_model="m1")
        failing = create(
            client,
            name="bad",
            provider_type="gemini",
            api_key="AIza-test-key-000000",
            endpoint_url=bad.root_url,
        )
        create(client, name="off", endpoint_url=good.base_url, is_active=False)

        listing = client.get("/api/v1/llm-providers").json()
        assert listing["count"] == 2
        assert [p["health"] for p in listing["data"]] == ["untested", "untested"]
        assert listing["total_healthy"] == 0
        assert listing["recommended_provider"] is None

        refreshed = client.get("/api/v1/llm-providers", params={"refresh": "true"}).json()
    by_name = {p["name"]: p for p in refreshed["data"]}
    assert set(by_name) == {"good", "bad"}
    assert by_name["good"]["health"] == "healthy"
    assert by_name["good"]["id"] == healthy["id"]
    assert by_name["bad"]["health"] == "unhealthy"
    assert by_name["bad"]["id"] == failing["id"]
    assert by_name["bad"]["error_code"] == "server_error"
    assert by_name["good"]["last_checked_at"] is not None
    assert refreshed["total_healthy"] == 1
    again = client.get("/api/v1/llm-providers").json()
    assert {p["name"]: p["health"] for p in again["data"]} == {
        "good": "healthy",
        "bad": "unhealthy",
    }


def test_a_model_that_lists_but_cannot_complete_fails_the_test_and_is_unhealthy(
    client: TestClient,
) -> None:
    # The case: the model is listed, but a completion with the configured options fails.
    with serve("openai", api_key=KEY, models=["gpt-5.4-mini"]) as server:
        provider = create(
            client,
            endpoint_url=server.base_url,
            default_model="gpt-5.4-mini",
            config={"reasoning_effort": "minimal"},
        )
        body = client.post(f"{BASE}/{provider['id']}/test").json()
        listing = client.get("/api/v1/llm-providers").json()
    assert (body["success"], body["error_code"], body["models"]) == (
        False,
        "unsupported_parameter",
        ["gpt-5.4-mini"],
    )
    assert body["message"].startswith(
        "Connected to the OpenAI-compatible server, model 'gpt-5.4-mini' is listed, but a test "
        "completion failed: The OpenAI-compatible server refuses the parameter "
        "'reasoning_effort' for model 'gpt-5.4-mini'"
    )
    assert KEY not in body["message"]
    [health] = listing["data"]
    assert (health["health"], health["error_code"]) == ("unhealthy", "unsupported_parameter")
    assert listing["total_healthy"] == 0
