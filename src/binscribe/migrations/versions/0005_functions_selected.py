"""jobs.functions_selected: the functions a job chose to decompile (the M of "N of M
decompiled"), known as soon as decompilation starts.

Revision ID: 0005_functions_selected
Revises: 0004_ondemand
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_functions_selected"
down_revision: str | None = "0004_ondemand"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(
            sa.Column("functions_selected", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("functions_selected")
