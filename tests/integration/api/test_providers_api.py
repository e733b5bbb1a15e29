"""The provider management API on SQLite and PostgreSQL: exact statuses, bodies and error codes."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient

BASE = "/api/v1/user-llm-providers"
KEY = "sk-test-abcdefghijklmnopqrstuvwxyz1234"


def create(client: TestClient, **fields: Any) -> dict[str, Any]:
    body = {"name": "OpenAI work", "provider_type": "openai", "api_key": KEY} | fields
    response = client.post(BASE, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_fresh_install_has_zero_providers(client: TestClient) -> None:
    response = client.get(BASE)
    assert response.status_code == 200
    assert response.json() == {"data": [], "count": 0}


def test_create_returns_public_form_without_key(client: TestClient) -> None:
    body = create(client, name="  OpenAI work  ", default_model="gpt-4.1")
    assert body["name"] == "OpenAI work"
    assert body["provider_type"] == "openai"
    assert body["api_key_hint"] == "1234"
    assert body["has_api_key"] is True
    assert body["key_status"] == "ok"
    assert body["default_model"] == "gpt-4.1"
    assert body["effective_model"] == "gpt-4.1"
    assert body["endpoint_url"] is None
    assert body["last_test"] is None
    assert body["is_active"] is True
    assert body["notices"] == []
    assert "api_key" not in body and "encrypted_api_key" not in body
    uuid.UUID(body["id"])


def test_get_list_and_filters(client: TestClient) -> None:
    first = create(client)
    second = create(
        client,
        name="Local",
        provider_type="ollama",
        api_key=None,
        endpoint_url="http://127.0.0.1:11434",
        is_active=False,
    )
    assert client.get(f"{BASE}/{first['id']}").json()["name"] == "OpenAI work"
    listed = client.get(BASE).json()
    assert [p["name"] for p in listed["data"]] == ["OpenAI work", "Local"]
    assert listed["count"] == 2
    active = client.get(BASE, params={"is_active": "true"}).json()
    assert [p["id"] for p in active["data"]] == [first["id"]]
    ollama = client.get(BASE, params={"provider_type": "ollama"}).json()
    assert [p["id"] for p in ollama["data"]] == [second["id"]]
    assert ollama["data"][0]["effective_model"] == "qwen3:8b"
    assert client.get(BASE, params={"provider_type": "bogus"}).status_code == 422


def test_duplicate_name_is_409_and_keeps_the_first(client: TestClient) -> None:
    first = create(client)
    response = client.post(
        BASE, json={"name": " OpenAI work ", "provider_type": "anthropic", "api_key": "sk-ant-x1"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "provider_name_taken"
    listed = client.get(BASE).json()
    assert listed["count"] == 1
    assert listed["data"][0]["id"] == first["id"]
    assert listed["data"][0]["provider_type"] == "openai"


def test_validation_errors_have_codes(client: TestClient) -> None:
    cases = [
        ({"name": "", "provider_type": "openai", "api_key": KEY}, 422, "validation_error"),
        ({"name": "x" * 256, "provider_type": "openai", "api_key": KEY}, 422, "validation_error"),
        ({"name": "a", "provider_type": "mistral", "api_key": KEY}, 422, "validation_error"),
        ({"name": "a", "provider_type": "openai"}, 422, "missing_api_key"),
        ({"name": "a", "provider_type": "anthropic", "api_key": "  "}, 422, "missing_api_key"),
        ({"name": "a", "provider_type": "gemini"}, 422, "missing_api_key"),
        ({"name": "a", "provider_type": "ollama"}, 422, "missing_endpoint_url"),
        (
            {"name": "a", "provider_type": "ollama", "endpoint_url": "ftp://h:21"},
            422,
            "invalid_endpoint_url",
        ),
        (
            {"name": "a", "provider_type": "openai", "api_key": KEY, "endpoint_url": "localhost"},
            422,
            "invalid_endpoint_url",
        ),
        (
            {"name": "a", "provider_type": "openai", "api_key": KEY, "extra": 1},
            422,
            "validation_error",
        ),
    ]
    for body, status, code in cases:
        response = client.post(BASE, json=body)
        assert (response.status_code, response.json()["code"]) == (status, code), body
        assert isinstance(response.json()["message"], str) and response.json()["message"]
    assert client.get(BASE).json()["count"] == 0


def test_validation_error_never_echoes_the_key(client: TestClient) -> None:
    response = client.post(
        BASE, json={"name": "a", "provider_type": "openai", "api_key": KEY * 200}
    )
    assert response.status_code == 422
    assert KEY not in response.text


def test_endpoint_is_normalized_and_the_user_told(client: TestClient) -> None:
    body = create(
        client, name="llama.cpp", endpoint_url=" http://127.0.0.1:8080/v1/chat/completions/ "
    )
    assert body["endpoint_url"] == "http://127.0.0.1:8080/v1"
    assert "endpoint_url stored as http://127.0.0.1:8080/v1" in body["notices"]
    fetched = client.get(f"{BASE}/{body['id']}").json()
    assert fetched["endpoint_url"] == "http://127.0.0.1:8080/v1"
    assert fetched["notices"] == []


GEMINI_METHOD_URL = (
    "https://generativelanguage.googleapis.com/v1beta/models/gemini-3.5-flash-lite:generateContent"
)


def test_pasted_gemini_method_url_stores_its_base_and_its_model(client: TestClient) -> None:
    body = create(
        client,
        name="Gemini",
        provider_type="gemini",
        api_key="AIza-test-key-000000",
        endpoint_url=GEMINI_METHOD_URL,
    )
    assert body["endpoint_url"] == "https://generativelanguage.googleapis.com"
    assert (body["default_model"], body["effective_model"]) == ("gemini-3.5-flash-lite",) * 2
    assert body["notices"] == [
        "endpoint_url: removed the API path /v1beta/models/gemini-3.5-flash-lite:generateContent;"
        " binscribe adds it on each request (the model gemini-3.5-flash-lite is set apart)",
        "endpoint_url stored as https://generativelanguage.googleapis.com",
        "default_model: set to gemini-3.5-flash-lite, named in endpoint_url",
    ]


def test_a_chosen_model_wins_over_the_one_in_a_pasted_gemini_url(client: TestClient) -> None:
    body = create(
        client,
        name="Gemini",
        provider_type="gemini",
        api_key="AIza-test-key-000000",
        endpoint_url=GEMINI_METHOD_URL,
        default_model="gemini-3.5-flash",
    )
    assert body["default_model"] == "gemini-3.5-flash"
    assert body["notices"][-1] == (
        "default_model: kept gemini-3.5-flash; endpoint_url named gemini-3.5-flash-lite"
    )
    updated = client.put(
        f"{BASE}/{body['id']}", json={"endpoint_url": GEMINI_METHOD_URL, "default_model": None}
    )
    assert updated.status_code == 200
    assert updated.json()["default_model"] == "gemini-3.5-flash-lite"
    assert updated.json()["notices"][-1] == (
        "default_model: set to gemini-3.5-flash-lite, named in endpoint_url"
    )


def test_partial_update_keeps_omitted_fields_and_key(client: TestClient) -> None:
    created = create(client, default_model="gpt-4.1")
    response = client.put(f"{BASE}/{created['id']}", json={"name": "Renamed", "api_key": ""})
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Renamed"
    assert body["default_model"] == "gpt-4.1"
    assert body["api_key_hint"] == "1234"
    assert body["updated_at"] >= created["updated_at"]

    body = client.put(
        f"{BASE}/{created['id']}", json={"api_key": "sk-new-key-abcdefgh-9876"}
    ).json()
    assert body["api_key_hint"] == "9876"
    assert body["name"] == "Renamed"

    body = client.put(
        f"{BASE}/{created['id']}", json={"default_model": None, "config": {"max_concurrency": 2}}
    ).json()
    assert body["default_model"] is None
    assert body["effective_model"] == "gpt-4.1-mini"
    assert body["config"] == {
        "max_concurrency": 2,
        "timeout_s": None,
        "context_tokens": None,
        "thinking_budget": None,
        "input_usd_per_mtok": None,
        "output_usd_per_mtok": None,
        "reasoning_effort": None,
    }

    body = client.put(f"{BASE}/{created['id']}", json={"config": {"context_tokens": 8192}}).json()
    assert body["config"] == {
        "max_concurrency": None,
        "timeout_s": None,
        "context_tokens": 8192,
        "thinking_budget": None,
        "input_usd_per_mtok": None,
        "output_usd_per_mtok": None,
        "reasoning_effort": None,
    }
    small = client.put(f"{BASE}/{created['id']}", json={"config": {"context_tokens": 1024}})
    assert (small.status_code, small.json()["code"]) == (422, "validation_error")
    assert client.get(f"{BASE}/{created['id']}").json()["config"]["context_tokens"] == 8192
    effort = client.put(f"{BASE}/{created['id']}", json={"config": {"reasoning_effort": "high"}})
    assert effort.json()["config"]["reasoning_effort"] == "high"
    lots = client.put(f"{BASE}/{created['id']}", json={"config": {"reasoning_effort": "lots"}})
    assert (lots.status_code, lots.json()["code"]) == (422, "validation_error")
    assert client.get(f"{BASE}/{created['id']}").json()["config"]["reasoning_effort"] == "high"

    own = {"thinking_budget": 0, "input_usd_per_mtok": 0.2, "output_usd_per_mtok": 0.8}
    body = client.put(f"{BASE}/{created['id']}", json={"config": own}).json()
    assert {k: body["config"][k] for k in own} == own
    for bad in (
        {"input_usd_per_mtok": 0.2},
        {"thinking_budget": -1},
        {"input_usd_per_mtok": -1, "output_usd_per_mtok": 1},
    ):
        refused = client.put(f"{BASE}/{created['id']}", json={"config": bad})
        assert (refused.status_code, refused.json()["code"]) == (422, "validation_error")
    assert client.get(f"{BASE}/{created['id']}").json()["config"]["thinking_budget"] == 0


def test_update_errors(client: TestClient) -> None:
    first = create(client)
    second = create(client, name="Second")
    missing = uuid.uuid4()
    taken = client.put(f"{BASE}/{second['id']}", json={"name": "OpenAI work"})
    assert (taken.status_code, taken.json()["code"]) == (409, "provider_name_taken")
    assert client.get(f"{BASE}/{second['id']}").json()["name"] == "Second"
    not_found = client.put(f"{BASE}/{missing}", json={"name": "x"})
    assert (not_found.status_code, not_found.json()["code"]) == (404, "provider_not_found")
    to_ollama = client.put(f"{BASE}/{first['id']}", json={"provider_type": "ollama"})
    assert (to_ollama.status_code, to_ollama.json()["code"]) == (422, "missing_endpoint_url")
    bad_url = client.put(f"{BASE}/{first['id']}", json={"endpoint_url": "gopher://x"})
    assert (bad_url.status_code, bad_url.json()["code"]) == (422, "invalid_endpoint_url")
    assert client.get(f"{BASE}/{first['id']}").json()["provider_type"] == "openai"


def test_switching_type_revalidates_the_stored_key(client: TestClient) -> None:
    local = create(
        client,
        name="Local",
        provider_type="ollama",
        api_key=None,
        endpoint_url="http://127.0.0.1:11434",
    )
    response = client.put(f"{BASE}/{local['id']}", json={"provider_type": "anthropic"})
    assert (response.status_code, response.json()["code"]) == (422, "missing_api_key")
    response = client.put(
        f"{BASE}/{local['id']}",
        json={"provider_type": "anthropic", "api_key": "sk-ant-api03-wxyz", "endpoint_url": None},
    )
    assert response.status_code == 200
    assert response.json()["provider_type"] == "anthropic"
    assert response.json()["endpoint_url"] is None
    assert response.json()["api_key_hint"] == "wxyz"


def test_delete_then_404(client: TestClient) -> None:
    created = create(client)
    response = client.delete(f"{BASE}/{created['id']}")
    assert response.status_code == 204
    assert response.content == b""
    again = client.delete(f"{BASE}/{created['id']}")
    assert (again.status_code, again.json()["code"]) == (404, "provider_not_found")
    got = client.get(f"{BASE}/{created['id']}")
    assert got.json() == {
        "code": "provider_not_found",
        "message": got.json()["message"],
        "details": got.json()["details"],
    }
    assert got.status_code == 404


def test_malformed_id_is_422(client: TestClient) -> None:
    response = client.get(f"{BASE}/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    fields = response.json()["details"]["fields"]
    assert [(f["field"], f["type"]) for f in fields] == [("provider_id", "uuid_parsing")]


def test_types_describe_every_form(client: TestClient) -> None:
    body = client.get(f"{BASE}/types").json()
    assert body["count"] == 4
    by_type = {t["type"]: t for t in body["data"]}
    assert set(by_type) == {"openai", "anthropic", "gemini", "ollama"}
    assert by_type["ollama"]["required_fields"] == ["name", "endpoint_url"]
    assert by_type["ollama"]["requires_api_key"] is False
    assert by_type["openai"]["required_fields"] == ["name", "api_key"]
    assert "endpoint_url" in by_type["openai"]["optional_fields"]
    assert by_type["anthropic"]["default_endpoint"] == "https://api.anthropic.com"


def test_unknown_api_route_uses_the_error_shape(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_openapi_has_readable_operation_ids(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    ops = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {
        "list_providers",
        "create_provider",
        "get_provider",
        "update_provider",
        "delete_provider",
        "test_provider",
        "list_provider_types",
    } <= ops
    create_schema = spec["components"]["schemas"]["ProviderCreate"]
    assert create_schema["examples"][0]["provider_type"] == "openai"


def test_moving_a_stored_key_to_another_server_needs_the_key_again(client: TestClient) -> None:
    created = create(client, endpoint_url="http://127.0.0.1:8080/v1")
    url = f"{BASE}/{created['id']}"
    for change in (
        {"endpoint_url": "http://attacker.example:8080/v1"},
        {"endpoint_url": None},  # back to api.openai.com
        {"provider_type": "anthropic"},
    ):
        response = client.put(url, json=change)
        assert (response.status_code, response.json()["code"]) == (422, "api_key_reentry_required")
        assert response.json()["details"] == {
            "fields": [
                {
                    "field": "api_key",
                    "message": response.json()["message"],
                    "type": "api_key_reentry_required",
                }
            ]
        }
    assert client.get(url).json()["endpoint_url"] == "http://127.0.0.1:8080/v1"
    same_origin = client.put(
        url, json={"endpoint_url": "http://127.0.0.1:8080/v1/chat/completions"}
    )
    assert same_origin.status_code == 200
    moved = client.put(url, json={"endpoint_url": "http://10.0.0.5:8080/v1", "api_key": KEY})
    assert moved.status_code == 200
    assert moved.json()["endpoint_url"] == "http://10.0.0.5:8080/v1"


def test_text_that_cannot_travel_or_display_safely_is_refused(client: TestClient) -> None:
    bad_bodies = [
        {"name": "a\u0000b", "provider_type": "openai", "api_key": KEY},
        {"name": "evil\u202etxt.exe", "provider_type": "openai", "api_key": KEY},
        {"name": "zero\u200bwidth", "provider_type": "openai", "api_key": KEY},
        {"name": "line\nbreak", "provider_type": "openai", "api_key": KEY},
        {"name": "k", "provider_type": "openai", "api_key": "sk-ключ-€€€€"},
        {"name": "k", "provider_type": "openai", "api_key": "sk-two words-1234"},
        {"name": "m", "provider_type": "openai", "api_key": KEY, "default_model": "g\u0000pt"},
        {"name": "u", "provider_type": "ollama", "endpoint_url": "http://h\u0000:1/"},
    ]
    for body in bad_bodies:
        response = client.post(BASE, json=body)
        assert (response.status_code, response.json()["code"]) == (422, "validation_error"), body
        assert "ключ" not in response.text
    assert client.get(BASE).json()["count"] == 0
    composed = create(client, name="Cafe\u0301")  # NFD input is stored NFC
    assert composed["name"] == "Caf\u00e9"
    duplicate = client.post(
        BASE, json={"name": "Caf\u00e9", "provider_type": "openai", "api_key": KEY}
    )
    assert duplicate.json()["code"] == "provider_name_taken"


def test_parallel_edits_all_succeed(client: TestClient) -> None:
    """Read-then-write requests in parallel queue for the write lock (SQLite) instead of 500s."""
    ids = [create(client, name=f"p{i}")["id"] for i in range(4)]

    def rename(index: int) -> int:
        target = ids[index % len(ids)]
        return client.put(f"{BASE}/{target}", json={"name": f"renamed-{index}"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(rename, range(24)))
    assert statuses == [200] * 24
    names = sorted(p["name"] for p in client.get(BASE).json()["data"])
    assert len(names) == 4 and all(name.startswith("renamed-") for name in names)


def test_malformed_json_body(client: TestClient) -> None:
    response = client.post(
        BASE, content=b'{"name": "x",, }', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert response.json()["message"].startswith("The request body is not valid JSON")
