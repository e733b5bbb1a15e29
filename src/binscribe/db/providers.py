"""Provider repository: plain functions over ``user_llm_providers``.

Every function takes the caller's ``Session``, flushes, and never commits: the caller owns the
transaction (``with session.begin(): ...`` or ``session.commit()``). API keys are encrypted with
the given :class:`~binscribe.crypto.CredentialCipher` on write; reads return the encrypted
row, and :func:`decrypt_api_key` opens the key only when a caller needs to call the provider.
Type-specific validation (endpoint required for ollama, ...) is the API's job; names are
stored trimmed.

Errors: :class:`ProviderNotFound` (404 ``provider_not_found``), :class:`ProviderNameTaken`
(409 ``provider_name_taken``; the session stays usable), :class:`~binscribe.crypto.KeyUnusable`
(409 ``provider_key_unusable``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from binscribe.crypto import CredentialCipher, KeyUnusable
from binscribe.db.enums import ProviderTestStatus
from binscribe.db.models import UserLLMProvider, utcnow
from binscribe.errors import ConflictError, NotFoundError, field_errors

KeyStatus = Literal["ok", "needs_reentry"]

_NOT_NULL_FIELDS = ("name", "provider_type", "is_active")
_NAME_CONSTRAINT_MARKERS = ("uq_user_llm_providers_name", "user_llm_providers.name")


class ProviderNotFound(NotFoundError):
    """No provider has the given id (HTTP 404)."""

    code = "provider_not_found"


class ProviderNameTaken(ConflictError):
    """Another provider already has this name (HTTP 409).

    ``details`` names the field (:func:`~binscribe.errors.field_errors`) and ``name``.
    """

    code = "provider_name_taken"


CLEARED_HEALTH: Mapping[str, None] = {
    "last_test_status": None,
    "last_test_error_code": None,
    "last_test_message": None,
    "last_test_latency_ms": None,
    "last_tested_at": None,
    "last_test_source": None,
}
"""Column values that put a provider back to "untested"."""


class ProviderChanges(BaseModel):
    """A partial update of one provider: only the fields set (``model_fields_set``) change.

    ``api_key`` is a new key in plain text (None or blank keeps the stored key; stored
    encrypted); ``config`` is the object stored as ``config_json`` (None stores ``{}``);
    ``endpoint_url`` and ``default_model`` None clear them; ``name``, ``provider_type`` and
    ``is_active`` cannot be None (``ValidationError``, a ``ValueError``). Unknown fields are
    refused the same way.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = None
    provider_type: str | None = None
    api_key: str | None = None
    endpoint_url: str | None = None
    default_model: str | None = None
    config: dict[str, Any] | None = None
    is_active: bool | None = None

    @model_validator(mode="after")
    def _required_not_null(self) -> ProviderChanges:
        nulls = [
            k for k in _NOT_NULL_FIELDS if k in self.model_fields_set and getattr(self, k) is None
        ]
        if nulls:
            raise ValueError(f"provider fields cannot be null: {', '.join(nulls)}")
        return self


@dataclass(frozen=True)
class RotationReport:
    """Outcome of :func:`rotate_keys`: counts of rows, and names of rows left undecryptable."""

    rotated: int = 0
    already_current: int = 0
    failed: list[str] = field(default_factory=list)


