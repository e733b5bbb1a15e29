"""The sign-in rate limit: failed attempts counted in the database (``login_failures``), so
the limit holds across API processes. Per account name (``Settings.login_max_failures``) and per
client address (``login_max_failures_per_client``) within ``login_window_minutes``; a
successful sign-in clears the account's count. Concurrent attempts checked at the same instant
may each pass, so the limit may be exceeded by the number of requests in flight.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from binscribe.auth.errors import LoginRateLimited
from binscribe.db.account_models import LoginFailure
from binscribe.db.models import utcnow
from binscribe.settings import Settings

MAX_CLIENT_LENGTH = 64


def _window(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.login_window_minutes)


def check_allowed(session: Session, *, settings: Settings, name: str, client: str) -> None:
    """Raise LoginRateLimited when ``name`` or ``client`` has used up its failures."""
    since = utcnow() - _window(settings)
    client = client[:MAX_CLIENT_LENGTH]
    for column, value, limit in (
        (LoginFailure.user_name, name, settings.login_max_failures),
        (LoginFailure.client_address, client, settings.login_max_failures_per_client),
    ):
        count, oldest = session.execute(
            select(func.count(), func.min(LoginFailure.created_at)).where(
                column == value, LoginFailure.created_at > since
            )
        ).one()
        if count >= limit:
            retry = _retry_after_s(oldest, settings)
            raise LoginRateLimited(
                f"Too many failed sign-ins; try again in {math.ceil(retry / 60)} minute(s).",
                details={"retry_after_s": retry},
            )


def _retry_after_s(oldest: datetime | None, settings: Settings) -> int:
    if oldest is None:
        return 1
    if oldest.tzinfo is None:  # SQLite aggregates come back as naive UTC
        oldest = oldest.replace(tzinfo=utcnow().tzinfo)
    return max(1, math.ceil((oldest + _window(settings) - utcnow()).total_seconds()))


def record_failure(session: Session, *, settings: Settings, name: str, client: str) -> None:
    """Count one failed sign-in and forget failures older than the window (flushes)."""
    session.execute(
        delete(LoginFailure).where(LoginFailure.created_at <= utcnow() - _window(settings))
    )
    session.add(LoginFailure(user_name=name[:64], client_address=client[:MAX_CLIENT_LENGTH]))
    session.flush()


def clear_failures(session: Session, *, name: str) -> None:
    """Forget the account's failures after a successful sign-in."""
    session.execute(delete(LoginFailure).where(LoginFailure.user_name == name))
