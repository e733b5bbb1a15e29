"""``/api/v1/user-llm-providers``: create, read, update, delete and test users' LLM providers."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from binscribe import providers
from binscribe.api.deps import CipherDep, SessionDep, SettingsDep, WriteSessionDep
from binscribe.api.schemas.errors import error_responses
from binscribe.api.schemas.providers import (
    ProviderCreate,
    ProviderPublic,
    ProvidersPublic,
    ProviderTestResult,
    ProviderTypePublic,
    ProviderTypesPublic,
    ProviderUpdate,
    provider_public,
)
from binscribe.db import providers as repo
from binscribe.llm.options import option_specs
from binscribe.llm.types import PROVIDER_TYPES, ProviderType

router = APIRouter(prefix="/user-llm-providers", tags=["user-llm-providers"])

_ERRORS = error_responses(404, 409, 422)


@router.get("/types", response_model=ProviderTypesPublic)
def list_provider_types() -> ProviderTypesPublic:
    """List the provider types with the fields, options and defaults their forms need."""
    data = [
        ProviderTypePublic(**info.model_dump(), options=option_specs(ptype))
        for ptype, info in PROVIDER_TYPES.items()
    ]
    return ProviderTypesPublic(data=data, count=len(data))


@router.get("", response_model=ProvidersPublic)
def list_providers(
    session: SessionDep,
    cipher: CipherDep,
    is_active: Annotated[bool | None, Query(description="Only active or inactive ones.")] = None,
    provider_type: Annotated[ProviderType | None, Query(description="Only this type.")] = None,
) -> ProvidersPublic:
    """List providers, oldest first."""
    rows = repo.list_providers(
        session, is_active=is_active, provider_type=provider_type.value if provider_type else None
    )
    return ProvidersPublic(data=[provider_public(r, cipher) for r in rows], count=len(rows))


@router.post(
    "", response_model=ProviderPublic, status_code=status.HTTP_201_CREATED, responses=_ERRORS
)
def create_provider(
    provider_in: ProviderCreate, session: WriteSessionDep, cipher: CipherDep, settings: SettingsDep
) -> ProviderPublic:
    """Create a provider; its API key is encrypted and never returned."""
    saved = providers.create_provider(
        session=session,
        cipher=cipher,
        provider_in=provider_in,
        allow_private_endpoints=settings.allow_private_endpoints,
    )
    session.commit()
    return provider_public(saved.row, cipher, saved.notices)


@router.get("/{provider_id}", response_model=ProviderPublic, responses=_ERRORS)
def get_provider(provider_id: UUID, session: SessionDep, cipher: CipherDep) -> ProviderPublic:
    """Get one provider."""
    return provider_public(repo.get_provider(session, provider_id), cipher)


@router.put("/{provider_id}", response_model=ProviderPublic, responses=_ERRORS)
def update_provider(
    provider_id: UUID,
    provider_in: ProviderUpdate,
    session: WriteSessionDep,
    cipher: CipherDep,
    settings: SettingsDep,
) -> ProviderPublic:
    """Update a provider partially; an omitted or empty ``api_key`` keeps the stored key."""
    saved = providers.update_provider(
        session=session,
        cipher=cipher,
        provider_id=provider_id,
        provider_in=provider_in,
        allow_private_endpoints=settings.allow_private_endpoints,
    )
    session.commit()
    return provider_public(saved.row, cipher, saved.notices)


@router.delete(
    "/{provider_id}", status_code=status.HTTP_204_NO_CONTENT, responses={404: _ERRORS[404]}
)
def delete_provider(provider_id: UUID, session: WriteSessionDep) -> Response:
    """Delete a provider and its stored key."""
    repo.delete_provider(session, provider_id)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{provider_id}/test", response_model=ProviderTestResult, responses={404: _ERRORS[404]}
)
def test_provider(
    provider_id: UUID, session: WriteSessionDep, cipher: CipherDep, settings: SettingsDep
) -> ProviderTestResult:
    """Test the connection (model list, then one minimal real completion) and store the outcome.

    A failed test is a 200 answer with ``success: false`` and the precise ``error_code``.
    """
    row = repo.get_provider(session, provider_id)
    results = providers.probe_providers(
        session, [row], cipher, allow_private_endpoints=settings.allow_private_endpoints
    )
    session.commit()
    result = results[row.id]
    return ProviderTestResult(
        success=result.success,
        message=result.message,
        error_code=result.error_code,
        latency_ms=result.latency_ms,
        models=result.models,
        tested_at=row.last_tested_at,
    )
