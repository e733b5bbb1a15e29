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


def cache_key(
    *, bytes_sha256: str, provider_type: str, model: str, prompt_version: str, detail: str
) -> str:
    """sha256 hex of the five facts an explanation depends on: the function's bytes hash
    (``Function.bytes_sha256``), provider type, model, prompt version and detail level."""
    text = "\x1f".join((bytes_sha256, provider_type, model, prompt_version, detail))
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
