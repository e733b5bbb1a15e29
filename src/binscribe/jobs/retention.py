"""Delete uploaded binaries after ``BINSCRIBE_UPLOAD_RETENTION_DAYS``: the file blob of every job
that finished longer ago than that, unless a queued or running job still needs the same file.
Results and the analysis cache stay; a purged job cannot be re-run without a new upload."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from sqlalchemy import select

from binscribe.db.enums import ACTIVE_STATUSES, FINAL_STATUSES
from binscribe.db.models import Job, utcnow
from binscribe.jobs.context import JobContext

log = logging.getLogger(__name__)

PURGE_INTERVAL_S = 3600.0
"""Seconds between two purges by one runner process (local runner or Celery worker)."""


def purge_expired_uploads(ctx: JobContext) -> int:
    """Remove expired upload blobs; returns how many files were deleted."""
    cutoff = utcnow() - timedelta(days=ctx.settings.upload_retention_days)
    with ctx.sessions() as session:
        expired = set(
            session.scalars(
                select(Job.file_sha256).where(
                    Job.status.in_(FINAL_STATUSES), Job.finished_at < cutoff
                )
            )
        )
        active = set(
            session.scalars(select(Job.file_sha256).where(Job.status.in_(ACTIVE_STATUSES)))
        )
    deleted = sum(1 for sha256 in expired - active if ctx.blobs.delete(sha256))
    if deleted:
        log.info(
            "deleted %d uploaded files older than %d days",
            deleted,
            ctx.settings.upload_retention_days,
        )
    return deleted


class PurgeSchedule:
    """Calls :func:`purge_expired_uploads` at most once per ``interval_s`` seconds (monotonic
    clock; the first call purges). Used by the local runner's sweeper and after each job in a
    Celery worker, so uploads expire whichever runner is in use."""

    def __init__(self, interval_s: float = PURGE_INTERVAL_S) -> None:
        self.interval_s = interval_s
        self._last: float | None = None

    def run_if_due(self, ctx: JobContext) -> int | None:
        """Files deleted, or None when no purge was due or it failed (logged, retried at the
        next due time: a purge must never fail the job or the runner that calls it)."""
        now = time.monotonic()
        if self._last is not None and now - self._last < self.interval_s:
            return None
        self._last = now
        try:
            return purge_expired_uploads(ctx)
        except Exception:  # the database or the blob store failing: logged, never raised
            log.warning("could not purge expired uploads", exc_info=True)
            return None
