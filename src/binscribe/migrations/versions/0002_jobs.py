"""jobs, analysis_cache, explanation_cache: analysis jobs and the two result caches.

Revision ID: 0002_jobs
Revises: 0001_user_llm_providers
Create Date: 2025-01-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_jobs"
down_revision: str | None = "0001_user_llm_providers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("functions_total", sa.Integer(), nullable=False),
        sa.Column("functions_decompiled", sa.Integer(), nullable=False),
        sa.Column("items_total", sa.Integer(), nullable=False),
        sa.Column("items_done", sa.Integer(), nullable=False),
        sa.Column("items_failed", sa.Integer(), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("file_format", sa.String(16), nullable=False),
        sa.Column("file_arch", sa.String(16), nullable=False),
        sa.Column("analysis_depth", sa.String(16), nullable=False),
        sa.Column("translation_detail", sa.String(16), nullable=False),
        sa.Column("function_limit", sa.Integer(), nullable=True),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("provider_name", sa.String(255), nullable=True),
        sa.Column("provider_type", sa.String(20), nullable=True),
        sa.Column("provider_model", sa.String(255), nullable=True),
        sa.Column("error_code", sa.String(64), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("estimated_cost_usd", sa.Float(), nullable=True),
        sa.Column("analysis_reused", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("heartbeat_at", _TS, nullable=True),
        sa.Column("result_sha256", sa.String(64), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("started_at", _TS, nullable=True),
        sa.Column("finished_at", _TS, nullable=True),
        sa.Column("updated_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["user_llm_providers.id"],
            name=op.f("fk_jobs_provider_id_user_llm_providers"),
            ondelete="SET NULL",
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'completed', 'failed', 'cancelled')",
            name=op.f("ck_jobs_status"),
        ),
        sa.CheckConstraint(
            "stage IN ('upload', 'analyze', 'explain', 'store')", name=op.f("ck_jobs_stage")
        ),
        sa.CheckConstraint("progress >= 0 AND progress <= 100", name=op.f("ck_jobs_progress")),
    )
    op.create_index(op.f("ix_jobs_status"), "jobs", ["status"])
    op.create_index(op.f("ix_jobs_file_sha256"), "jobs", ["file_sha256"])
    op.create_index(op.f("ix_jobs_provider_id"), "jobs", ["provider_id"])
    op.create_index(op.f("ix_jobs_created_at"), "jobs", ["created_at"])

    op.create_table(
        "analysis_cache",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("depth", sa.String(16), nullable=False),
        sa.Column("engine_version", sa.String(32), nullable=False),
        sa.Column("max_decompiled", sa.Integer(), nullable=False),
        sa.Column("result_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_cache")),
        sa.UniqueConstraint(
            "file_sha256",
            "depth",
            "engine_version",
            "max_decompiled",
            name=op.f("uq_analysis_cache_file_sha256"),
        ),
    )

    op.create_table(
        "explanation_cache",
        sa.Column("cache_key", sa.String(64), nullable=False),
        sa.Column(
            "value", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("created_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("cache_key", name=op.f("pk_explanation_cache")),
    )


def downgrade() -> None:
    op.drop_table("explanation_cache")
    op.drop_table("analysis_cache")
    for column in ("created_at", "provider_id", "file_sha256", "status"):
        op.drop_index(op.f(f"ix_jobs_{column}"), table_name="jobs")
    op.drop_table("jobs")
