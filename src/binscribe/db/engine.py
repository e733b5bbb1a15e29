"""Engines, sessions and schema upgrades for SQLite (the default) and PostgreSQL (psycopg 3).

Use :func:`make_engine` once per process, :func:`make_session_factory` on it, and open one
session per unit of work; repositories flush, the caller commits. :func:`upgrade_database`
applies the Alembic revisions shipped inside the package (no ``alembic.ini`` needed).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from binscribe.errors import ConfigError

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 30.0
"""How long a SQLite write waits for another connection's write to end before it fails
(``database is locked``, which the API answers 503 ``database_busy``)."""
SQLITE_POOL_SIZE = 5
"""SQLite connections kept open between uses; more are opened while more threads need one
(connections are cheap, and a bounded pool would make threads queue for a connection)."""


def normalize_url(url: str | URL) -> URL:
    """The URL with PostgreSQL pinned to psycopg 3 (``postgres://`` and ``postgresql://`` too)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlite_on_connect(busy_timeout_s: float, dbapi_connection: Any, _record: Any) -> None:
    # sqlite3's legacy transaction handling breaks SAVEPOINT; SQLAlchemy emits BEGIN instead
    # (see the "begin" listener). PRAGMAs run here, outside any transaction, where they work.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
    finally:
        cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    # Write sessions (make_session_factory(..., immediate=True)) take the write lock at BEGIN:
    # a transaction that reads and then writes then waits (busy_timeout) for other writers
    # instead of failing at once with "database is locked". Readers stay lock-free.
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str | URL, *, sqlite_busy_timeout_s: float | None = None) -> Engine:
    """An engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://...``).

    SQLite: a missing parent directory is created (mode 0700), connections may cross threads,
    the pool keeps :data:`SQLITE_POOL_SIZE` connections and opens more on demand, and each
    connection gets WAL journaling, ``foreign_keys=ON`` and a busy timeout
    (``sqlite_busy_timeout_s``, default :data:`SQLITE_BUSY_TIMEOUT_S`); transactions (and
    savepoints) are begun by SQLAlchemy, IMMEDIATE for write sessions (see
    :func:`make_session_factory`). PostgreSQL: psycopg 3 with ``pool_pre_ping``.
    """
    parsed = normalize_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    database = parsed.database
    pool: dict[str, int] = {}
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        pool = {"pool_size": SQLITE_POOL_SIZE, "max_overflow": -1}
    engine = create_engine(parsed, connect_args={"check_same_thread": False}, **pool)
    if sqlite_busy_timeout_s is None:
        sqlite_busy_timeout_s = SQLITE_BUSY_TIMEOUT_S
    event.listen(engine, "connect", partial(_sqlite_on_connect, sqlite_busy_timeout_s))
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def make_session_factory(engine: Engine, *, immediate: bool = False) -> sessionmaker[Session]:
    """Sessions bound to ``engine``; objects stay readable after commit (no expire on commit).

    ``immediate``: on SQLite every transaction of these sessions takes the write lock when it
    begins, so read-then-write transactions queue behind other writers (up to the busy
    timeout) instead of failing. Use it for sessions that write, keep them short, and never
    open a second session in the same thread while one is in a transaction (it would wait for
    the first). No effect on PostgreSQL.
    """
    if immediate:
        engine = engine.execution_options(sqlite_immediate=True)
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    """An Alembic ``Config`` pointing at the revisions in :mod:`binscribe.migrations`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("file_template", "%%(rev)s")  # versions/<revision id>.py
    return config


def upgrade_database(url: str | URL, revision: str = "head") -> None:
    """Apply the Alembic revisions up to ``revision`` to the database at ``url``, in one
    transaction. Safe to call on an up-to-date database (it does nothing then).
    """
    config = alembic_config()
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, or None when it was never upgraded."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest Alembic revision this version of binscribe ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "binscribe ships at least one revision"
    return head


def require_current_schema(engine: Engine) -> None:
    """Refuse to run against a database whose schema is not at :func:`head_revision`.

    Raises:
        ConfigError: one line saying to run ``binscribe db upgrade``.
    """
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise ConfigError(
            f"the database schema is at {current or 'nothing'}, this binscribe needs {head}: "
            "run `binscribe db upgrade` first"
        )
