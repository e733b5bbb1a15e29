"""ORM models (SQLAlchemy 2 declarative). Every table the Alembic revisions create is here.

``Base.metadata`` carries a naming convention, so constraint and index names are deterministic
and identical between the models, the Alembic revisions and the PostgreSQL script
(``ck_<table>_<name>``, ``uq_<table>_<column>``, ``ix_<table>_<column>``, ``pk_<table>``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    func,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from binscribe.db.enums import JobKind, JobStage, JobStatus, ProviderTestStatus

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PROVIDER_TYPES = ("openai", "anthropic", "gemini", "ollama")
"""Values allowed in ``user_llm_providers.provider_type`` (a CHECK constraint enforces them).

The ``llm`` layer owns the provider types (:class:`binscribe.llm.types.ProviderType`), which
``db`` may not import; tests/integration/db/test_enum_constraints.py asserts this tuple equals
that enum, in order."""

TEST_SOURCES = ("test", "probe", "job")
"""Values allowed in ``user_llm_providers.last_test_source``: what produced the stored health (a
connection test, the automatic re-probe of stale health, an analysis job's provider calls)."""


def _sql_list(values: Iterable[str]) -> str:
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
    plaintext for display. ``last_test_*``/``last_tested_at`` hold the provider's health: the
    last connection test, automatic probe or job verdict (``last_test_source``, see
    :mod:`binscribe.providers.health`); ``health_probe_at`` is when an automatic probe was last
    started (the rate limit shared by every API process). Rows are written through
    :mod:`binscribe.db.providers`.
    """

    __tablename__ = "user_llm_providers"
    __table_args__ = (
        CheckConstraint(f"provider_type IN ({_sql_list(PROVIDER_TYPES)})", name="provider_type"),
        CheckConstraint(
            f"last_test_status IS NULL OR last_test_status IN ({_sql_list(ProviderTestStatus)})",
            name="last_test_status",
        ),
        CheckConstraint(
            f"last_test_source IS NULL OR last_test_source IN ({_sql_list(TEST_SOURCES)})",
            name="last_test_source",
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
    last_test_source: Mapped[str | None] = mapped_column(String(16))
    health_probe_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"UserLLMProvider(id={self.id!s}, name={self.name!r}, type={self.provider_type!r})"


class Job(Base):
    """One analysis job: the uploaded file, its options, where it is, and what it produced.

    The file itself lives in the blob store under ``file_sha256``; the result document (analysis
    plus explanations, JSON) under ``result_sha256`` once completed. ``provider_*`` snapshot the
    provider at submission (``provider_id`` becomes NULL when the provider is deleted).
    ``attempts`` counts pipeline starts (a job found running after a crash is re-queued once);
    ``heartbeat_at`` is refreshed while a worker runs it. Token counts come from the providers'
    usage reports; ``estimated_cost_usd`` is None when unknown. ``kind`` (:class:`JobKind`):
    an on-demand job has its analysis job as ``parent_job_id`` (deleted with it), what it was
    asked in ``request`` (``{"addresses": [...], "scope": ...}``), and adds its tokens and
    cost to the parent's when it finishes. ``budget_tokens`` / ``budget_usd``: the job's
    optional explanation budget (NULL: none). Written through
    :mod:`binscribe.db.jobs`.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(f"status IN ({_sql_list(JobStatus)})", name="status"),
        CheckConstraint(f"stage IN ({_sql_list(JobStage)})", name="stage"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
        CheckConstraint(f"kind IN ({_sql_list(JobKind)})", name="kind"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    status: Mapped[str] = mapped_column(String(16), index=True, default=JobStatus.QUEUED)
    stage: Mapped[str] = mapped_column(String(16), default=JobStage.UPLOAD)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    functions_total: Mapped[int] = mapped_column(Integer, default=0)
    functions_decompiled: Mapped[int] = mapped_column(Integer, default=0)
    functions_selected: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    items_total: Mapped[int] = mapped_column(Integer, default=0)
    items_done: Mapped[int] = mapped_column(Integer, default=0)
    items_failed: Mapped[int] = mapped_column(Integer, default=0)
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    file_size: Mapped[int] = mapped_column(BigInteger)
    file_format: Mapped[str] = mapped_column(String(16))
    file_arch: Mapped[str] = mapped_column(String(16))
    analysis_depth: Mapped[str] = mapped_column(String(16))
    translation_detail: Mapped[str] = mapped_column(String(16))
    function_limit: Mapped[int | None] = mapped_column(Integer)
    budget_tokens: Mapped[int | None] = mapped_column(Integer)
    budget_usd: Mapped[float | None] = mapped_column(Float)
    provider_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid(), ForeignKey("user_llm_providers.id", ondelete="SET NULL"), index=True
    )
    provider_name: Mapped[str | None] = mapped_column(String(255))
    provider_type: Mapped[str | None] = mapped_column(String(20))
    provider_model: Mapped[str | None] = mapped_column(String(255))
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    reasoning_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    estimated_cost_usd: Mapped[float | None] = mapped_column(Float)
    analysis_reused: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    result_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    kind: Mapped[str] = mapped_column(
        String(16), default=JobKind.ANALYSIS, server_default=JobKind.ANALYSIS.value
    )
    parent_job_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid(), ForeignKey("jobs.id", ondelete="CASCADE"), index=True
    )
    request: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)

    def __repr__(self) -> str:
        return f"Job(id={self.id!s}, status={self.status!r}, stage={self.stage!r})"


class AnalysisCacheEntry(Base):
    """A stored analysis result, reused by jobs on the same file with the same options.

    Keyed by the file's sha256, the depth, the engine version (angr's) and ``max_decompiled``
    (the function limit changes which functions are decompiled). ``result_sha256`` names the
    result document (``AnalysisResult`` JSON) in the blob store.
    """

    __tablename__ = "analysis_cache"
    __table_args__ = (UniqueConstraint("file_sha256", "depth", "engine_version", "max_decompiled"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file_sha256: Mapped[str] = mapped_column(String(64))
    depth: Mapped[str] = mapped_column(String(16))
    engine_version: Mapped[str] = mapped_column(String(32))
    max_decompiled: Mapped[int] = mapped_column(Integer)
    result_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ExplanationCacheEntry(Base):
    """One cached explanation (a JSON object) under the explain engine's 64-hex cache key
    (:func:`binscribe.explain.cache_key`: function bytes, provider identity (id, type and
    endpoint), model, prompt version and detail)."""

    __tablename__ = "explanation_cache"

    cache_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# The account tables live in their own module; importing it here registers them on Base.metadata
# wherever the models are loaded (Alembic, the schema comparison test).
from binscribe.db import account_models as _account_models  # noqa: E402, F401
