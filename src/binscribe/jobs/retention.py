"""Delete uploaded binaries after ``BINSCRIBE_UPLOAD_RETENTION_DAYS``: the file blob of every job
that finished longer ago than that, unless a queued or running job still needs the same file.
Results and the analysis cache stay; a purged job cannot be re-run without a new upload."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from binscribe.db.models import Job, utcnow
from binscribe.jobs.context import JobContext

log = logging.getLogger(__name__)


def purge_expired_uploads(ctx: JobContext) -> int:
    """Remove expired upload blobs; returns how many files were deleted."""
    cutoff = utcnow() - timedelta(days=ctx.settings.upload_retention_days)
    with ctx.sessions() as session:
        expired = set(
            session.scalars(
                select(Job.file_sha256).where(
                    Job.status.in_(("completed", "failed", "cancelled")), Job.finished_at < cutoff
                )
            )
        )
        active = set(
            session.scalars(select(Job.file_sha256).where(Job.status.in_(("queued", "running"))))
        )
    deleted = sum(1 for sha256 in expired - active if ctx.blobs.delete(sha256))
    if deleted:
        log.info("deleted %d uploaded files older than %d days", deleted,
                 ctx.settings.upload_retention_days)  # fmt: skip
    return deleted
