"""Recognize a database that is too busy to take a write right now (retry later), as opposed
to a broken query or an unreachable server.

SQLite: ``SQLITE_BUSY``/``SQLITE_LOCKED`` (``database is locked``) once the busy timeout ran out.
PostgreSQL: lock timeout (``55P03``), deadlock (``40P01``) or serialization failure (``40001``).
Either database: no pooled connection became free within the pool timeout.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

_SQLITE_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_POSTGRES_BUSY_STATES = frozenset({"55P03", "40P01", "40001"})

RETRY_AFTER_S = 1
"""Seconds a client should wait before retrying a write refused as busy."""


def database_busy(exc: BaseException) -> bool:
    """True when ``exc`` says the database could not take the work now but may shortly."""
    if isinstance(exc, PoolTimeout):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    original = exc.orig
    if isinstance(original, sqlite3.OperationalError):
        code = getattr(original, "sqlite_errorcode", None)
        if code is None:
            return "locked" in str(original) or "busy" in str(original)
        return code & 0xFF in _SQLITE_BUSY_CODES  # extended codes keep the primary in the low byte
    return getattr(original, "sqlstate", None) in _POSTGRES_BUSY_STATES
