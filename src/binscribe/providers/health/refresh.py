"""Re-check stale provider health with a cheap probe, at most once per provider per interval.

"Stale": a stored verdict older than ``Settings.provider_health_max_age_s`` (an untested provider
has no age and is left to its connection test). The cheap probe lists the provider's models and
checks the configured one is among them (``probe(completion=False)``: no tokens spent). The rate
limit lives in the database (``health_probe_at``), so several API processes (a Celery deployment
runs one per replica) and many viewers still start one probe per provider per interval.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from binscribe.crypto import CredentialCipher
from binscribe.db import providers as repo
from binscribe.db.models import UserLLMProvider, utcnow
from binscribe.errors import BinscribeError
from binscribe.llm.base import ProbeResult
from binscribe.llm.config import ProviderConfig
from binscribe.providers.access import probe_config, provider_config
from binscribe.providers.health.changes import same_connection

PROBE_TIMEOUT_S = 10.0
"""Per-request timeout (seconds) of an automatic probe; a probe started longer ago than twice
this and still without a result no longer counts as running (:func:`is_probing`)."""


def is_stale(row: UserLLMProvider, *, now: datetime, max_age_s: int) -> bool:
    """Whether ``row``'s stored verdict is older than ``max_age_s`` seconds (0: never stale)."""
    checked = row.last_tested_at
    return max_age_s > 0 and checked is not None and now - checked > timedelta(seconds=max_age_s)


def is_probing(row: UserLLMProvider, *, now: datetime) -> bool:
    """Whether an automatic probe of ``row`` started (by any process) and has not answered."""
    started = row.health_probe_at
    if started is None or (row.last_tested_at is not None and row.last_tested_at >= started):
        return False
    return now - started < timedelta(seconds=2 * PROBE_TIMEOUT_S)


def claim_probe(
    session: Session, provider_id: uuid.UUID, *, now: datetime, interval_s: int
) -> bool:
    """Take the right to probe ``provider_id`` now: True when no probe started within the last
    ``interval_s`` seconds. One conditional UPDATE, so two processes never both win (SQLite
    serializes writers; PostgreSQL re-checks the condition after the other's commit)."""
    cutoff = now - timedelta(seconds=interval_s)
    started = UserLLMProvider.health_probe_at
    result = session.execute(
        update(UserLLMProvider)
        .where(UserLLMProvider.id == provider_id)
        .where(or_(started.is_(None), started <= cutoff))
        .values(health_probe_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


async def cheap_probe(config: ProviderConfig, *, allow_private_endpoints: bool) -> ProbeResult:
    """List the models and check the configured one (no completion); never raises for
    provider failures, which come back as ``success=False`` with their code."""
    return await probe_config(
        config, allow_private_endpoints=allow_private_endpoints, completion=False
    )


@dataclass(frozen=True)
class _Claimed:
    provider_id: uuid.UUID
    config: ProviderConfig


def _current_config(
    row: UserLLMProvider | None, cipher: CredentialCipher, timeout_s: float | None = None
) -> ProviderConfig | None:
    """``row``'s configuration, or None when it is gone or unusable (key, stored options)."""
    if row is None:
        return None
    try:
        return provider_config(row, cipher, timeout_s=timeout_s)
    except BinscribeError:
        return None


def refresh_stale(
    session: Session,
    cipher: CredentialCipher,
    *,
    max_age_s: int,
    allow_private_endpoints: bool,
    now: datetime | None = None,
) -> list[uuid.UUID]:
    """Probe every active provider whose health is stale and whose probe this call could claim
    (see :func:`claim_probe`); store each answer (``last_test_source = "probe"``) unless the
    provider's connection changed meanwhile. Returns the ids probed.

    Must run outside an event loop. Claims are committed before any network call, so no lock
    is held while providers answer; the caller commits the results. Providers whose key must be
    re-entered are skipped (a probe cannot tell more than ``key_status`` does).
    """
    now = now or utcnow()
    claimed: list[_Claimed] = []
    for row in repo.list_providers(session, is_active=True):
        if not is_stale(row, now=now, max_age_s=max_age_s) or is_probing(row, now=now):
            continue
        if repo.key_status(row, cipher) != "ok":
            continue
        config = _current_config(row, cipher, PROBE_TIMEOUT_S)
        if config is not None and claim_probe(session, row.id, now=now, interval_s=max_age_s):
            claimed.append(_Claimed(row.id, config))
    session.commit()
    if not claimed:
        return []

    async def run_all() -> list[ProbeResult]:
        return list(
            await asyncio.gather(
                *(
                    cheap_probe(c.config, allow_private_endpoints=allow_private_endpoints)
                    for c in claimed
                )
            )
        )

    results = asyncio.run(run_all())
    probed: list[uuid.UUID] = []
    for target, result in zip(claimed, results, strict=True):
        fresh = session.get(UserLLMProvider, target.provider_id, populate_existing=True)
        current = _current_config(fresh, cipher)
        if current is None or not same_connection(target.config, current):
            continue  # deleted or edited while the probe ran: the answer describes nothing
        repo.record_test_result(
            session,
            target.provider_id,
            success=result.success,
            message=result.message,
            error_code=result.error_code,
            latency_ms=result.latency_ms,
            source="probe",
        )
        probed.append(target.provider_id)
    return probed
