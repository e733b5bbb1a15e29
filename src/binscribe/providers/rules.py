"""Per-type rules for a provider's endpoint and key, used by :mod:`binscribe.providers.service`.

The type registry (:mod:`binscribe.llm.types`) says what each type needs. Every refusal names
its field in ``details`` (:func:`~binscribe.errors.field_errors`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from binscribe.db.models import UserLLMProvider
from binscribe.errors import ValidationFailed, field_errors
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
    info = provider_type_info(provider_type)
    if raw is None or not raw.strip():
        if "endpoint_url" in info.required_fields:
            message = f"{info.label} needs an endpoint URL, for example {info.default_endpoint}."
            raise ValidationFailed(
                message,
                code="missing_endpoint_url",
                details=field_errors(("endpoint_url", message, "missing_endpoint_url")),
            )
        return CheckedEndpoint(url=None)
    normalized = normalize_endpoint(provider_type, raw)
    host = urlsplit(normalized.url).hostname or ""
    try:
        EndpointGuard(allow_private=allow_private).check_host(host)
    except EndpointForbidden as exc:
        exc.details = field_errors(("endpoint_url", exc.message, exc.code), **(exc.details or {}))
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
        message = f"{info.label} providers need an API key."
        raise ValidationFailed(
            message,
            code="missing_api_key",
            details=field_errors(("api_key", message, "missing_api_key")),
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
        message = (
            "Changing the provider type or the endpoint's host sends the API key to another "
            "server: enter the API key again to confirm."
        )
        raise ValidationFailed(
            message,
            code="api_key_reentry_required",
            details=field_errors(("api_key", message, "api_key_reentry_required")),
        )
