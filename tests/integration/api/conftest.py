"""API fixtures: ``app_settings`` and ``client`` (a TestClient on a real database, both kinds).

``client`` runs the app built by ``create_app`` against ``db_url`` (SQLite and PostgreSQL) with a
fresh encryption key; ``app_settings`` is the ``Settings`` it was built with.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.settings import Settings


@pytest.fixture
def app_settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=db_url, encryption_key=generate_key())


@pytest.fixture
def client(app_settings: Settings) -> Iterator[TestClient]:
    app = create_app(app_settings)
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()
