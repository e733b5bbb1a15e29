"""The explanation cache: a small protocol, its key, and an in-memory implementation.

The jobs package provides the database-backed implementation; the engine only needs ``get`` and
``put``. Both are called from the event loop, so they must be quick (one indexed row).
"""

from __future__ import annotations

import hashlib
from typing import Any, Protocol


class ExplanationCache(Protocol):
    """Stores one JSON object per key (a 64-hex-character string from :func:`cache_key`)."""

    def get(self, key: str) -> dict[str, Any] | None:
        """The value stored under ``key``, or None."""
        ...

    def put(self, key: str, value: dict[str, Any]) -> None:
        """Store ``value`` (JSON-serializable) under ``key``, replacing any previous one."""
        ...


def provider_identity(*, provider_id: str, provider_type: str, endpoint: str) -> str:
    """Who answers, as the cache keys it: the stored provider's id (so one provider, and later
    one owner, is never served another's answers), its type and the endpoint in use (so a
    provider edited to point at another server starts afresh). ``endpoint`` is the base URL the
    adapter calls (``ProviderConfig.base_url``)."""
    return "\x1e".join((provider_id, provider_type, endpoint))


def cache_key(
    *, bytes_sha256: str, provider: str, model: str, prompt_version: str, detail: str
) -> str:
    """sha256 hex of the five facts an explanation depends on: the function's bytes hash
    (``Function.bytes_sha256``), the provider (:func:`provider_identity`), model, prompt
    version and detail level."""
    text = "\x1f".join((bytes_sha256, provider, model, prompt_version, detail))
    return hashlib.sha256(text.encode()).hexdigest()


class MemoryCache:
    """A dict-backed :class:`ExplanationCache` for one process (tests, the CLI, benchmarks)."""

    def __init__(self) -> None:
        self._values: dict[str, dict[str, Any]] = {}

    def get(self, key: str) -> dict[str, Any] | None:
        """The value under ``key``, or None."""
        return self._values.get(key)

    def put(self, key: str, value: dict[str, Any]) -> None:
        """Store ``value`` under ``key``."""
        self._values[key] = value

    def __len__(self) -> int:
        return len(self._values)
