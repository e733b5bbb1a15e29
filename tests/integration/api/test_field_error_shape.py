"""One shape for field errors on every route: ``details.fields = [{field, message, type}]``
(docs/api.md), whether pydantic refused the request or a rule deeper down did."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

API = "/api/v1"
PROVIDERS = f"{API}/user-llm-providers"
KEY = "sk-test-abcdefghijklmnopqrstuvwxyz1234"
JOB = uuid.uuid4()


def _post(path: str, body: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    return ("POST", path, {"json": body})


CASES: list[tuple[str, tuple[str, str, dict[str, Any]], int, str, str, str]] = [
    # (id, request, status, code, field, type)
    (
        "body-option-range",
        _post(
            PROVIDERS,
            {"name": "a", "provider_type": "openai", "api_key": KEY, "config": {"timeout_s": 3601}},
        ),
        422,
        "validation_error",
        "config.timeout_s",
        "less_than_equal",
    ),
    (
        "body-prices-pair",
        _post(
            PROVIDERS,
            {
                "name": "a",
                "provider_type": "openai",
                "api_key": KEY,
                "config": {"input_usd_per_mtok": 1},
            },
        ),
        422,
        "validation_error",
        "config.output_usd_per_mtok",
        "prices_together",
    ),
    (
        "query",
        ("GET", f"{PROVIDERS}?is_active=maybe", {}),
        422,
        "validation_error",
        "is_active",
        "bool_parsing",
    ),
    (
        "path",
        ("GET", f"{PROVIDERS}/not-a-uuid", {}),
        422,
        "validation_error",
        "provider_id",
        "uuid_parsing",
    ),
    (
        "missing-endpoint",
        _post(PROVIDERS, {"name": "o", "provider_type": "ollama"}),
        422,
        "missing_endpoint_url",
        "endpoint_url",
        "missing_endpoint_url",
    ),
    (
        "missing-key",
        _post(PROVIDERS, {"name": "a", "provider_type": "anthropic"}),
        422,
        "missing_api_key",
        "api_key",
        "missing_api_key",
    ),
    (
        "bad-endpoint",
        _post(PROVIDERS, {"name": "o", "provider_type": "ollama", "endpoint_url": "http://h:0/"}),
        422,
        "invalid_endpoint_url",
        "endpoint_url",
        "invalid_endpoint_url",
    ),
    (
        "hex-address",
        ("GET", f"{API}/jobs/{JOB}/functions/main", {}),
        422,
        "invalid_address",
        "address",
        "invalid_address",
    ),
    (
        "explain-address",
        _post(f"{API}/jobs/{JOB}/explain", {"scope": "selection", "addresses": ["0x10", "zz"]}),
        422,
        "invalid_address",
        "addresses.1",
        "invalid_address",
    ),
    (
        "too-many-streams",
        ("GET", f"{API}/events?" + "&".join(f"job={uuid.uuid4()}" for _ in range(101)), {}),
        422,
        "validation_error",
        "job",
        "too_long",
    ),
    (
        "upload-not-multipart",
        _post(f"{API}/decompile", {"file": "x"}),
        422,
        "validation_error",
        "file",
        "validation_error",
    ),
    (
        "upload-provider-id",
        (
            "POST",
            f"{API}/decompile",
            {"files": {"file": ("a.bin", b"\x7fELF" + bytes(60))}, "data": {"provider_id": "nope"}},
        ),
        422,
        "validation_error",
        "provider_id",
        "uuid_parsing",
    ),
]


@pytest.mark.parametrize(
    ("request_", "status", "code", "field", "error_type"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_field_errors_have_one_shape(
    client: TestClient,
    request_: tuple[str, str, dict[str, Any]],
    status: int,
    code: str,
    field: str,
    error_type: str,
) -> None:
    method, path, kwargs = request_
    response = client.request(method, path, **kwargs)
    body = response.json()
    assert (response.status_code, body["code"]) == (status, code), body
    assert set(body) == {"code", "message", "details"}
    first = body["details"]["fields"][0]
    assert set(first) == {"field", "message", "type"}
    assert (first["field"], first["type"]) == (field, error_type)
    assert first["message"]
    assert all(isinstance(f["message"], str) for f in body["details"]["fields"])


def test_a_taken_name_names_its_field_and_keeps_the_name(client: TestClient) -> None:
    body = {"name": "Team", "provider_type": "openai", "api_key": KEY}
    assert client.post(PROVIDERS, json=body).status_code == 201
    response = client.post(PROVIDERS, json=body)
    assert response.status_code == 409
    assert response.json()["details"] == {
        "fields": [
            {
                "field": "name",
                "message": "A provider named 'Team' already exists; choose another name.",
                "type": "provider_name_taken",
            }
        ],
        "name": "Team",
    }


def test_invalid_json_names_the_body(client: TestClient) -> None:
    response = client.post(
        PROVIDERS, content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    fields = response.json()["details"]["fields"]
    assert [(f["field"], f["type"]) for f in fields] == [("body", "json_invalid")]
