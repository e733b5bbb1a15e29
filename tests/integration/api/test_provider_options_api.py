"""A provider's ``config`` through the API: the ranges of ``ProviderOptions`` (the same the stored
config reader applies), the per-type specs of ``/types``, and partial updates that change only
the fields sent."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from binscribe.db import providers as repo

BASE = "/api/v1/user-llm-providers"
KEY = "sk-test-abcdefghijklmnopqrstuvwxyz1234"


def _create(client: TestClient, **fields: Any) -> dict[str, Any]:
    body = {"name": "Work", "provider_type": "openai", "api_key": KEY} | fields
    response = client.post(BASE, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_types_carry_each_types_options_with_ranges_and_defaults(client: TestClient) -> None:
    types = {t["type"]: t for t in client.get(f"{BASE}/types").json()["data"]}
    timeout = {t: next(o for o in types[t]["options"] if o["key"] == "timeout_s") for t in types}
    assert timeout["ollama"] == {
        "key": "timeout_s",
        "kind": "integer",
        "minimum": 1,
        "maximum": 3600,
        "choices": [],
        "default": 300,
        "description": "Whole seconds to wait for each answer.",
    }
    assert {t: o["default"] for t, o in timeout.items()} == {
        "openai": 120,
        "anthropic": 120,
        "gemini": 120,
        "ollama": 300,
    }
    keys = {t: [o["key"] for o in info["options"]] for t, info in types.items()}
    assert "reasoning_effort" in keys["openai"] and "thinking_budget" not in keys["openai"]
    assert "thinking_budget" in keys["ollama"] and "reasoning_effort" not in keys["ollama"]
    assert types["openai"]["default_model"] == "gpt-4.1-mini"  # the registry's fields, unchanged


@pytest.mark.parametrize(
    ("config", "field", "error_type"),
    [
        ({"timeout_s": 3601}, "config.timeout_s", "less_than_equal"),
        ({"timeout_s": 1.5}, "config.timeout_s", "int_type"),
        ({"timeout_s": "30"}, "config.timeout_s", "int_type"),
        ({"max_concurrency": True}, "config.max_concurrency", "int_type"),
        ({"context_tokens": 2047}, "config.context_tokens", "greater_than_equal"),
        ({"reasoning_effort": "maximal"}, "config.reasoning_effort", "enum"),
        ({"temperature": 0.2}, "config.temperature", "extra_forbidden"),
    ],
    ids=["over-3600", "fraction", "string", "bool", "small-context", "effort", "unknown"],
)
def test_options_out_of_range_are_refused(
    client: TestClient, config: dict[str, Any], field: str, error_type: str
) -> None:
    body = {"name": "x", "provider_type": "openai", "api_key": KEY, "config": config}
    response = client.post(BASE, json=body)
    assert (response.status_code, response.json()["code"]) == (422, "validation_error")
    fields = response.json()["details"]["fields"]
    assert [(f["field"], f["type"]) for f in fields] == [(field, error_type)]
    assert client.get(BASE).json()["count"] == 0


def test_options_in_range_are_stored_as_sent(client: TestClient) -> None:
    config = {
        "timeout_s": 3600,
        "max_concurrency": 64,
        "reasoning_effort": "high",
        "input_usd_per_mtok": 0,
        "output_usd_per_mtok": 2.5,
    }
    created = _create(client, config=config)
    assert {k: v for k, v in created["config"].items() if v is not None} == config


def test_update_changes_only_what_was_sent(client: TestClient) -> None:
    created = _create(client, default_model="gpt-4.1", config={"timeout_s": 30})
    url = f"{BASE}/{created['id']}"
    kept = client.put(url, json={"name": None, "config": None, "is_active": None})
    assert kept.status_code == 200
    body = kept.json()
    assert (body["name"], body["config"]["timeout_s"], body["is_active"]) == ("Work", 30, True)
    assert body["default_model"] == "gpt-4.1"
    cleared = client.put(url, json={"default_model": None, "config": {"max_concurrency": 2}}).json()
    assert (cleared["default_model"], cleared["effective_model"]) == (None, "gpt-4.1-mini")
    assert (cleared["config"]["max_concurrency"], cleared["config"]["timeout_s"]) == (2, None)


def test_a_stored_option_out_of_range_fails_the_test_with_its_code(client: TestClient) -> None:
    created = _create(client, endpoint_url="http://127.0.0.1:9/v1")
    state = client.app.state  # type: ignore[attr-defined]
    with state.session_factory() as session:
        row = repo.get_provider(session, uuid.UUID(created["id"]))
        row.config_json = {"timeout_s": 0.5, "max_concurrency": 2}  # written by an older version
        session.commit()
    shown = client.get(f"{BASE}/{created['id']}").json()["config"]
    assert (shown["timeout_s"], shown["max_concurrency"]) == (None, 2)
    result = client.post(f"{BASE}/{created['id']}/test").json()
    assert (result["success"], result["error_code"]) == (False, "invalid_provider_config")
    assert result["message"].startswith("Stored provider option config.timeout_s is invalid")
