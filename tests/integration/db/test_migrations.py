"""Alembic revisions against the models, engine settings, and the PostgreSQL script's parity."""

from __future__ import annotations

import stat
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from binscribe.db.engine import (
    alembic_config,
    current_revision,
    make_engine,
    normalize_url,
    upgrade_database,
)
from binscribe.db.models import Base, UserLLMProvider
from tests.helpers import create_postgres_database, drop_postgres_database

SQL_SCRIPT = Path(__file__).parents[3] / "database" / "migrations" / "add_user_llm_providers.sql"
TABLE = "user_llm_providers"
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_providers_revision_is_the_base() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_bases() == ["0001_user_llm_providers"]
    assert len(scripts.get_heads()) == 1  # one line of history, no branches


def test_upgraded_schema_matches_the_models(engine: Engine) -> None:
    assert current_revision(engine) == HEAD
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    inspector = inspect(engine)
    assert {"alembic_version", TABLE} <= set(inspector.get_table_names())
    assert [c["name"] for c in inspector.get_columns(TABLE)] == [
        c.name for c in UserLLMProvider.__table__.columns
    ]
    assert sorted(c["name"] for c in inspector.get_check_constraints(TABLE)) == [
        "ck_user_llm_providers_last_test_source",
        "ck_user_llm_providers_last_test_status",
        "ck_user_llm_providers_provider_type",
    ]
    assert [(c["name"], c["column_names"]) for c in inspector.get_unique_constraints(TABLE)] == [
        ("uq_user_llm_providers_name", ["name"])
    ]
    indexes = [i for i in inspector.get_indexes(TABLE) if not i.get("duplicates_constraint")]
    assert sorted((i["name"], tuple(i["column_names"])) for i in indexes) == [
        ("ix_user_llm_providers_is_active", ("is_active",)),
        ("ix_user_llm_providers_provider_type", ("provider_type",)),
    ]


def test_server_defaults_and_check_constraint(engine: Engine) -> None:
    table = UserLLMProvider.__table__
    row_id = uuid.uuid4()
    with engine.connect() as connection:
        # Only the required columns, in SQL (the model's Python defaults do not apply).
        connection.execute(
            text(
                "INSERT INTO user_llm_providers (id, name, provider_type) "
                "VALUES (:i, 'x', 'ollama')"
            ),
            {"i": row_id.hex if engine.dialect.name == "sqlite" else str(row_id)},
        )
        row = connection.execute(
            select(table.c.is_active, table.c.config_json, table.c.created_at)
        ).one()
        assert (row.is_active, row.config_json) == (True, {})
        assert row.created_at.tzinfo is UTC
        assert abs(datetime.now(UTC) - row.created_at) < timedelta(minutes=1)
        with pytest.raises(IntegrityError, match="ck_user_llm_providers_provider_type"):
            connection.execute(table.insert().values(id=uuid.uuid4(), name="y", provider_type="x"))
        connection.rollback()


def test_sqlite_engine_settings_and_idempotent_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'dir' / 'binscribe.db'}"
    upgrade_database(url)
    upgrade_database(url)  # already at head: nothing to do
    engine = make_engine(url)
    try:
        assert current_revision(engine) == HEAD
        with engine.connect() as connection:
            pragmas = [
                connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            ]
        assert pragmas == ["wal", 1, 30000]
    finally:
        engine.dispose()
    assert stat.S_IMODE((tmp_path / "nested" / "dir").stat().st_mode) == 0o700


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://u@db:5432/app", "postgresql+psycopg://u@db:5432/app"),
        ("postgres://u@db/app", "postgresql+psycopg://u@db/app"),
        ("postgresql+psycopg://u@db/app", "postgresql+psycopg://u@db/app"),
        ("sqlite:////var/lib/b.db", "sqlite:////var/lib/b.db"),
    ],
)
def test_normalize_url_pins_psycopg(given: str, used: str) -> None:
    assert normalize_url(given).render_as_string(hide_password=False) == used


def test_downgrade_to_base_and_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'binscribe.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert inspect(engine).get_table_names() == ["alembic_version"]
        assert current_revision(engine) is None
        upgrade_database(url)
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()


@pytest.fixture
def two_postgres_databases() -> Iterator[tuple[str, str]]:
    """Two fresh, empty PostgreSQL databases, dropped afterwards."""
    first = create_postgres_database("binscribe_parity")
    try:
        second = create_postgres_database("binscribe_parity")
        try:
            yield first, second
        finally:
            drop_postgres_database(second)
    finally:
        drop_postgres_database(first)


def _describe_table(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Columns, constraints and indexes of ``user_llm_providers`` as PostgreSQL reports them."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:

            def rows(sql: str) -> list[tuple[Any, ...]]:
                return [tuple(row) for row in connection.execute(text(sql), {"t": TABLE})]

            return {
                "columns": rows(
                    "SELECT column_name, data_type, character_maximum_length, is_nullable, "
                    "column_default FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND table_name = :t ORDER BY ordinal_position"
                ),
                "constraints": rows(
                    "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = CAST(:t AS regclass) ORDER BY conname"
                ),
                "indexes": rows(
                    "SELECT indexname, indexdef FROM pg_indexes "
                    "WHERE schemaname = 'public' AND tablename = :t ORDER BY indexname"
                ),
            }
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_sql_script_and_alembic_revision_build_the_same_table(
    two_postgres_databases: tuple[str, str],
) -> None:
    script_url, alembic_url = two_postgres_databases
    conninfo = make_url(script_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(SQL_SCRIPT.read_text())  # type: ignore[call-overload]
    upgrade_database(alembic_url)

    from_script, from_alembic = _describe_table(script_url), _describe_table(alembic_url)
    assert from_script == from_alembic

    # Not vacuous: the shared description is the model's table.
    assert [c[0] for c in from_script["columns"]] == [
        c.name for c in UserLLMProvider.__table__.columns
    ]
    assert ("id", "uuid", None, "NO", "gen_random_uuid()") in from_script["columns"]
    assert ("config_json", "jsonb", None, "NO", "'{}'::jsonb") in from_script["columns"]
    assert [(name, kind) for name, kind, _ in from_script["constraints"]] == [
        ("ck_user_llm_providers_last_test_source", "c"),
        ("ck_user_llm_providers_last_test_status", "c"),
        ("ck_user_llm_providers_provider_type", "c"),
        ("pk_user_llm_providers", "p"),
        ("uq_user_llm_providers_name", "u"),
    ]
    assert [name for name, _ in from_script["indexes"]] == [
        "ix_user_llm_providers_is_active",
        "ix_user_llm_providers_provider_type",
        "pk_user_llm_providers",
        "uq_user_llm_providers_name",
    ]

    # The script's table also matches the model, types included (other tables are not its job).
    engine = make_engine(script_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "include_object": lambda _obj, name, kind, *_: kind != "table" or name == TABLE,
                },
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
