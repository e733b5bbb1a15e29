"""Fixtures shared by the whole suite.

Databases (real ones, never mocks):

- ``db_url``: the URL of a migrated, empty database. Parametrized ``["sqlite", "postgres"]``,
  so every test using it (directly or through ``engine``/``session``) runs on both.
  ``sqlite``: a fresh file in ``tmp_path`` per test, copied from a template migrated once per
  session. ``postgres``: one database ``binscribe_test_<hex>`` created for the test session on
  the server named by ``BINSCRIBE_TEST_POSTGRES_URL`` (the Makefile sets
  ``postgresql+psycopg://postgres@127.0.0.1:5432/test``), migrated with ``upgrade_database``,
  every table (but ``alembic_version``) truncated after each test, dropped at the end. The
  postgres cases are skipped only when that variable is empty or unset; a set variable with an
  unreachable server fails the run. Close your connections before the test ends (truncation
  waits at most 10 s for locks).
- ``engine``: ``make_engine(db_url)``, disposed after the test.
- ``session``: a ``Session`` from ``make_session_factory(engine)``, closed after the test.
  Repositories only flush; call ``session.commit()`` when a test needs data visible to
  another session or connection.

- ``create_postgres_database(prefix)`` / ``drop_postgres_database(url)``: plain helpers for a
  test that needs its own empty PostgreSQL database (skip when the server is not configured).

Host names: ``BINSCRIBE_ALLOWED_HOSTS`` is set for the whole run to the loopback names plus
``testserver`` (the TestClient's host).

Keys:

- ``cipher``: a ``CredentialCipher`` over one freshly generated key.

Factories are plain functions in ``tests/factories.py``: ``make_provider(session, cipher,
**overrides)`` creates a provider with a unique name and an OpenAI-style key.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from binscribe.crypto import CredentialCipher, generate_key
from binscribe.db.engine import make_engine, make_session_factory, normalize_url, upgrade_database

POSTGRES_ENV = "BINSCRIBE_TEST_POSTGRES_URL"

# Starlette's TestClient sends ``Host: testserver``; the app only accepts loopback host names
# while no API token is set (see Settings.allowed_hosts), so tests add that name. Settings built
# in tests read it from here; tests of the default pass ``allowed_hosts`` explicitly.
os.environ.setdefault("BINSCRIBE_ALLOWED_HOSTS", '["localhost", "127.0.0.1", "::1", "testserver"]')


def postgres_server_url() -> str | None:
    """The PostgreSQL server URL tests may create databases on, or None when not configured."""
    value = os.environ.get(POSTGRES_ENV, "").strip()
    return value or None


def create_postgres_database(prefix: str = "binscribe_test") -> str:
    """Create an empty database ``<prefix>_<hex>`` on the test server; returns its URL.

    Pair with :func:`drop_postgres_database`. Skips the test when no server is configured.
    """
    server = postgres_server_url()
    if server is None:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(normalize_url(server), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()
    return normalize_url(server).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    """Drop the database at ``url`` (made by :func:`create_postgres_database`), forcibly."""
    server = postgres_server_url()
    assert server is not None
    name = make_url(url).database
    admin = create_engine(normalize_url(server), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_db_url() -> Iterator[str]:
    """One migrated PostgreSQL database for the test session (see the module docstring)."""
    url = create_postgres_database()
    try:
        upgrade_database(url)
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; ``db_url`` copies it for each test."""
    path = tmp_path_factory.mktemp("sqlite-template") / "binscribe.db"
    upgrade_database(f"sqlite:///{path}")
    return path


def _truncate_all(url: str) -> None:
    engine = make_engine(url)
    try:
        tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
        if tables:
            quoted = ", ".join(f'"{table}"' for table in tables)
            with engine.begin() as connection:
                connection.execute(text("SET LOCAL lock_timeout = '10s'"))
                connection.execute(text(f"TRUNCATE TABLE {quoted} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a migrated, empty database: a per-test SQLite file or the session's PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "binscribe.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_db_url")
    try:
        yield url
    finally:
        _truncate_all(url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """``make_engine(db_url)``, disposed after the test."""
    engine = make_engine(db_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on ``engine``; closed (uncommitted work rolled back) after the test."""
    with make_session_factory(engine)() as session:
        yield session


@pytest.fixture
def cipher() -> CredentialCipher:
    """A cipher over one freshly generated Fernet key."""
    return CredentialCipher([generate_key()])
