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

- ``sqlite_db_url``: a migrated, empty SQLite database only (a copy of the template), for tests
  whose code paths the ``db_url`` tests already cover on both databases (the CLI's).

The app and its neighbours:

- ``app_settings``: ``Settings`` on ``db_url`` with a data dir in ``tmp_path``, a fresh
  encryption key, 2 job workers polling for cancellation every 0.2 s.
- ``client``: a ``TestClient`` on ``create_app(app_settings)``; its lifespan starts and stops the
  local job runner.
- ``llm``: a started local OpenAI-protocol server (key ``tests.helpers.KEY``) answering with the
  canned model (``tests.llm_servers.canned``).
- ``cli_env`` / ``cli``: the environment for, and a runner of, ``binscribe`` commands on
  ``sqlite_db_url`` (see ``cli``).

Plain helpers (paths, job polling, PostgreSQL databases of one's own, ...) are in
``tests/helpers.py``.

Host names: ``BINSCRIBE_ALLOWED_HOSTS`` is set for the whole run to the loopback names plus
``testserver`` (the TestClient's host).

Keys:

- ``cipher``: a ``CredentialCipher`` over one freshly generated key.

Factories are plain functions in ``tests/factories.py``: ``make_provider(session, cipher,
**overrides)`` creates a provider with a unique name and an OpenAI-style key.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session

from binscribe import cli as binscribe_cli
from binscribe import logs
from binscribe.api.app import create_app
from binscribe.crypto import CredentialCipher, generate_key
from binscribe.db.engine import make_engine, make_session_factory, upgrade_database
from binscribe.settings import Settings, get_settings
from tests.helpers import BINSCRIBE, KEY, Cli, create_postgres_database, drop_postgres_database
from tests.llm_servers.canned import CannedModel
from tests.llm_servers.openai import OpenAIServer

# Starlette's TestClient sends ``Host: testserver``; the app only accepts loopback host names
# while no API token is set (see Settings.allowed_hosts), so tests add that name. Settings built
# in tests read it from here; tests of the default pass ``allowed_hosts`` explicitly.
os.environ.setdefault("BINSCRIBE_ALLOWED_HOSTS", '["localhost", "127.0.0.1", "::1", "testserver"]')


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


@pytest.fixture
def sqlite_db_url(tmp_path: Path, sqlite_template: Path) -> str:
    """URL of a migrated, empty SQLite file in ``tmp_path`` (no PostgreSQL case)."""
    path = tmp_path / "binscribe.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app_settings(db_url: str, tmp_path: Path) -> Settings:
    """The settings ``client`` runs with (see the module docstring)."""
    return Settings(
        data_dir=tmp_path / "data",
        database_url=db_url,
        encryption_key=generate_key(),
        workers=2,
        job_poll_s=0.2,
    )


@pytest.fixture
def client(app_settings: Settings) -> Iterator[TestClient]:
    """A TestClient on the app built from ``app_settings``; its engine disposed after."""
    app = create_app(app_settings)
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


@pytest.fixture
def llm() -> Iterator[OpenAIServer]:
    """A started local OpenAI-protocol server answering with the canned model."""
    server = OpenAIServer(api_key=KEY, reply=CannedModel()).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def cli_env(sqlite_db_url: str, tmp_path: Path) -> dict[str, str]:
    """The environment ``cli`` runs commands in: this process's, without any ``BINSCRIBE_*`` or
    provider variable, plus a data dir in ``tmp_path``, ``sqlite_db_url`` and a fresh key. (The
    commands share their database code with the API, whose tests run on both databases.)"""
    prefixes = ("BINSCRIBE_", "OPENAI_", "ANTHROPIC_", "GEMINI_", "GOOGLE_", "OLLAMA_", "DEMO_")
    env = {k: v for k, v in os.environ.items() if not k.startswith((*prefixes, "LLM_PROVIDER"))}
    env.update(
        BINSCRIBE_DATA_DIR=str(tmp_path / "data"),
        BINSCRIBE_DATABASE_URL=sqlite_db_url,
        LLM_PROVIDER_ENCRYPTION_KEY=generate_key(),
    )
    return env


def _run_in_process(
    args: list[str], env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """``binscribe.cli.main`` with ``args`` in this process: the environment replaced by ``env``
    for the call (the settings cache cleared around it), ``stdin`` as input, stdout and stderr
    caught, the logging handler a command installs removed again."""
    runner = CliRunner()
    handlers, level, configured = logging.root.handlers[:], logging.root.level, logs._configured
    unset = {k: None for k in os.environ if k not in env}
    get_settings.cache_clear()
    code: int | str | None = 0
    try:
        with runner.isolation(input=stdin, env={**unset, **env}) as (out, err, _):
            sys.argv = ["binscribe", *args]
            try:
                binscribe_cli.main()
            except SystemExit as exc:
                code = exc.code
            stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
    finally:
        get_settings.cache_clear()
        logging.root.handlers[:], logs._configured = handlers, configured
        logging.root.setLevel(level)
    returncode = code if isinstance(code, int) else (0 if code is None else 1)
    return subprocess.CompletedProcess(["binscribe", *args], returncode, stdout, stderr)


@pytest.fixture
def cli(cli_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """``cli(*args, env=None, stdin="", process=False, timeout=300)`` runs ``binscribe *args`` in
    ``tmp_path`` with ``cli_env`` (updated by ``env``) and ``stdin`` as its input, and returns a
    ``CompletedProcess``.

    In this process through the real entry point (``binscribe.cli.main``) by default; with
    ``process=True`` the installed console script in a subprocess, for the few tests that must
    prove what only a real process shows (its exit status and stderr from the interpreter).
    """
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", sys.argv[:])

    def run(
        *args: str,
        env: dict[str, str] | None = None,
        stdin: str = "",
        process: bool = False,
        timeout: float = 300,
    ) -> subprocess.CompletedProcess[str]:
        full = {**cli_env, **(env or {})}
        if not process:
            return _run_in_process(list(args), full, stdin)
        return subprocess.run(
            [str(BINSCRIBE), *args],
            env=full,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=timeout,
            input=stdin,
        )

    return run
