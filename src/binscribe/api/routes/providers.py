"""``/api/v1/user-llm-providers``: create, read, update, delete and test users' LLM providers."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from binscribe.api import provider_rules as rules
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
)
from binscribe.db import providers as repo
from binscribe.llm.types import PROVIDER_TYPES, ProviderType
from binscribe.provider_access import probe_providers

router = APIRouter(prefix="/user-llm-providers", tags=["user-llm-providers"])

_ERRORS = error_responses(404, 409, 422)


@router.get("/types", response_model=ProviderTypesPublic)
def list_provider_types() -> ProviderTypesPublic:
    """List the provider types with the fields and defaults their forms need."""
    data = [ProviderTypePublic.model_validate(i.model_dump()) for i in PROVIDER_TYPES.values()]
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
    return ProvidersPublic(data=[rules.to_public(r, cipher) for r in rows], count=len(rows))


@router.post(
    "", response_model=ProviderPublic, status_code=status.HTTP_201_CREATED, responses=_ERRORS
)
def create_provider(
    provider_in: ProviderCreate, session: WriteSessionDep, cipher: CipherDep, settings: SettingsDep
) -> ProviderPublic:
    """Create a provider; its API key is encrypted and never returned."""
    api_key = provider_in.api_key.get_secret_value().strip() if provider_in.api_key else None
    endpoint = rules.check_endpoint(
        provider_in.provider_type,
        provider_in.endpoint_url,
        allow_private=settings.allow_private_endpoints,
    )
    rules.check_api_key(provider_in.provider_type, new_key=api_key, has_stored_key=False)
    row = repo.create_provider(
        session,
        cipher=cipher,
        name=provider_in.name,
        provider_type=provider_in.provider_type.value,
        api_key=api_key or None,
        endpoint_url=endpoint.url,
        default_model=rules.model_from_endpoint(endpoint, provider_in.default_model),
        config=rules.options_to_config(provider_in.config),
        is_active=provider_in.is_active,
    )
    session.commit()
    return rules.to_public(row, cipher, endpoint.notices)


@router.get("/{provider_id}", response_model=ProviderPublic, responses=_ERRORS)
def get_provider(provider_id: UUID, session: SessionDep, cipher: CipherDep) -> ProviderPublic:
    """Get one provider."""
    return rules.to_public(repo.get_provider(session, provider_id), cipher)


@router.put("/{provider_id}", response_model=ProviderPublic, responses=_ERRORS)
def update_provider(
    provider_id: UUID,
    provider_in: ProviderUpdate,
    session: WriteSessionDep,
    cipher: CipherDep,
    settings: SettingsDep,
) -> ProviderPublic:
    """Update a provider partially; an omitted or empty ``api_key`` keeps the stored key."""
    row = repo.get_provider(session, provider_id)
    sent = provider_in.model_fields_set
    ptype = provider_in.provider_type or ProviderType(row.provider_type)
    api_key = provider_in.api_key.get_secret_value().strip() if provider_in.api_key else None
    changes: dict[str, Any] = {}
    notices: list[str] = []
    if "endpoint_url" in sent or "provider_type" in sent:
        raw = provider_in.endpoint_url if "endpoint_url" in sent else row.endpoint_url
        endpoint = rules.check_endpoint(ptype, raw, allow_private=settings.allow_private_endpoints)
        changes["endpoint_url"] = endpoint.url
        if "endpoint_url" in sent and endpoint.model is not None:
            kept = provider_in.default_model if "default_model" in sent else row.default_model
            changes["default_model"] = rules.model_from_endpoint(endpoint, kept)
        notices = endpoint.notices if "endpoint_url" in sent else []
    rules.check_api_key(ptype, new_key=api_key, has_stored_key=row.encrypted_api_key is not None)
    rules.check_key_destination(
        row,
        provider_type=ptype,
        endpoint_url=changes.get("endpoint_url", row.endpoint_url),
        new_key=api_key,
    )
    for field in ("name", "default_model", "is_active"):
        if field in sent and field not in changes:
            value = getattr(provider_in, field)
            if value is None and field in ("name", "is_active"):
                continue
            changes[field] = value
    if "provider_type" in sent and provider_in.provider_type is not None:
        changes["provider_type"] = ptype.value
    if "config" in sent and provider_in.config is not None:
        changes["config"] = rules.options_to_config(provider_in.config)
    if api_key:
        changes["api_key"] = api_key
    row = repo.update_provider(session, provider_id, cipher=cipher, changes=changes)
    session.commit()
    return rules.to_public(row, cipher, notices)


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
    results = probe_providers(
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
