"""user_llm_providers: users' LLM providers with encrypted API keys and the last test result.

Revision ID: 0001_user_llm_providers
Revises:
Create Date: 2025-01-01

Mirrors ``database/migrations/add_user_llm_providers.sql`` on PostgreSQL (a test compares them).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001_user_llm_providers"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "user_llm_providers"


def upgrade() -> None:
    is_postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        TABLE,
        sa.Column(
            "id",
            sa.Uuid(),
            nullable=False,
            server_default=sa.text("gen_random_uuid()") if is_postgres else None,
        ),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("provider_type", sa.String(20), nullable=False),
        sa.Column("encrypted_api_key", sa.Text(), nullable=True),
        sa.Column("api_key_hint", sa.String(8), nullable=True),
        sa.Column("key_fingerprint", sa.String(16), nullable=True),
        sa.Column("endpoint_url", sa.Text(), nullable=True),
        sa.Column("default_model", sa.String(255), nullable=True),
        sa.Column(
            "config_json",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
            server_default=sa.text("'{}'"),
        ),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("last_test_status", sa.String(16), nullable=True),
        sa.Column("last_test_error_code", sa.String(64), nullable=True),
        sa.Column("last_test_message", sa.Text(), nullable=True),
        sa.Column("last_test_latency_ms", sa.Integer(), nullable=True),
        sa.Column("last_tested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_llm_providers")),
        sa.UniqueConstraint("name", name=op.f("uq_user_llm_providers_name")),
        sa.CheckConstraint(
            "provider_type IN ('openai', 'anthropic', 'gemini', 'ollama')",
            name=op.f("ck_user_llm_providers_provider_type"),
        ),
        sa.CheckConstraint(
            "last_test_status IS NULL OR last_test_status IN ('success', 'failure')",
            name=op.f("ck_user_llm_providers_last_test_status"),
        ),
    )
    op.create_index(op.f("ix_user_llm_providers_is_active"), TABLE, ["is_active"])
    op.create_index(op.f("ix_user_llm_providers_provider_type"), TABLE, ["provider_type"])


def downgrade() -> None:
    op.drop_index(op.f("ix_user_llm_providers_provider_type"), table_name=TABLE)
    op.drop_index(op.f("ix_user_llm_providers_is_active"), table_name=TABLE)
    op.drop_table(TABLE)
