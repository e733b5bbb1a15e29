"""Page parameters of list endpoints: ``limit`` and ``offset`` with bounds every database takes.

Without an upper bound, ``?offset=99999999999999999999`` reached SQLite as an integer it cannot
hold (a 500); now it is a 422 ``validation_error`` naming the bound.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

MAX_LIMIT = 200
"""Most items one page returns."""
MAX_OFFSET = 1_000_000_000
"""Most items a page may skip: far beyond any real list, far within 64-bit SQL integers."""

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (1-{MAX_LIMIT}).")]
Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description=f"Items to skip (0-{MAX_OFFSET:,}).")
]
