"""Create and update providers with every rule applied, for the API, the CLI and the MCP server.

Plain functions taking keyword-only arguments; each flushes and leaves the commit to the caller.
The per-type checks live in :mod:`binscribe.providers.rules`, the options' ranges in
:class:`~binscribe.llm.options.ProviderOptions`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from pydantic import SecretStr
from sqlalchemy.orm import Session

from binscribe.crypto import CredentialCipher
from binscribe.db import providers as repo
from binscribe.db.models import UserLLMProvider
from binscribe.llm.options import ProviderOptions
from binscribe.llm.types import ProviderType
from binscribe.providers import rules
from binscribe.providers.health.changes import connection_changed
from binscribe.providers.inputs import ProviderCreate, ProviderUpdate


@dataclass
class Saved:
    """A created or updated row and the notices about what the server changed in the input."""

    row: UserLLMProvider
    notices: list[str] = field(default_factory=list)


def _key(secret: SecretStr | None) -> str | None:
    return (secret.get_secret_value().strip() or None) if secret is not None else None


def stored_options(options: ProviderOptions) -> dict[str, object]:
    """Options as the JSON object stored in ``config_json`` (unset options omitted)."""
    return options.model_dump(mode="json", exclude_none=True)


def create_provider(
    *,
    session: Session,
    cipher: CredentialCipher,
    provider_in: ProviderCreate,
    allow_private_endpoints: bool,
) -> Saved:
    """Check ``provider_in`` against its type's rules, then insert it (key stored encrypted).

    Raises:
        ValidationFailed: ``invalid_endpoint_url``, ``missing_endpoint_url``, ``missing_api_key``.
        EndpointForbidden: a refused endpoint host.
        ProviderNameTaken: the trimmed name is in use.
    """
    api_key = _key(provider_in.api_key)
    endpoint = rules.check_endpoint(
        provider_in.provider_type,
        provider_in.endpoint_url,
        allow_private=allow_private_endpoints,
    )
    rules.check_api_key(provider_in.provider_type, new_key=api_key, has_stored_key=False)
    row = repo.create_provider(
        session,
        cipher=cipher,
        name=provider_in.name,
        provider_type=provider_in.provider_type.value,
        api_key=api_key,
        endpoint_url=endpoint.url,
        default_model=rules.model_from_endpoint(endpoint, provider_in.default_model),
        config=stored_options(provider_in.config),
        is_active=provider_in.is_active,
    )
    return Saved(row, endpoint.notices)


def update_provider(
    *,
    session: Session,
    cipher: CredentialCipher,
    provider_id: uuid.UUID,
    provider_in: ProviderUpdate,
    allow_private_endpoints: bool,
) -> Saved:
    """Apply the fields sent in ``provider_in`` (``model_dump(exclude_unset=True)``); null
    ``name``, ``provider_type``, ``is_active`` or ``config`` keep the stored value, an empty
    ``api_key`` keeps the stored key.

    Raises what :func:`create_provider` raises, plus ``ProviderNotFound`` and
    ``api_key_reentry_required`` (a stored key would go to another server).
    """
    row = repo.get_provider(session, provider_id)
    sent = provider_in.model_dump(mode="json", exclude_unset=True, exclude={"api_key"})
    kept = {
        k: v for k, v in sent.items() if v is not None or k in ("endpoint_url", "default_model")
    }
    ptype = provider_in.provider_type or ProviderType(row.provider_type)
    api_key = _key(provider_in.api_key)
    notices: list[str] = []
    if "endpoint_url" in sent or "provider_type" in sent:
        raw = provider_in.endpoint_url if "endpoint_url" in sent else row.endpoint_url
        endpoint = rules.check_endpoint(ptype, raw, allow_private=allow_private_endpoints)
        kept["endpoint_url"] = endpoint.url
        if "endpoint_url" in sent:
            notices = endpoint.notices
            if endpoint.model is not None:
                model = provider_in.default_model if "default_model" in sent else row.default_model
                kept["default_model"] = rules.model_from_endpoint(endpoint, model)
    rules.check_api_key(ptype, new_key=api_key, has_stored_key=row.encrypted_api_key is not None)
    rules.check_key_destination(
        row,
        provider_type=ptype,
        endpoint_url=kept.get("endpoint_url", row.endpoint_url),
        new_key=api_key,
    )
    if provider_in.config is not None:
        kept["config"] = stored_options(provider_in.config)
    if api_key:
        kept["api_key"] = api_key
    changes = repo.ProviderChanges.model_validate(kept)
    key_changed = api_key is not None and repo.key_differs(row, cipher, api_key)
    forget = connection_changed(
        row, changes.model_dump(exclude_unset=True), key_changed=key_changed
    )
    saved = repo.update_provider(
        session, provider_id, cipher=cipher, changes=changes, forget_health=forget
    )
    return Saved(saved, notices)


def provider_id_named(*, session: Session, name_or_id: str) -> uuid.UUID | None:
    """The id of the provider named (or with the id) ``name_or_id``; None when it is blank
    (the caller then uses its default provider). Raises ``ProviderNotFound``."""
    if not name_or_id.strip():
        return None
    return repo.find_provider(session, name_or_id).id
