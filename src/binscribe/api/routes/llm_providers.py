"""``/api/v1/llm-providers``: the active providers a job can use, with their health."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from binscribe.api.deps import CipherDep, SessionDep, SettingsDep, WriteSessionDep
from binscribe.db import providers as repo
from binscribe.db.enums import ProviderTestStatus
from binscribe.db.models import UserLLMProvider
from binscribe.llm.types import ProviderType, provider_type_info
from binscribe.provider_access import REFRESH_TIMEOUT_S, probe_providers

router = APIRouter(prefix="/llm-providers", tags=["llm-providers"])

Health = Literal["healthy", "unhealthy", "untested"]


class ProviderHealth(BaseModel):
    """An active provider and the outcome of its last connection test."""

    id: UUID
    name: str
    provider_type: ProviderType
    model: str = Field(description="The model jobs will use (default_model or the type's).")
    health: Health
    key_status: Literal["ok", "needs_reentry"]
    last_checked_at: datetime | None
    message: str | None
    error_code: str | None
    latency_ms: int | None


class ProvidersHealthPublic(BaseModel):
    """Active providers with health; ``recommended_provider`` stays null (the user chooses)."""

    data: list[ProviderHealth]
    count: int
    total_healthy: int
    recommended_provider: UUID | None = None


def _health(row: UserLLMProvider) -> Health:
    if row.last_test_status is None:
        return "untested"
    return "healthy" if row.last_test_status == ProviderTestStatus.SUCCESS else "unhealthy"


@router.get("", response_model=ProvidersHealthPublic)
def list_llm_providers(
    session: SessionDep,
    write_session: WriteSessionDep,
    cipher: CipherDep,
    settings: SettingsDep,
    refresh: Annotated[
        bool, Query(description="Probe every provider now (concurrently, short timeout).")
    ] = False,
) -> ProvidersHealthPublic:
    """List the active providers with their health, optionally re-testing all of them first."""
    if not refresh:  # a plain read must not queue for SQLite's write lock
        rows = repo.list_providers(session, is_active=True)
    else:
        rows = repo.list_providers(write_session, is_active=True)
        if rows:
            probe_providers(
                write_session,
                rows,
                cipher,
                allow_private_endpoints=settings.allow_private_endpoints,
                timeout_s=REFRESH_TIMEOUT_S,
            )
        write_session.commit()
    data = [
        ProviderHealth(
            id=row.id,
            name=row.name,
            provider_type=ProviderType(row.provider_type),
            model=row.default_model or provider_type_info(row.provider_type).default_model,
            health=_health(row),
            key_status=repo.key_status(row, cipher),
            last_checked_at=row.last_tested_at,
            message=row.last_test_message,
            error_code=row.last_test_error_code,
            latency_ms=row.last_test_latency_ms,
        )
        for row in rows
    ]
    healthy = sum(1 for item in data if item.health == "healthy")
    return ProvidersHealthPublic(data=data, count=len(data), total_healthy=healthy)
