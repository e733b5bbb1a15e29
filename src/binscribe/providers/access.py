"""From a stored provider to a working adapter: decrypt at use, probe, record the outcome.

Shared by the API (connection tests, health listing) and the job pipeline, so both build adapters
from rows the same way. The decrypted key lives only in the :class:`ProviderConfig` in memory.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from binscribe.crypto import CredentialCipher
from binscribe.db import providers as repo
from binscribe.db.models import UserLLMProvider
from binscribe.errors import BinscribeError
from binscribe.llm.base import ProbeResult
from binscribe.llm.config import ProviderConfig
from binscribe.llm.factory import build_adapter

REFRESH_TIMEOUT_S = 15.0
"""Per-provider request timeout (seconds) for health refreshes, shorter than a job's."""


def provider_config(
    row: UserLLMProvider, cipher: CredentialCipher, *, timeout_s: float | None = None
) -> ProviderConfig:
    """The adapter configuration for ``row`` with its key decrypted.

    ``timeout_s`` overrides the stored per-request timeout (seconds).

    Raises:
        KeyUnusable: the current encryption keys cannot decrypt the stored key.
        ValidationFailed: ``invalid_provider_config`` for out-of-range stored options.
    """
    config = ProviderConfig.from_stored(
        provider_type=row.provider_type,
        api_key=repo.decrypt_api_key(row, cipher),
        endpoint_url=row.endpoint_url,
        default_model=row.default_model,
        config_json=row.config_json,
    )
    return config if timeout_s is None else replace(config, timeout_s=timeout_s)


async def probe_config(
    config: ProviderConfig, *, allow_private_endpoints: bool, completion: bool = True
) -> ProbeResult:
    """Run one adapter probe and close the adapter; provider failures come back as results.
    ``completion=False``: the cheap probe (models listed and checked, no completion)."""
    started = time.monotonic()
    try:
        adapter = build_adapter(config, allow_private_endpoints=allow_private_endpoints)
    except BinscribeError as exc:
        elapsed = int((time.monotonic() - started) * 1000)
        return ProbeResult(False, exc.message, exc.code, elapsed)
    try:
        return await adapter.probe(completion=completion)
    finally:
        await adapter.aclose()


@dataclass(frozen=True)
class _Target:
    provider_id: uuid.UUID
    config: ProviderConfig | None
    failure: ProbeResult | None


def _target(row: UserLLMProvider, cipher: CredentialCipher, timeout_s: float | None) -> _Target:
    try:
        return _Target(row.id, provider_config(row, cipher, timeout_s=timeout_s), None)
    except BinscribeError as exc:
        return _Target(row.id, None, ProbeResult(False, exc.message, exc.code, 0))


def probe_providers(
    session: Session,
    rows: Iterable[UserLLMProvider],
    cipher: CredentialCipher,
    *,
    allow_private_endpoints: bool,
    timeout_s: float | None = None,
) -> dict[uuid.UUID, ProbeResult]:
    """Probe every provider in ``rows`` concurrently and store each result on its row.

    Must run outside an event loop (API handlers are sync and run in a worker thread). Keys
    are decrypted here and dropped when the probes end. The session's transaction is ended
    (committed) before any network call, so no database lock is held while providers answer;
    the results are then flushed and the caller commits.
    """
    targets = [_target(row, cipher, timeout_s) for row in rows]
    session.commit()

    async def run_all() -> list[ProbeResult]:
        async def one(target: _Target) -> ProbeResult:
            if target.config is None:
                assert target.failure is not None
                return target.failure
            return await probe_config(
                target.config, allow_private_endpoints=allow_private_endpoints
            )

        return list(await asyncio.gather(*(one(t) for t in targets)))

    results = asyncio.run(run_all()) if targets else []
    for target, result in zip(targets, results, strict=True):
        repo.record_test_result(
            session,
            target.provider_id,
            success=result.success,
            message=result.message,
            error_code=result.error_code,
            latency_ms=result.latency_ms,
        )
    return {t.provider_id: r for t, r in zip(targets, results, strict=True)}
