"""The two caches in the database: analysis results (by file, depth, engine version and function
limit; the engine version names the CFG budget of a cut result; the document itself is a
blob) and explanations (the explain engine's :class:`~binscribe.explain.ExplanationCache`, one
JSON object per key)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from binscribe.db.models import AnalysisCacheEntry, ExplanationCacheEntry, utcnow


def _upsert(
    session: Session,
    table: Table,
    values: dict[str, Any],
    *,
    key: list[str],
    update: list[str],
) -> None:
    """INSERT ... ON CONFLICT (key) DO UPDATE (or DO NOTHING when ``update`` is empty)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(**values)
    if update:
        statement = statement.on_conflict_do_update(
            index_elements=key, set_={name: statement.excluded[name] for name in update}
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=key)
    session.execute(statement)


class DatabaseExplanationCache:
    """:class:`~binscribe.explain.ExplanationCache` on table ``explanation_cache``.

    Each call is one short transaction on its own session (the engine calls it from the event
    loop, between provider calls), so concurrent jobs share explanations as soon as they exist.
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored object for ``key`` (64 hex characters), or None."""
        with self._sessions() as session:
            value = session.scalar(
                select(ExplanationCacheEntry.value).where(ExplanationCacheEntry.cache_key == key)
            )
        return dict(value) if value is not None else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        """Store ``value`` under ``key``, replacing an older one."""
        table = ExplanationCacheEntry.__table__
        assert isinstance(table, Table)
        with self._sessions.begin() as session:
            _upsert(
                session,
                table,
                {"cache_key": key, "value": value, "created_at": utcnow()},
                key=["cache_key"],
                update=["value", "created_at"],
            )


def find_analysis(
    session: Session, *, file_sha256: str, depth: str, engine_version: str, max_decompiled: int
) -> str | None:
    """The blob sha256 of a stored analysis result for these facts, or None."""
    return session.scalar(
        select(AnalysisCacheEntry.result_sha256).where(
            AnalysisCacheEntry.file_sha256 == file_sha256,
            AnalysisCacheEntry.depth == depth,
            AnalysisCacheEntry.engine_version == engine_version,
            AnalysisCacheEntry.max_decompiled == max_decompiled,
        )
    )


def remember_analysis(
    session: Session,
    *,
    file_sha256: str,
    depth: str,
    engine_version: str,
    max_decompiled: int,
    result_sha256: str,
) -> None:
    """Record a stored analysis result (a concurrent equal entry wins; nothing is replaced)."""
    table = AnalysisCacheEntry.__table__
    assert isinstance(table, Table)
    _upsert(
        session,
        table,
        {
            "file_sha256": file_sha256,
            "depth": depth,
            "engine_version": engine_version,
            "max_decompiled": max_decompiled,
            "result_sha256": result_sha256,
            "created_at": utcnow(),
        },
        key=["file_sha256", "depth", "engine_version", "max_decompiled"],
        update=[],
    )
