"""jobs.budget_tokens, jobs.budget_usd: the job's optional explanation budget (provider tokens,
estimated USD cost); NULL: no limit.

Revision ID: 0008_job_budget
Revises: 0007_accounts
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_job_budget"
down_revision: str | None = "0007_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("budget_tokens", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("budget_usd", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("budget_usd")
        batch.drop_column("budget_tokens")
