"""``GET /api/v1/health``: its exact body, and the upload limit it publishes (and enforces)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from binscribe import __version__
from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.settings import Settings

BIN = Path(__file__).resolve().parents[2] / "fixtures" / "bin"


def _dialect(db_url: str) -> str:
    return "sqlite" if db_url.startswith("sqlite") else "postgresql"


def test_health_describes_the_server(client: TestClient, db_url: str) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "version": __version__,
        "database": _dialect(db_url),
        "queue": "local",
        "max_upload_bytes": 100 * 1024 * 1024,
    }


def test_health_publishes_the_configured_upload_limit(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BINSCRIBE_MAX_UPLOAD_MB", "3")
    settings = Settings(
        data_dir=tmp_path / "data", database_url=db_url, encryption_key=generate_key()
    )
    app = create_app(settings)
    with TestClient(app) as client:
        health = client.get("/api/v1/health").json()
        assert health["max_upload_bytes"] == 3_145_728
        # The published number is the one uploads are held to: one byte over is refused.
        over = (BIN / "crackme-x86_64.elf").read_bytes()
        over += b"\0" * (health["max_upload_bytes"] + 1 - len(over))
        response = client.post(
            "/api/v1/decompile",
            files={"file": ("over.elf", over, "application/octet-stream")},
            data={"analysis_depth": "basic"},
        )
        assert response.status_code == 413
        assert response.json()["details"] == {"limit_bytes": 3_145_728}
    app.state.engine.dispose()
