"""Per-type validation of provider settings and the row-to-response mapping.

Plain functions shared by the API routes and the CLI's ``providers`` commands, so both accept
exactly the same input. The type registry (:mod:`binscribe.llm.types`) says what each type needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from binscribe.api.schemas.providers import ProviderOptions, ProviderPublic, ProviderTestInfo
from binscribe.crypto import CredentialCipher
from binscribe.db import providers as repo
from binscribe.db.models import UserLLMProvider
from binscribe.errors import ValidationFailed
from binscribe.llm.endpoints import normalize_endpoint
from binscribe.llm.errors import EndpointForbidden
from binscribe.llm.netguard import EndpointGuard
from binscribe.llm.types import ProviderType, provider_type_info


@dataclass
class CheckedEndpoint:
    """The endpoint to store (``None`` clears it) and the notices to show the user;
    ``model``: the model a pasted Gemini method URL named (see :func:`model_from_endpoint`)."""

    url: str | None
    notices: list[str] = field(default_factory=list)
    model: str | None = None


def check_endpoint(
    provider_type: ProviderType, raw: str | None, *, allow_private: bool
) -> CheckedEndpoint:
    """Normalize ``raw`` for ``provider_type``; blank means "no endpoint". A host that is a
    metadata name or a refused address (private ones too unless ``allow_private``, from
    ``Settings.allow_private_endpoints``) is refused here already; names are resolved and
    checked again at each connection.

    Raises:
        ValidationFailed: ``invalid_endpoint_url`` (bad URL) or ``missing_endpoint_url`` (a type
            that needs one, such as Ollama, got none).
        EndpointForbidden: ``endpoint_forbidden`` (HTTP 422) for a refused host.
    """
    if raw is None or not raw.strip():
        if "endpoint_url" in provider_type_info(provider_type).required_fields:
            raise ValidationFailed(
                f"{provider_type_info(provider_type).label} needs an endpoint URL, "
                f"for example {provider_type_info(provider_type).default_endpoint}.",
                code="missing_endpoint_url",
                details={"field": "endpoint_url"},
            )
        return CheckedEndpoint(url=None)
    normalized = normalize_endpoint(provider_type, raw)
    host = urlsplit(normalized.url).hostname or ""
    try:
        EndpointGuard(allow_private=allow_private).check_host(host)
    except EndpointForbidden as exc:
        exc.details = {**(exc.details or {}), "field": "endpoint_url"}
        raise
    notices = [f"endpoint_url: {change}" for change in normalized.changes]
    if normalized.changes:
        notices.append(f"endpoint_url stored as {normalized.url}")
    return CheckedEndpoint(url=normalized.url, notices=notices, model=normalized.model)


def model_from_endpoint(endpoint: CheckedEndpoint, default_model: str | None) -> str | None:
    """The default model to store: ``default_model`` when given, else the model the pasted
    endpoint URL named (with a notice either way when the URL named one)."""
    if endpoint.model is None:
        return default_model
    if default_model is None:
        endpoint.notices.append(f"default_model: set to {endpoint.model}, named in endpoint_url")
        return endpoint.model
    if default_model != endpoint.model:
        endpoint.notices.append(
            f"default_model: kept {default_model}; endpoint_url named {endpoint.model}"
        )
    return default_model


def check_api_key(
    provider_type: ProviderType, *, new_key: str | None, has_stored_key: bool
) -> None:
    """Refuse a provider whose type needs a key when neither a new nor a stored key exists.

    Raises:
        ValidationFailed: ``missing_api_key``.
    """
    info = provider_type_info(provider_type)
    if info.requires_api_key and not new_key and not has_stored_key:
        raise ValidationFailed(
            f"{info.label} providers need an API key.",
            code="missing_api_key",
            details={"field": "api_key"},
        )


def _origin(provider_type: ProviderType, endpoint_url: str | None) -> tuple[str, str]:
    url = urlsplit(endpoint_url or provider_type_info(provider_type).default_endpoint)
    return url.scheme, url.netloc


def check_key_destination(
    row: UserLLMProvider,
    *,
    provider_type: ProviderType,
    endpoint_url: str | None,
    new_key: str | None,
) -> None:
    """Refuse to send a stored key to a different server than the one it was entered for.

    Changing the type or the endpoint's origin (scheme, host, port) of a provider that has a
    stored key requires typing the key again; otherwise anyone able to edit providers could
    redirect a key to a server they control and read it there.

    Raises:
        ValidationFailed: ``api_key_reentry_required``.
    """
    if new_key or row.encrypted_api_key is None:
        return
    before = (row.provider_type, _origin(ProviderType(row.provider_type), row.endpoint_url))
    after = (provider_type.value, _origin(provider_type, endpoint_url))
    if before != after:
        raise ValidationFailed(
            "Changing the provider type or the endpoint's host sends the API key to another "
            "server: enter the API key again to confirm.",
            code="api_key_reentry_required",
            details={"field": "api_key"},
        )


def options_from_row(row: UserLLMProvider) -> ProviderOptions:
    """The stored ``config_json`` as options; unknown keys from older versions are dropped."""
    known = {k: v for k, v in (row.config_json or {}).items() if k in ProviderOptions.model_fields}
    return ProviderOptions.model_validate(known)


def to_public(
    row: UserLLMProvider, cipher: CredentialCipher, notices: list[str] | None = None
) -> ProviderPublic:
    """Map a row to its response form; reads no secret and decrypts nothing."""
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
        config=options_from_row(row),
        is_active=row.is_active,
        has_api_key=row.encrypted_api_key is not None,
        api_key_hint=row.api_key_hint,
        key_status=repo.key_status(row, cipher),
        last_test=last_test,
        created_at=row.created_at,
        updated_at=row.updated_at,
        notices=notices or [],
    )


def options_to_config(options: ProviderOptions) -> dict[str, Any]:
    """Options as the JSON object stored in ``config_json`` (unset options omitted)."""
    return options.model_dump(exclude_none=True)
