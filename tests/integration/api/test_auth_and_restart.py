"""Access token enforcement, and providers surviving a restart with the embedded key file."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.db.providers import decrypt_api_key, get_provider
from binscribe.errors import ConfigError
from binscribe.settings import Settings
from tests.helpers import create_postgres_database, drop_postgres_database

BASE = "/api/v1/user-llm-providers"


def test_token_required_when_configured(app_settings: Settings) -> None:
    settings = app_settings.model_copy(update={"api_token": SecretStr("s3cret-token-value")})
    app = create_app(settings)
    with TestClient(app) as client:
        for headers in (
            {},
            {"Authorization": "Bearer wrong"},
            {"Authorization": "s3cret-token-value"},
        ):
            response = client.get(BASE, headers=headers)
            assert response.status_code == 401
            assert response.json()["code"] == "unauthorized"
            assert "s3cret-token-value" not in response.text
        assert client.get("/api/v1/health").status_code == 401
        ok = client.get(BASE, headers={"Authorization": "Bearer s3cret-token-value"})
        assert ok.status_code == 200
        assert ok.json() == {"data": [], "count": 0}
        assert client.get("/openapi.json").status_code == 200
    app.state.engine.dispose()


def test_no_token_configured_means_open_api(client: TestClient) -> None:
    assert client.get("/api/v1/health").json()["status"] == "ok"


def test_provider_key_decrypts_after_restart_with_key_file(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")  # no LLM_PROVIDER_ENCRYPTION_KEY
    first = create_app(settings)
    with TestClient(first) as client:
        created = client.post(
            BASE,
            json={
                "name": "persisted",
                "provider_type": "anthropic",
                "api_key": "sk-ant-api03-restart-check-0001",
            },
        ).json()
    first.state.engine.dispose()
    key_file = tmp_path / "data" / "encryption.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    key_before = key_file.read_bytes()

    second = create_app(Settings(data_dir=tmp_path / "data"))
    with TestClient(second) as client:
        listed = client.get(BASE).json()
    assert key_file.read_bytes() == key_before
    assert [(p["name"], p["key_status"]) for p in listed["data"]] == [("persisted", "ok")]
    with second.state.session_factory() as session:
        row = get_provider(session, uuid.UUID(created["id"]))
        assert decrypt_api_key(row, second.state.cipher) == "sk-ant-api03-restart-check-0001"
    second.state.engine.dispose()


def test_lost_key_file_is_reported_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = create_app(Settings(data_dir=tmp_path / "data"))
    with TestClient(first) as client:
        client.post(
            BASE, json={"name": "orphan", "provider_type": "gemini", "api_key": "AIza-k-123456"}
        )
    first.state.engine.dispose()
    (tmp_path / "data" / "encryption.key").unlink()

    caplog.clear()
    second = create_app(Settings(data_dir=tmp_path / "data"))
    second.state.engine.dispose()
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [
        "1 provider key(s) cannot be decrypted with the current encryption keys (orphan): "
        "restore the key that encrypted them or enter their API keys again"
    ]


def test_invalid_encryption_key_refuses_to_start(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, encryption_key="not-a-fernet-key")
    with pytest.raises(ConfigError) as excinfo:
        create_app(settings)
    assert "LLM_PROVIDER_ENCRYPTION_KEY" in excinfo.value.message
    assert "not-a-fernet-key" not in excinfo.value.message
    assert "\n" not in excinfo.value.message


def test_unknown_host_header_refused_without_token(app_settings: Settings) -> None:
    settings = app_settings.model_copy(update={"allowed_hosts": None})
    assert settings.effective_allowed_hosts == ["localhost", "127.0.0.1", "::1"]
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        assert client.get(BASE).status_code == 200
        assert client.get(BASE, headers={"Host": "localhost:8000"}).status_code == 200
        rebound = client.get(BASE, headers={"Host": "rebind.evil.example:8000"})
        assert rebound.status_code == 400
    app.state.engine.dispose()


def test_any_host_when_bound_elsewhere_or_token_set(app_settings: Settings) -> None:
    assert app_settings.model_copy(
        update={"allowed_hosts": None, "host": "0.0.0.0"}
    ).effective_allowed_hosts == ["*"]
    settings = app_settings.model_copy(
        update={"allowed_hosts": None, "api_token": SecretStr("tok-123456-abcdefgh")}
    )
    app = create_app(settings)
    with TestClient(app, base_url="http://example.internal") as client:
        response = client.get(BASE, headers={"Authorization": "Bearer tok-123456-abcdefgh"})
        assert response.status_code == 200
    app.state.engine.dispose()


@pytest.mark.postgres
def test_postgres_not_upgraded_refuses_to_start(tmp_path: Path) -> None:
    url = create_postgres_database("binscribe_unmigrated")
    try:
        settings = Settings(data_dir=tmp_path, database_url=url, encryption_key=generate_key())
        with pytest.raises(ConfigError) as excinfo:
            create_app(settings)
        assert "run `binscribe db upgrade` first" in excinfo.value.message
        assert "\n" not in excinfo.value.message
    finally:
        drop_postgres_database(url)
