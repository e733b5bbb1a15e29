"""Browser sessions and personal API tokens: random values handed out once, stored as SHA-256.

A session value is the cookie :data:`SESSION_COOKIE`; an API token starts with
:data:`TOKEN_PREFIX` and is sent as ``Authorization: Bearer <token>``. Functions flush; the caller
commits.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from binscribe.db.account_models import ApiToken, User, UserSession
from binscribe.db.models import utcnow
from binscribe.errors import NotFoundError, ValidationFailed

SESSION_COOKIE = "binscribe_session"
TOKEN_PREFIX = "bst_"
TOKEN_HINT_LENGTH = 8
"""Characters of a token kept in clear for lists (the prefix and 4 random characters)."""
LAST_USED_GRANULARITY = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per token (a write per request is wasteful)."""
MAX_TOKEN_NAME = 100


def digest(value: str) -> str:
    """The SHA-256 hex of a session value or token (what the database keeps)."""
    return hashlib.sha256(value.encode()).hexdigest()


def start_session(session: Session, *, user: User, lifetime: timedelta) -> str:
    """Create a browser session for ``user`` lasting ``lifetime``; returns the cookie value."""
    value = secrets.token_urlsafe(32)
    session.add(
        UserSession(user_id=user.id, token_hash=digest(value), expires_at=utcnow() + lifetime)
    )
    user.last_login_at = utcnow()
    session.flush()
    return value


def session_user(session: Session, value: str) -> User | None:
    """The active user of the unexpired session ``value``, else None (read only)."""
    row = session.scalar(select(UserSession).where(UserSession.token_hash == digest(value)))
    if row is None or row.expires_at <= utcnow():
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def purge_expired_sessions(session: Session) -> None:
    """Delete every expired session (run at each sign-in)."""
    session.execute(delete(UserSession).where(UserSession.expires_at <= utcnow()))


def end_session(session: Session, value: str) -> None:
    """Delete the session ``value`` (sign-out); unknown values are ignored."""
    session.execute(delete(UserSession).where(UserSession.token_hash == digest(value)))


@dataclass(frozen=True)
class NewToken:
    """A token just created: ``value`` is shown once and never stored."""

    row: ApiToken
    value: str


def create_token(session: Session, *, user: User, name: str) -> NewToken:
    """A new personal API token for ``user`` named ``name`` (1-100 characters).

    Raises ValidationFailed ``invalid_token_name``."""
    label = name.strip()
    if not 1 <= len(label) <= MAX_TOKEN_NAME:
        raise ValidationFailed(
            f"A token name needs 1 to {MAX_TOKEN_NAME} characters.", code="invalid_token_name"
        )
    value = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        name=label,
        token_hash=digest(value),
        token_hint=value[:TOKEN_HINT_LENGTH],
    )
    session.add(row)
    session.flush()
    return NewToken(row=row, value=value)


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """``user``'s tokens, newest first."""
    query = select(ApiToken).where(ApiToken.user_id == user.id)
    return list(session.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.name)))


def revoke_token(session: Session, *, user: User | None, token_id: uuid.UUID) -> None:
    """Delete a token; ``user`` None (the CLI) may revoke anyone's.

    Raises NotFoundError ``token_not_found`` (also for another user's token)."""
    query = delete(ApiToken).where(ApiToken.id == token_id)
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    if session.execute(query).rowcount == 0:  # type: ignore[attr-defined]
        raise NotFoundError(f"No API token {token_id}.", code="token_not_found")


def token_user(session: Session, value: str) -> tuple[User, ApiToken] | None:
    """The active owner of the API token ``value`` and the token's row, else None (read
    only; see :func:`touch_token`)."""
    if not value.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(value)))
    if row is None:
        return None
    user = session.get(User, row.user_id)
    return (user, row) if user is not None and user.is_active else None


def needs_touch(row: ApiToken) -> bool:
    """True when ``row.last_used_at`` is unset or older than :data:`LAST_USED_GRANULARITY`."""
    return row.last_used_at is None or row.last_used_at < utcnow() - LAST_USED_GRANULARITY


def touch_token(session: Session, token_id: uuid.UUID) -> None:
    """Set the token's ``last_used_at`` to now unless it was set within
    :data:`LAST_USED_GRANULARITY` (the caller commits)."""
    now = utcnow()
    session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id)
        .where(
            or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at < now - LAST_USED_GRANULARITY,
            )
        )
        .values(last_used_at=now)
    )
