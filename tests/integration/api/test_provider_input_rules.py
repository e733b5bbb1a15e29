"""What saving a provider refuses (issue 9 items 2 and 9), on SQLite and PostgreSQL: metadata
and link-local endpoints (any spelling, embedded IPv4 forms included) with 422
``endpoint_forbidden`` on create and update; private ones when private endpoints are off; host
names over 253 characters and port 0; non-boolean ``is_active``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.settings import Settings

BASE = "/api/v1/user-llm-providers"
KEY = "sk-test-abcdefghijklmnopqrstuvwxyz1234"

METADATA_ENDPOINTS = [
    "http://169.254.169.254/v1",
    "http://[64:ff9b::a9fe:a9fe]/v1",
    "http://[64:ff9b::169.254.169.254]:8080/v1",
    "http://[::ffff:169.254.169.254]/v1",
    "http://[2001:db8::5efe:a9fe:a9fe]/v1",
    "http://168.63.129.16/v1",
    "http://[fd00:ec2::254]/v1",
    "http://100.100.100.200/v1",
    "http://metadata.google.internal/v1",
    "http://[fe80::1]/v1",
]


def _body(**fields: Any) -> dict[str, Any]:
    return {"name": "p", "provider_type": "openai", "api_key": KEY} | fields


@pytest.mark.parametrize("endpoint", METADATA_ENDPOINTS)
def test_metadata_endpoints_are_refused_when_saved(client: TestClient, endpoint: str) -> None:
    response = client.post(BASE, json=_body(endpoint_url=endpoint))
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "endpoint_forbidden"
    assert (
        "link-local or cloud metadata" in body["message"] or "metadata service" in body["message"]
    )
    assert [f["field"] for f in body["details"]["fields"]] == ["endpoint_url"]
    assert body["details"]["host"]
    assert client.get(BASE).json()["count"] == 0


def test_update_to_a_metadata_endpoint_is_refused_and_changes_nothing(client: TestClient) -> None:
    created = client.post(BASE, json=_body(endpoint_url="http://127.0.0.1:8080/v1")).json()
    url = f"{BASE}/{created['id']}"
    for endpoint in ("http://[64:ff9b::a9fe:a9fe]/v1", "http://168.63.129.16/v1"):
        response = client.put(url, json={"endpoint_url": endpoint, "api_key": KEY})
        assert (response.status_code, response.json()["code"]) == (422, "endpoint_forbidden")
    assert client.get(url).json()["endpoint_url"] == "http://127.0.0.1:8080/v1"


@pytest.fixture
def private_off_client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=db_url,
        encryption_key=generate_key(),
        allow_private_endpoints=False,
    )
    app = create_app(settings)
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


def test_private_endpoints_are_refused_when_saved_if_the_setting_is_off(
    private_off_client: TestClient,
) -> None:
    for endpoint in ("http://127.0.0.1:8080/v1", "http://[64:ff9b::7f00:1]:8080/v1"):
        response = private_off_client.post(BASE, json=_body(endpoint_url=endpoint))
        assert (response.status_code, response.json()["code"]) == (422, "endpoint_forbidden")
        assert "BINSCRIBE_ALLOW_PRIVATE_ENDPOINTS" in response.json()["message"]
    # A name is checked when connecting (DNS answers change), not when saving.
    saved = private_off_client.post(BASE, json=_body(endpoint_url="http://llm.example:8080/v1"))
    assert saved.status_code == 201


def test_private_endpoints_are_saved_by_default(client: TestClient) -> None:
    response = client.post(BASE, json=_body(endpoint_url="http://[64:ff9b::7f00:1]:8080/v1"))
    assert response.status_code == 201
    assert response.json()["endpoint_url"] == "http://[64:ff9b::7f00:1]:8080/v1"


def test_port_zero_and_overlong_host_names_are_refused(client: TestClient) -> None:
    long_host = ("a" * 63 + ".") * 3 + "b" * 62  # 254 characters
    for endpoint, message in [
        ("http://h:0/v1", "The endpoint URL's port must be from 1 to 65535, not 0."),
        (
            f"http://{long_host}/v1",
            "The endpoint URL's host name is longer than 253 characters, the longest a DNS "
            "name can be.",
        ),
    ]:
        response = client.post(BASE, json=_body(endpoint_url=endpoint))
        assert response.status_code == 422
        assert response.json() == {
            "code": "invalid_endpoint_url",
            "message": message,
            "details": {
                "fields": [
                    {"field": "endpoint_url", "message": message, "type": "invalid_endpoint_url"}
                ]
            },
        }


@pytest.mark.parametrize("value", [0, 1, "true", "yes", 1.0, None])
def test_is_active_must_be_a_json_boolean(client: TestClient, value: object) -> None:
    response = client.post(BASE, json=_body(is_active=value))
    assert (response.status_code, response.json()["code"]) == (422, "validation_error")
    assert [f["field"] for f in response.json()["details"]["fields"]] == ["is_active"]
    created = client.post(BASE, json=_body(name="ok", is_active=False)).json()
    update = client.put(f"{BASE}/{created['id']}", json={"is_active": value})
    if value is None:  # null on update means "unchanged"
        assert update.status_code == 200 and update.json()["is_active"] is False
    else:
        assert (update.status_code, update.json()["code"]) == (422, "validation_error")
