"""user_llm_providers.last_test_source and health_probe_at: what produced the stored health (a
connection test, an automatic probe or a job) and when an automatic probe last started.

Revision ID: 0006_provider_health
Revises: 0005_functions_selected
Create Date: 2026-12-02

Mirrors ``database/migrations/add_user_llm_providers.sql`` on PostgreSQL (a test compares them).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_provider_health"
down_revision: str | None = "0005_functions_selected"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "user_llm_providers"


def upgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column("last_test_source", sa.String(16), nullable=True))
        batch.add_column(sa.Column("health_probe_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_check_constraint(
            op.f("ck_user_llm_providers_last_test_source"),
            "last_test_source IS NULL OR last_test_source IN ('test', 'probe', 'job')",
        )
    # Results stored before this revision came from connection tests.
    op.execute(
        sa.text(f"UPDATE {TABLE} SET last_test_source = 'test' WHERE last_test_status IS NOT NULL")
    )


def downgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_constraint(op.f("ck_user_llm_providers_last_test_source"), type_="check")
        batch.drop_column("health_probe_at")
        batch.drop_column("last_test_source")
