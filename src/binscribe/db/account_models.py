"""ORM models of accounts: users, their browser sessions, personal API tokens, failed sign-ins.

Registered on :class:`binscribe.db.models.Base` (``db.models`` imports this module at its end, so
``Base.metadata`` always holds these tables). Secrets are never stored: sessions and API tokens
keep the SHA-256 hex of the random value handed out once, passwords an argon2 hash
(:mod:`binscribe.auth.passwords`). Written through :mod:`binscribe.auth.users` and
:mod:`binscribe.auth.credentials`; ownership of providers and jobs refers to ``users.id``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, Uuid, true
from sqlalchemy.orm import Mapped, mapped_column

from binscribe.db.models import Base, UTCDateTime, utcnow


class UserRole(StrEnum):
    """What a user may do: ``admin`` manages users and shared things, ``member`` their own."""

    ADMIN = "admin"
    MEMBER = "member"


_ROLES = ", ".join(f"'{role.value}'" for role in UserRole)


class User(Base):
    """A person who signs in. ``name`` is stored lower case (unique); a disabled user
    (``is_active`` false) can neither sign in nor use their sessions or tokens."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN ({_ROLES})", name="role"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16), default=UserRole.MEMBER.value)
    password_hash: Mapped[str] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"User(name={self.name!r}, role={self.role!r}, active={self.is_active})"


class UserSession(Base):
    """A signed-in browser: the cookie value's SHA-256 (``token_hash``) and when it ends.
    Sign-out deletes the row; an expired row is refused (and deleted when next seen)."""

    __tablename__ = "user_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid(), ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ApiToken(Base):
    """A personal API token (CLI, scripts, MCP): ``token_hash`` is the SHA-256 of the token,
    ``token_hint`` its first characters for recognising it in lists; revoking deletes the row."""

    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid(), ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_hint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginFailure(Base):
    """One failed sign-in, counted per account name and per client address by the rate limit
    (:mod:`binscribe.auth.ratelimit`); rows older than its window are deleted."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_name: Mapped[str] = mapped_column(String(64), index=True)
    client_address: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True, default=utcnow)
