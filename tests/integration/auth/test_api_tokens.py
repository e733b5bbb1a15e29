"""Personal API tokens (issue 14 §1): shown once, stored hashed, last use recorded, revoked
tokens refused; ``BINSCRIBE_API_TOKEN`` stays an admin token once users exist."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from binscribe.api.app import create_app
from binscribe.db.account_models import ApiToken, UserRole
from binscribe.settings import Settings
from tests.integration.auth.conftest import AddUser, sign_in

TOKENS = "/api/v1/auth/tokens"
PROVIDERS = "/api/v1/user-llm-providers"


def _rows(client: TestClient) -> list[ApiToken]:
    with client.app.state.session_factory() as session:  # type: ignore[attr-defined]
        return list(session.scalars(select(ApiToken)))


def test_token_lifecycle(client: TestClient, add_user: AddUser) -> None:
    add_user("ivy")
    sign_in(client, "ivy")
    created = client.post(TOKENS, json={"name": "laptop CLI"})
    assert created.status_code == 201
    body = created.json()
    value = body["token"]
    assert value.startswith("bst_") and len(value) == 4 + 43
    assert (body["name"], body["token_hint"], body["last_used_at"]) == (
        "laptop CLI",
        value[:8],
        None,
    )
    listed = client.get(TOKENS)
    assert value not in listed.text
    assert [t["id"] for t in listed.json()["data"]] == [body["id"]]
    [row] = _rows(client)
    assert row.token_hash == hashlib.sha256(value.encode()).hexdigest()
    assert row.last_used_at is None

    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {value}"}
    assert client.get(PROVIDERS, headers=bearer).status_code == 200
    [used] = _rows(client)
    assert used.last_used_at is not None and used.last_used_at >= row.created_at
    me = client.get("/api/v1/auth/session", headers=bearer).json()["user"]
    assert (me["name"], me["via"]) == ("ivy", "personal_token")

    assert client.delete(f"{TOKENS}/{body['id']}", headers=bearer).status_code == 204
    refused = client.get(PROVIDERS, headers=bearer)
    assert (refused.status_code, refused.json()["code"]) == (401, "unauthorized")
    assert _rows(client) == []


def test_another_users_token_is_not_found(client: TestClient, add_user: AddUser) -> None:
    add_user("jack")
    add_user("kate")
    sign_in(client, "jack")
    token_id = client.post(TOKENS, json={"name": "mine"}).json()["id"]
    client.post("/api/v1/auth/logout")
    sign_in(client, "kate")
    assert client.get(TOKENS).json() == {"data": [], "count": 0}
    missing = client.delete(f"{TOKENS}/{token_id}")
    assert (missing.status_code, missing.json()["code"]) == (404, "token_not_found")
    assert len(_rows(client)) == 1


def test_the_local_user_has_no_tokens(client: TestClient) -> None:
    refused = client.get(TOKENS)
    assert (refused.status_code, refused.json()["code"]) == (403, "no_user_account")
    blank = client.post(TOKENS, json={"name": ""})
    assert (blank.status_code, blank.json()["code"]) == (422, "validation_error")


def test_the_api_token_stays_an_admin_token_with_users(
    app_settings: Settings, add_user: AddUser
) -> None:
    add_user("lena", role=UserRole.ADMIN)
    secret = "legacy-api-token-0123456789"
    app = create_app(app_settings.model_copy(update={"api_token": SecretStr(secret)}))
    with TestClient(app) as client:
        bearer = {"Authorization": f"Bearer {secret}"}
        assert client.get(PROVIDERS, headers=bearer).status_code == 200
        assert client.get("/api/v1/auth/session", headers=bearer).json() == {
            "mode": "accounts",
            "user": {"id": None, "name": "api-token", "role": "admin", "via": "api_token"},
        }
        wrong = client.get(PROVIDERS, headers={"Authorization": "Bearer bst_not-a-token"})
        assert wrong.status_code == 401
        assert secret not in wrong.text
    app.state.engine.dispose()
