"""``binscribe keys`` and ``binscribe db`` on a SQLite file (the sub-apps, invoked directly)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from cryptography.fernet import Fernet
from sqlalchemy import select
from typer.testing import CliRunner

from binscribe.cli import db as db_cli
from binscribe.cli import keys as keys_cli
from binscribe.crypto import CredentialCipher, generate_key
from binscribe.db.engine import (
    alembic_config,
    current_revision,
    make_engine,
    make_session_factory,
)
from binscribe.db.models import UserLLMProvider
from binscribe.db.providers import decrypt_api_key
from binscribe.errors import ConfigError
from binscribe.settings import get_settings
from tests.factories import make_provider

runner = CliRunner()
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Settings pointing at a fresh SQLite file in ``tmp_path`` (not yet migrated)."""
    url = f"sqlite:///{tmp_path / 'data' / 'binscribe.db'}"
    monkeypatch.setenv("BINSCRIBE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BINSCRIBE_DATABASE_URL", url)
    monkeypatch.delenv("LLM_PROVIDER_ENCRYPTION_KEY", raising=False)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_keys_generate_prints_one_fernet_key() -> None:
    result = runner.invoke(keys_cli.app, ["generate"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 1 and len(lines[0]) == 44
    Fernet(lines[0])  # raises if not a valid key
    assert runner.invoke(keys_cli.app, ["generate"]).output != result.output


def test_db_upgrade_then_already_current(sqlite_url: str) -> None:
    first = runner.invoke(db_cli.app, ["upgrade"])
    assert first.exit_code == 0, first.output
    assert first.output == f"{sqlite_url} upgraded from revision (empty) to {HEAD}\n"
    second = runner.invoke(db_cli.app, ["upgrade"])
    assert second.output == f"{sqlite_url} is already at revision {HEAD}\n"
    engine = make_engine(sqlite_url)
    try:
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()


def test_keys_rotate_reencrypts_and_reports_failures(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runner.invoke(db_cli.app, ["upgrade"]).exit_code == 0
    old_key, new_key = generate_key(), generate_key()
    engine = make_engine(sqlite_url)
    try:
        with make_session_factory(engine).begin() as session:
            make_provider(session, CredentialCipher([old_key]), name="alpha", api_key="sk-a-1111")
            make_provider(session, CredentialCipher([old_key]), name="beta", api_key="sk-b-2222")
            make_provider(session, CredentialCipher([new_key]), name="gamma", api_key="sk-c-3333")
            make_provider(
                session, CredentialCipher([generate_key()]), name="lost", api_key="sk-d-4444"
            )

        monkeypatch.setenv("LLM_PROVIDER_ENCRYPTION_KEY", f"{new_key}, {old_key}")
        get_settings.cache_clear()
        result = runner.invoke(keys_cli.app, ["rotate"])
        assert result.exit_code == 1
        assert result.output == "re-encrypted 2, already current 1, could not decrypt 1: lost\n"

        only_new = CredentialCipher([new_key])
        with make_session_factory(engine)() as session:
            rows = {p.name: p for p in session.scalars(select(UserLLMProvider))}
        assert {name: decrypt_api_key(rows[name], only_new) for name in ("alpha", "beta")} == {
            "alpha": "sk-a-1111",
            "beta": "sk-b-2222",
        }

        with make_session_factory(engine).begin() as session:
            session.delete(session.get(UserLLMProvider, rows["lost"].id))
        again = runner.invoke(keys_cli.app, ["rotate"])
        assert again.exit_code == 0
        assert again.output == "re-encrypted 0, already current 3, could not decrypt 0\n"
    finally:
        engine.dispose()


def test_keys_rotate_on_uninitialised_database(sqlite_url: str) -> None:
    result = runner.invoke(keys_cli.app, ["rotate"])
    assert result.exit_code == 1
    assert isinstance(result.exception, ConfigError)
    assert result.exception.message == (
        f"the database {sqlite_url} is not initialised; run `binscribe db upgrade`"
    )
