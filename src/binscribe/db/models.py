"""ORM models (SQLAlchemy 2 declarative). Every table the Alembic revisions create is here.

``Base.metadata`` carries a naming convention, so constraint and index names are deterministic
and identical between the models, the Alembic revisions and the PostgreSQL script
(``ck_<table>_<name>``, ``uq_<table>_<column>``, ``ix_<table>_<column>``, ``pk_<table>``).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    Uuid,
    func,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PROVIDER_TYPES = ("openai", "anthropic", "gemini", "ollama")
"""Values allowed in ``user_llm_providers.provider_type`` (a CHECK constraint enforces them)."""

TEST_STATUSES = ("success", "failure")
"""Values allowed in ``user_llm_providers.last_test_status``."""


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` that only accepts aware datetimes and always returns UTC.

    SQLite has no time zone type: values are stored as naive UTC text and read back with
    ``tzinfo=UTC``. PostgreSQL stores ``timestamptz``; values come back converted to UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a timezone-aware column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONDocument = JSON().with_variant(JSONB(), "postgresql")
"""JSON on SQLite, JSONB on PostgreSQL."""


class Base(DeclarativeBase):
    """Declarative base of every binscribe table; its metadata uses :data:`NAMING_CONVENTION`."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UserLLMProvider(Base):
    """A user's LLM provider: connection settings, the encrypted API key and the last test.

    ``encrypted_api_key`` is a Fernet token (see :mod:`binscribe.crypto`); ``key_fingerprint``
    names the key that made it and ``api_key_hint`` holds at most the last 4 characters of the
    plaintext for display. Rows are written through :mod:`binscribe.db.providers`.
    """

    __tablename__ = "user_llm_providers"
    __table_args__ = (
        CheckConstraint(f"provider_type IN ({_sql_list(PROVIDER_TYPES)})", name="provider_type"),
        CheckConstraint(
            f"last_test_status IS NULL OR last_test_status IN ({_sql_list(TEST_STATUSES)})",
            name="last_test_status",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    provider_type: Mapped[str] = mapped_column(String(20), index=True)
    encrypted_api_key: Mapped[str | None] = mapped_column(Text)
    api_key_hint: Mapped[str | None] = mapped_column(String(8))
    key_fingerprint: Mapped[str | None] = mapped_column(String(16))
    endpoint_url: Mapped[str | None] = mapped_column(Text)
    default_model: Mapped[str | None] = mapped_column(String(255))
    config_json: Mapped[dict[str, Any]] = mapped_column(
        JSONDocument, default=dict, server_default=text("'{}'")
    )
    is_active: Mapped[bool] = mapped_column(
        Boolean, index=True, default=True, server_default=true()
    )
    last_test_status: Mapped[str | None] = mapped_column(String(16))
    last_test_error_code: Mapped[str | None] = mapped_column(String(64))
    last_test_message: Mapped[str | None] = mapped_column(Text)
    last_test_latency_ms: Mapped[int | None] = mapped_column(Integer)
    last_tested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, server_default=func.now()
    )

    def __repr__(self) -> str:
        return f"UserLLMProvider(id={self.id!s}, name={self.name!r}, type={self.provider_type!r})"
