"""``/api/v1/llm-providers``: the active providers a job can use, with their health, and the
rate-limited re-check of stale health (:mod:`binscribe.providers.health.refresh`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, cast
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from binscribe.api.deps import CipherDep, SessionDep, SettingsDep, WriteSessionDep
from binscribe.api.schemas.providers import HealthSource
from binscribe.crypto import CredentialCipher
from binscribe.db import providers as repo
from binscribe.db.enums import ProviderTestStatus
from binscribe.db.models import UserLLMProvider, utcnow
from binscribe.llm.types import ProviderType, provider_type_info
from binscribe.providers import REFRESH_TIMEOUT_S, probe_providers
from binscribe.providers.health.refresh import is_probing, is_stale, refresh_stale
from binscribe.settings import Settings

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
    checked_by: HealthSource | None = Field(
        description="What found the health: a connection test, an automatic probe, a job."
    )
    stale: bool = Field(
        description="The health is older than the server's provider_health_max_age_s; "
        "POST /llm-providers/refresh-stale re-checks it."
    )
    probing: bool = Field(description="An automatic re-check is running (any server process).")
    message: str | None
    error_code: str | None
    latency_ms: int | None


class ProvidersHealthPublic(BaseModel):
    """Active providers with health; ``recommended_provider`` stays null (the user chooses)."""

    data: list[ProviderHealth]
    count: int
    total_healthy: int
    recommended_provider: UUID | None = None
    max_age_s: int = Field(
        description="Health older than this many seconds is stale (0: never; the server's "
        "BINSCRIBE_PROVIDER_HEALTH_MAX_AGE_S)."
    )


def _health(row: UserLLMProvider) -> Health:
    if row.last_test_status is None:
        return "untested"
    return "healthy" if row.last_test_status == ProviderTestStatus.SUCCESS else "unhealthy"


def _source(row: UserLLMProvider) -> HealthSource | None:
    if row.last_test_status is None:
        return None
    return cast(HealthSource, row.last_test_source or "test")


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
    return _listing(rows, cipher, settings)


@router.post("/refresh-stale", response_model=ProvidersHealthPublic)
def refresh_stale_providers(
    session: WriteSessionDep, cipher: CipherDep, settings: SettingsDep
) -> ProvidersHealthPublic:
    """Re-check every active provider whose health is stale with a cheap probe (model list, no
    completion), then list them all. A provider another request probed within the last
    ``max_age_s`` seconds is not probed again (it shows ``probing`` until that answer is
    stored). Answers within about 10 s; with nothing stale it answers at once."""
    refresh_stale(
        session,
        cipher,
        max_age_s=settings.provider_health_max_age_s,
        allow_private_endpoints=settings.allow_private_endpoints,
    )
    session.commit()
    return _listing(repo.list_providers(session, is_active=True), cipher, settings)


def _listing(
    rows: list[UserLLMProvider], cipher: CredentialCipher, settings: Settings
) -> ProvidersHealthPublic:
    now = utcnow()
    max_age = settings.provider_health_max_age_s
    data = [
        ProviderHealth(
            id=row.id,
            name=row.name,
            provider_type=ProviderType(row.provider_type),
            model=row.default_model or provider_type_info(row.provider_type).default_model,
            health=_health(row),
            key_status=repo.key_status(row, cipher),
            last_checked_at=row.last_tested_at,
            checked_by=_source(row),
            stale=is_stale(row, now=now, max_age_s=max_age),
            probing=is_probing(row, now=now),
            message=row.last_test_message,
            error_code=row.last_test_error_code,
            latency_ms=row.last_test_latency_ms,
        )
        for row in rows
    ]
    healthy = sum(1 for item in data if item.health == "healthy")
    return ProvidersHealthPublic(
        data=data, count=len(data), total_healthy=healthy, max_age_s=max_age
    )
