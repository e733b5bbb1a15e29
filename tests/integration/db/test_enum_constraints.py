"""Every CHECK constraint on an enumerated column holds exactly its enum's values: in the ORM
models, in the schema the Alembic revisions build (SQLite and PostgreSQL), and in what the real
database accepts. The provider types are the ``llm`` layer's enum, which ``db`` may not import:
this is the test that keeps ``db.models.PROVIDER_TYPES`` equal to it."""

from __future__ import annotations

import re
from enum import StrEnum

import pytest
from sqlalchemy import CheckConstraint, Engine, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from binscribe.crypto import CredentialCipher
from binscribe.db.enums import JobKind, JobStage, JobStatus, ProviderTestStatus
from binscribe.db.models import PROVIDER_TYPES, Base
from binscribe.llm.types import ProviderType
from tests.factories import make_job, make_provider

CASES = [
    pytest.param("jobs", "status", JobStatus, id="job-status"),
    pytest.param("jobs", "stage", JobStage, id="job-stage"),
    pytest.param("jobs", "kind", JobKind, id="job-kind"),
    pytest.param("user_llm_providers", "provider_type", ProviderType, id="provider-type"),
    pytest.param(
        "user_llm_providers", "last_test_status", ProviderTestStatus, id="provider-test-status"
    ),
]


def _quoted(sql: str) -> list[str]:
    """The string literals of a constraint's SQL, in order (PostgreSQL's ``ANY (ARRAY[...])``
    rewrite keeps them, with casts after each)."""
    return re.findall(r"'([^']*)'", sql)


def test_provider_types_tuple_is_the_llm_enum() -> None:
    assert PROVIDER_TYPES == tuple(member.value for member in ProviderType)


@pytest.mark.parametrize(("table", "column", "enum"), CASES)
def test_model_constraint_lists_the_enum(table: str, column: str, enum: type[StrEnum]) -> None:
    checks = [
        c
        for c in Base.metadata.tables[table].constraints
        if isinstance(c, CheckConstraint) and c.name in (column, f"ck_{table}_{column}")
    ]
    assert len(checks) == 1
    assert _quoted(str(checks[0].sqltext)) == [member.value for member in enum]


@pytest.mark.parametrize(("table", "column", "enum"), CASES)
def test_migrated_constraint_lists_the_enum(
    engine: Engine, table: str, column: str, enum: type[StrEnum]
) -> None:
    checks = {c["name"]: c["sqltext"] for c in inspect(engine).get_check_constraints(table)}
    assert _quoted(checks[f"ck_{table}_{column}"]) == [member.value for member in enum]


@pytest.mark.parametrize(("table", "column", "enum"), CASES)
def test_database_accepts_exactly_the_enum(
    session: Session,
    cipher: CredentialCipher,
    table: str,
    column: str,
    enum: type[StrEnum],
) -> None:
    provider = make_provider(session, cipher)
    job = make_job(session, provider_id=provider.id)
    row_id = job.id if table == "jobs" else provider.id
    rows = Base.metadata.tables[table]
    for member in enum:  # bound as the member itself, as the code writes it
        session.execute(update(rows).where(rows.c.id == row_id).values({column: member}))
        stored = session.scalar(select(rows.c[column]).where(rows.c.id == row_id))
        assert (type(stored), stored) == (str, member.value)
    with pytest.raises(IntegrityError, match=f"ck_{table}_{column}"):
        session.execute(update(rows).where(rows.c.id == row_id).values({column: "unknown"}))
