"""Provider schemas: ``ProviderCreate``, ``ProviderUpdate``, ``ProviderPublic`` and friends.

The request bodies and the ``config`` options are defined once below the API
(:mod:`binscribe.providers.inputs`, :mod:`binscribe.llm.options`) and re-exported here. The API
key travels in requests only and never in a response: responses carry ``api_key_hint`` (at most
the last 4 characters) and ``key_status``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from binscribe.crypto import CredentialCipher
from binscribe.db import providers as repo
from binscribe.db.enums import ProviderTestStatus
from binscribe.db.models import UserLLMProvider
from binscribe.llm.options import OptionSpec, ProviderOptions, readable_options
from binscribe.llm.types import ProviderType, ProviderTypeInfo, provider_type_info
from binscribe.providers.inputs import ProviderCreate, ProviderUpdate

__all__ = [
    "OptionSpec",
    "ProviderCreate",
    "ProviderOptions",
    "ProviderPublic",
    "ProviderTestInfo",
    "ProviderTestResult",
    "ProviderTypePublic",
    "ProviderTypesPublic",
    "ProviderUpdate",
    "ProvidersPublic",
    "provider_public",
]


HealthSource = Literal["test", "probe", "job"]
"""What found a provider's stored health: a connection test, an automatic probe, a job."""


class ProviderTestInfo(BaseModel):
    """The provider's stored health: the last connection test, automatic probe or job verdict."""

    status: ProviderTestStatus
    error_code: str | None
    message: str | None
    latency_ms: int | None
    tested_at: datetime
    source: HealthSource = Field(
        default="test",
        description="test: a connection test; probe: an automatic re-check of stale health "
        "(model list only); job: an analysis job's provider calls.",
    )


class ProviderPublic(BaseModel):
    """A provider as the API shows it: never the key, only its hint and whether it is usable."""

    id: UUID
    name: str
    provider_type: ProviderType
    endpoint_url: str | None
    default_model: str | None
    effective_model: str = Field(description="default_model, or the type's default model.")
    config: ProviderOptions
    is_active: bool
    has_api_key: bool
    api_key_hint: str | None = Field(description="At most the last 4 characters of the key.")
    key_status: Literal["ok", "needs_reentry"]
    last_test: ProviderTestInfo | None
    created_at: datetime
    updated_at: datetime
    notices: list[str] = Field(
        default_factory=list,
        description="What the server changed in the submitted values (for example a normalized "
        "endpoint URL); only on create and update responses.",
    )


class ProvidersPublic(BaseModel):
    """A list of providers."""

    data: list[ProviderPublic]
    count: int


class ProviderTypePublic(ProviderTypeInfo):
    """One provider type, the form it needs and the ``config`` options it uses."""

    options: list[OptionSpec] = Field(
        description="The options this type uses, with their ranges and this type's defaults."
    )


class ProviderTypesPublic(BaseModel):
    """Every provider type."""

    data: list[ProviderTypePublic]
    count: int


class ProviderTestResult(BaseModel):
    """The outcome of a connection test."""

    success: bool
    message: str
    error_code: str | None
    latency_ms: int | None
    models: list[str]
    tested_at: datetime | None = Field(
        default=None, description="When the outcome was stored (the provider's last_test)."
    )


def provider_public(
    row: UserLLMProvider, cipher: CredentialCipher, notices: list[str] | None = None
) -> ProviderPublic:
    """Map a row to its response form; reads no secret and decrypts nothing. Stored options
    that are unknown (from older versions) or out of range are left out of ``config``."""
    last_test = None
    if row.last_test_status is not None and row.last_tested_at is not None:
        last_test = ProviderTestInfo(
            status=row.last_test_status,
            error_code=row.last_test_error_code,
            message=row.last_test_message,
            latency_ms=row.last_test_latency_ms,
            tested_at=row.last_tested_at,
            source=row.last_test_source or "test",
        )
    ptype = ProviderType(row.provider_type)
    return ProviderPublic(
        id=row.id,
        name=row.name,
        provider_type=ptype,
        endpoint_url=row.endpoint_url,
        default_model=row.default_model,
        effective_model=row.default_model or provider_type_info(ptype).default_model,
        config=readable_options(row.config_json),
        is_active=row.is_active,
        has_api_key=row.encrypted_api_key is not None,
        api_key_hint=row.api_key_hint,
        key_status=repo.key_status(row, cipher),
        last_test=last_test,
        created_at=row.created_at,
        updated_at=row.updated_at,
        notices=notices or [],
    )
