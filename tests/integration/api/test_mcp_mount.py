"""Where ``/mcp`` is served: on a loopback bind without a token (the SDK answers), never on a
non-loopback bind without one (404 like any unknown path, never the web UI); on both
databases."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.settings import Settings

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
HEADERS = {"Accept": "application/json, text/event-stream"}


def _settings(db_url: str, tmp_path: Path, host: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=db_url,
        host=host,
        encryption_key=generate_key(),
        allowed_hosts=["testserver"],
    )


def test_loopback_without_token_serves_mcp(db_url: str, tmp_path: Path) -> None:
    app = create_app(_settings(db_url, tmp_path, "127.0.0.1"))
    with TestClient(app) as client:
        response = client.post("/mcp", json=INITIALIZE, headers=HEADERS)
        assert response.status_code == 200, response.text
        assert '"serverInfo":{"name":"binscribe"' in response.text.replace(" ", "")
    app.state.engine.dispose()


def test_public_bind_without_token_does_not(db_url: str, tmp_path: Path) -> None:
    app = create_app(_settings(db_url, tmp_path, "0.0.0.0"))
    with TestClient(app) as client:
        response = client.post("/mcp", json=INITIALIZE, headers=HEADERS)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    app.state.engine.dispose()
