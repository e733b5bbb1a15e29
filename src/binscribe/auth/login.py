"""Sign-in: a name and password checked under the rate limit, then a browser session."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from binscribe.auth import ratelimit
from binscribe.auth.credentials import purge_expired_sessions, start_session
from binscribe.auth.errors import InvalidCredentials
from binscribe.auth.passwords import verify_password
from binscribe.auth.users import find_user
from binscribe.db.account_models import User
from binscribe.settings import Settings


def sign_in(
    session: Session, *, settings: Settings, name: str, password: str, client: str
) -> tuple[User, str]:
    """Check ``name``/``password`` for a request from ``client`` (an IP address) and start a
    session of ``settings.session_hours``; returns the user and the cookie value. Commits
    (a failure is recorded even though the call raises).

    Raises:
        LoginRateLimited: too many recent failures for the name or the client.
        InvalidCredentials: unknown name, wrong password or disabled user (one answer).
    """
    key = name.strip().lower()[:64]
    ratelimit.check_allowed(session, settings=settings, name=key, client=client)
    user = find_user(session, key) if key else None
    matches = verify_password(password, user.password_hash if user else None)
    user_id = user.id if user is not None and matches and user.is_active else None
    # End the read transaction before writing: on SQLite a transaction that read first cannot
    # always take the write lock later; one that starts with a write waits for it.
    session.commit()
    if user_id is None:
        ratelimit.record_failure(session, settings=settings, name=key, client=client)
        session.commit()
        raise InvalidCredentials()
    ratelimit.clear_failures(session, name=key)
    purge_expired_sessions(session)
    signed_in = session.get_one(User, user_id)
    value = start_session(session, user=signed_in, lifetime=timedelta(hours=settings.session_hours))
    session.commit()
    return signed_in, value