def api_key_hint(api_key: str) -> str | None:
    """The last characters of ``api_key`` for display: 4, never more than a quarter of it."""
    visible = min(4, len(api_key) // 4)
    return api_key[-visible:] if visible else None


def _store_api_key(provider: UserLLMProvider, api_key: str, cipher: CredentialCipher) -> None:
    provider.encrypted_api_key = cipher.encrypt(api_key)
    provider.key_fingerprint = cipher.fingerprint
    provider.api_key_hint = api_key_hint(api_key)


def _flush_checking_name(session: Session, provider: UserLLMProvider, **values: Any) -> None:
    """Apply ``values`` to ``provider``, add it and flush, all inside a savepoint.

    A duplicate name rolls the savepoint back (earlier work in the session is kept, the
    provider's attributes are reloaded) and raises :class:`ProviderNameTaken`.
    """
    try:
        with session.begin_nested():
            for key, value in values.items():
                setattr(provider, key, value)
            session.add(provider)
            session.flush()
    except IntegrityError as exc:
        if any(marker in str(exc.orig) for marker in _NAME_CONSTRAINT_MARKERS):
            name = values.get("name", provider.name)
            message = f"A provider named '{name}' already exists; choose another name."
            raise ProviderNameTaken(
                message,
                details=field_errors(("name", message, ProviderNameTaken.code), name=name),
            ) from None
        raise


def create_provider(
    session: Session,
    *,
    cipher: CredentialCipher,
    name: str,
    provider_type: str,
    api_key: str | None = None,
    endpoint_url: str | None = None,
    default_model: str | None = None,
    config: Mapping[str, Any] | None = None,
    is_active: bool = True,
) -> UserLLMProvider:
    """Insert a provider and flush; ``api_key`` (if any, stripped) is stored encrypted.

    Raises :class:`ProviderNameTaken` when the trimmed name is in use.
    """
    provider = UserLLMProvider()
    key = (api_key or "").strip()
    if key:
        _store_api_key(provider, key, cipher)
    _flush_checking_name(
        session,
        provider,
        name=name.strip(),
        provider_type=provider_type,
        endpoint_url=endpoint_url,
        default_model=default_model,
        config_json=dict(config or {}),
        is_active=is_active,
    )
    return provider


def get_provider(session: Session, provider_id: uuid.UUID) -> UserLLMProvider:
    """The provider with ``provider_id``; raises :class:`ProviderNotFound`."""
    provider = session.get(UserLLMProvider, provider_id)
    if provider is None:
        raise ProviderNotFound(
            f"no provider with id {provider_id}", details={"id": str(provider_id)}
        )
    return provider


def find_provider(session: Session, name_or_id: str) -> UserLLMProvider:
    """The provider with this id or (trimmed) name; raises ProviderNotFound."""
    try:
        return get_provider(session, uuid.UUID(name_or_id))
    except ValueError:
        pass
    row = session.scalar(select(UserLLMProvider).where(UserLLMProvider.name == name_or_id.strip()))
    if row is None:
        raise ProviderNotFound(
            f"no provider named '{name_or_id}' (see `binscribe providers list`)",
            details={"name": name_or_id},
        )
    return row


def list_providers(
    session: Session, *, is_active: bool | None = None, provider_type: str | None = None
) -> list[UserLLMProvider]:
    """Providers ordered by ``created_at`` then ``name``, optionally filtered."""
    query = select(UserLLMProvider).order_by(UserLLMProvider.created_at, UserLLMProvider.name)
    if is_active is not None:
        query = query.where(UserLLMProvider.is_active.is_(is_active))
    if provider_type is not None:
        query = query.where(UserLLMProvider.provider_type == provider_type)
    return list(session.scalars(query))


def update_provider(
    session: Session,
    provider_id: uuid.UUID,
    *,
    cipher: CredentialCipher,
    changes: ProviderChanges,
    forget_health: bool = False,
) -> UserLLMProvider:
    """Apply a partial update (the fields set in ``changes``) and flush.

    A new ``api_key`` is encrypted with the primary key and resets hint and fingerprint.
    ``forget_health`` also puts the provider back to "untested" (:data:`CLEARED_HEALTH`; the
    providers service decides when: its connection changed). Raises :class:`ProviderNotFound`
    and :class:`ProviderNameTaken`.
    """
    provider = get_provider(session, provider_id)
    values: dict[str, Any] = {}
    for key, value in changes.model_dump(exclude_unset=True).items():
        if key == "name":
            values["name"] = value.strip()
        elif key == "config":
            values["config_json"] = dict(value or {})
        elif key != "api_key":
            values[key] = value
    new_key = (changes.api_key or "").strip()
    if new_key:
        token = cipher.encrypt(new_key)
        values.update(
            encrypted_api_key=token,
            key_fingerprint=cipher.fingerprint,
            api_key_hint=api_key_hint(new_key),
        )
    if forget_health:
        values.update(CLEARED_HEALTH)
    _flush_checking_name(session, provider, **values)
    return provider


def key_differs(provider: UserLLMProvider, cipher: CredentialCipher, new_key: str) -> bool:
    """Whether ``new_key`` differs from the stored key (True when none is stored or it cannot
    be decrypted)."""
    try:
        return decrypt_api_key(provider, cipher) != new_key
    except KeyUnusable:
        return True


def delete_provider(session: Session, provider_id: uuid.UUID) -> None:
    """Delete the provider and flush; raises :class:`ProviderNotFound`."""
    session.delete(get_provider(session, provider_id))
    session.flush()


def record_test_result(
    session: Session,
    provider_id: uuid.UUID,
    *,
    success: bool,
    message: str | None,
    error_code: str | None,
    latency_ms: int | None,
    tested_at: datetime | None = None,
    source: str = "test",
) -> UserLLMProvider:
    """Store the provider's health (``tested_at`` defaults to now, UTC) and flush.

    ``last_test_status`` becomes :class:`~binscribe.db.enums.ProviderTestStatus` ``success``
    or ``failure``; ``source`` (one of :data:`~binscribe.db.models.TEST_SOURCES`) says what
    found it: a connection ``test``, an automatic ``probe`` or a ``job``. Raises
    :class:`ProviderNotFound`.
    """
    provider = get_provider(session, provider_id)
    provider.last_test_source = source
    status = ProviderTestStatus.SUCCESS if success else ProviderTestStatus.FAILURE
    provider.last_test_status = status
    provider.last_test_message = message
    provider.last_test_error_code = error_code
    provider.last_test_latency_ms = latency_ms
    provider.last_tested_at = tested_at or utcnow()
    session.flush()
    return provider


def key_status(provider: UserLLMProvider, cipher: CredentialCipher) -> KeyStatus:
    """``"ok"`` when the stored key (if any) can be opened with the configured keys.

    Decided from ``key_fingerprint`` without decrypting; only a row without a fingerprint
    (written outside this module) is checked by decrypting it.
    """
    if provider.encrypted_api_key is None:
        return "ok"
    if provider.key_fingerprint is not None:
        return "ok" if provider.key_fingerprint in cipher.fingerprints else "needs_reentry"
    try:
        cipher.decrypt(provider.encrypted_api_key)
    except KeyUnusable:
        return "needs_reentry"
    return "ok"


def decrypt_api_key(provider: UserLLMProvider, cipher: CredentialCipher) -> str | None:
    """The provider's API key in clear, or None when it has none.

    Raises :class:`~binscribe.crypto.KeyUnusable` (naming the provider, never the key) when
    the configured keys cannot open it.
    """
    if provider.encrypted_api_key is None:
        return None
    try:
        return cipher.decrypt(provider.encrypted_api_key)
    except KeyUnusable:
        raise KeyUnusable(
            f"the API key of provider '{provider.name}' cannot be decrypted with the configured "
            "encryption keys (was LLM_PROVIDER_ENCRYPTION_KEY changed?); enter the key again",
            details={"provider_id": str(provider.id)},
        ) from None


def rotate_keys(session: Session, cipher: CredentialCipher) -> RotationReport:
    """Re-encrypt every stored API key with the primary key, then flush (caller commits once).

    Rows already under the primary key are counted, not touched; rows no configured key opens
    are left byte-identical and reported by name. Rows are locked FOR UPDATE on PostgreSQL.
    """
    query = (
        select(UserLLMProvider)
        .where(UserLLMProvider.encrypted_api_key.is_not(None))
        .order_by(UserLLMProvider.name)
        .with_for_update()
    )
    rotated = already_current = 0
    failed: list[str] = []
    for provider in session.scalars(query):
        token = provider.encrypted_api_key
        if token is None:  # excluded by the query; narrows the type
            continue
        if provider.key_fingerprint == cipher.fingerprint:
            already_current += 1
            continue
        try:
            provider.encrypted_api_key = cipher.rotate(token)
        except KeyUnusable:
            failed.append(provider.name)
            continue
        provider.key_fingerprint = cipher.fingerprint
        rotated += 1
    session.flush()
    return RotationReport(rotated=rotated, already_current=already_current, failed=failed)
