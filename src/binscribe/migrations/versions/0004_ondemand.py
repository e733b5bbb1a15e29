"""jobs.kind, jobs.parent_job_id, jobs.request: on-demand jobs (decompile one more function,
explain a selection) on a finished analysis job.

Revision ID: 0004_ondemand
Revises: 0003_reasoning_tokens
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0004_ondemand"
down_revision: str | None = "0003_reasoning_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(16), nullable=False, server_default="analysis")
        )
        batch.add_column(sa.Column("parent_job_id", sa.Uuid(), nullable=True))
        batch.add_column(
            sa.Column("request", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True)
        )
        batch.create_foreign_key(
            op.f("fk_jobs_parent_job_id_jobs"),
            "jobs",
            ["parent_job_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_check_constraint(
            op.f("ck_jobs_kind"), "kind IN ('analysis', 'decompile', 'explain')"
        )
        batch.create_index(op.f("ix_jobs_parent_job_id"), ["parent_job_id"])


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_index(op.f("ix_jobs_parent_job_id"))
        batch.drop_constraint(op.f("ck_jobs_kind"), type_="check")
        batch.drop_constraint(op.f("fk_jobs_parent_job_id_jobs"), type_="foreignkey")
        batch.drop_column("request")
        batch.drop_column("parent_job_id")
        batch.drop_column("kind")
