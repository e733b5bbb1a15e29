"""Which database errors mean "busy, retry shortly" (503 ``database_busy``) and which do not."""

from __future__ import annotations

import sqlite3

import psycopg.errors
import pytest
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from binscribe.db.busy import database_busy


def _sqlite_error(message: str, code: int) -> OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return OperationalError("BEGIN IMMEDIATE", None, error)


@pytest.mark.parametrize(
    ("error", "busy"),
    [
        (_sqlite_error("database is locked", sqlite3.SQLITE_BUSY), True),
        (_sqlite_error("database is locked", sqlite3.SQLITE_BUSY_SNAPSHOT), True),
        (_sqlite_error("database table is locked", sqlite3.SQLITE_LOCKED), True),
        (_sqlite_error("no such table: jobs", sqlite3.SQLITE_ERROR), False),
        (_sqlite_error("disk I/O error", sqlite3.SQLITE_IOERR), False),
        (DBAPIError("UPDATE", None, psycopg.errors.LockNotAvailable()), True),
        (DBAPIError("UPDATE", None, psycopg.errors.DeadlockDetected()), True),
        (DBAPIError("UPDATE", None, psycopg.errors.SerializationFailure()), True),
        (DBAPIError("SELECT", None, psycopg.errors.UndefinedTable()), False),
        (PoolTimeout("QueuePool limit of size 5 overflow 10 reached"), True),
        (ValueError("database is locked"), False),
    ],
)
def test_busy_errors_are_recognized(error: BaseException, busy: bool) -> None:
    assert database_busy(error) is busy
