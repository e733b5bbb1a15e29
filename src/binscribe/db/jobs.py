"""Job repository: plain functions over ``jobs``.

Like :mod:`binscribe.db.providers`, functions take the caller's ``Session`` and flush, never
commit; keep each transaction short (SQLite has one writer at a time). State changes made by the
pipeline are conditional updates (``... WHERE status = 'running' AND attempts = <the worker's
claim>``) so a cancel that lands between two writes is never overwritten, and a worker whose job
was taken over (re-queued after its heartbeat went stale, then claimed again) can write nothing
more: the row's ``attempts`` is the claim number, and only the latest claim's writes land.
Functions that write issue their write first: on SQLite (WAL) a transaction that read before
writing fails at once with "database is locked" when another connection wrote in between; a
transaction that starts by writing waits its turn.

Errors: :class:`JobNotFound` (404 ``job_not_found``), :class:`JobNotCancellable`
(409 ``job_not_cancellable``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import String, delete, func, select, update
from sqlalchemy.orm import Session

from binscribe.db.enums import ACTIVE_STATUSES, FINAL_STATUSES, JobStage, JobStatus
from binscribe.db.models import Job, utcnow
from binscribe.errors import ConflictError, NotFoundError

MAX_ATTEMPTS = 2
"""A job found running after a crash is started again once; the next loss fails it."""


class JobNotFound(NotFoundError):
    """No job has the given id (HTTP 404)."""

    code = "job_not_found"


class JobNotCancellable(ConflictError):
    """The job already finished (HTTP 409); ``details = {"status": ...}``."""

    code = "job_not_cancellable"


def create_job(session: Session, **values: Any) -> Job:
    """Insert a queued job with the given column values (see :class:`Job`) and flush."""
    job = Job(status=JobStatus.QUEUED, stage=JobStage.UPLOAD, progress=0, **values)
    counters = ("functions_total", "functions_decompiled", "functions_selected", "items_total")
    for name in (*counters, "items_done"):
        setattr(job, name, getattr(job, name) or 0)
    job.items_failed = job.items_failed or 0
    job.input_tokens = job.input_tokens or 0
    job.output_tokens = job.output_tokens or 0
    job.reasoning_tokens = job.reasoning_tokens or 0
    job.analysis_reused = bool(job.analysis_reused)
    job.attempts = 0
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, job_id: uuid.UUID) -> Job:
    """The job with ``job_id``; raises :class:`JobNotFound`."""
    job = session.get(Job, job_id, populate_existing=True)
    if job is None:
        raise JobNotFound(f"no job with id {job_id}", details={"id": str(job_id)})
    return job


def list_jobs(
    session: Session, *, status: JobStatus | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[Job], int]:
    """One page of analysis jobs (not their on-demand jobs), newest first, and the total count
    matching ``status`` (None: all)."""
    query = select(Job).where(Job.parent_job_id.is_(None))
    counter = select(func.count()).select_from(Job).where(Job.parent_job_id.is_(None))
    if status is not None:
        query = query.where(Job.status == status)
        counter = counter.where(Job.status == status)
    rows = session.scalars(
        query.order_by(Job.created_at.desc(), Job.id).limit(limit).offset(offset)
    )
    return list(rows), int(session.scalar(counter) or 0)


def claim_job(session: Session, job_id: uuid.UUID) -> Job | None:
    """Mark a queued job running (attempts + 1, heartbeat now) and flush; None when the job is
    gone or not queued (cancelled meanwhile, or another worker took it). The returned row's
    ``attempts`` is this claim's number, which every later write of the claimer passes as
    ``attempt``."""
    now = utcnow()
    claimed = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(
            status=JobStatus.RUNNING,
            stage=JobStage.ANALYZE,
            attempts=Job.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            updated_at=now,
        )
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return get_job(session, job_id)


def update_running(session: Session, job_id: uuid.UUID, *, attempt: int, **values: Any) -> bool:
    """Write ``values`` (and a fresh heartbeat) to a job running under claim ``attempt`` (see
    :func:`claim_job`); False when it is no longer running or another claim holds it
    (cancelled, failed or taken over by someone else). Flushes."""
    now = utcnow()
    done = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.RUNNING, Job.attempts == attempt)
        .values(heartbeat_at=now, updated_at=now, **values)
    )
    return done.rowcount == 1  # type: ignore[attr-defined]


def finish_job(
    session: Session, job_id: uuid.UUID, *, attempt: int, status: JobStatus, **values: Any
) -> bool:
    """Move a job running under claim ``attempt`` to a final ``status`` with ``values``; False
    when it was no longer running under that claim (nothing written). Flushes."""
    assert status in FINAL_STATUSES
    return update_running(
        session, job_id, attempt=attempt, status=status, finished_at=utcnow(), **values
    )


def holds_claim(session: Session, job_id: uuid.UUID, attempt: int) -> bool:
    """True when the job is running under claim ``attempt`` (read fresh)."""
    query = select(Job.id).where(
        Job.id == job_id, Job.status == JobStatus.RUNNING, Job.attempts == attempt
    )
    return session.scalar(query) is not None


def status_of(session: Session, job_id: uuid.UUID) -> str | None:
    """The job's current status read fresh from the database, or None when deleted."""
    return session.scalar(select(Job.status).where(Job.id == job_id))


def cancel_job(session: Session, job_id: uuid.UUID) -> Job:
    """Cancel a queued or running job (the worker notices within seconds) and flush.

    Raises :class:`JobNotFound`, or :class:`JobNotCancellable` when it already finished.
    """
    now = utcnow()
    done = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.in_(ACTIVE_STATUSES))
        .values(
            status=JobStatus.CANCELLED,
            error_code="cancelled",
            error_message="cancelled by the user",
            finished_at=now,
            updated_at=now,
        )
    )
    job = get_job(session, job_id)
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise JobNotCancellable(
            f"job {job_id} already {job.status}", details={"status": job.status}
        )
    return job


def delete_job(session: Session, job_id: uuid.UUID) -> tuple[str, str | None]:
    """Delete the job row (its first and only statement) and flush; returns its file and
    result blob hashes. Raises :class:`JobNotFound`."""
    row = session.execute(
        delete(Job).where(Job.id == job_id).returning(Job.file_sha256, Job.result_sha256)
    ).one_or_none()
    if row is None:
        raise JobNotFound(f"no job with id {job_id}", details={"id": str(job_id)})
    return row[0], row[1]


def queued_job_ids(session: Session, *, updated_before: datetime | None = None) -> list[uuid.UUID]:
    """Ids of queued jobs, oldest first; optionally only those queued (or last sent, see
    :func:`touch_queued`) before the given time."""
    query = select(Job.id).where(Job.status == JobStatus.QUEUED).order_by(Job.created_at, Job.id)
    if updated_before is not None:
        query = query.where(Job.updated_at < updated_before)
    return list(session.scalars(query))


def touch_queued(session: Session, job_id: uuid.UUID, *, updated_before: datetime) -> bool:
    """Set ``updated_at`` of a job still queued and last updated before ``updated_before`` to
    now; True when this call did it (several processes racing to re-send the same job: one
    wins). Flushes."""
    done = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED, Job.updated_at < updated_before)
        .values(updated_at=utcnow())
    )
    return done.rowcount == 1  # type: ignore[attr-defined]


def requeue_or_fail_lost(
    session: Session, job_id: uuid.UUID, *, heartbeat_before: datetime
) -> JobStatus | None:
    """A running job whose heartbeat is older than ``heartbeat_before`` (its worker is gone):
    back to ``queued`` when it has had fewer than :data:`MAX_ATTEMPTS` starts, else ``failed``
    with ``worker_lost``. Returns the status this call moved it to, or None when it changed
    nothing (the job is gone, not running, or its heartbeat is fresh again: another process
    recovered it first and a worker claimed it). Flushes."""
    now = utcnow()
    lost = (
        Job.id == job_id,
        Job.status == JobStatus.RUNNING,
        (Job.heartbeat_at < heartbeat_before) | Job.heartbeat_at.is_(None),
    )
    requeued = session.execute(
        update(Job)
        .where(*lost, Job.attempts < MAX_ATTEMPTS)
        .values(
            status=JobStatus.QUEUED,
            stage=JobStage.UPLOAD,
            progress=0,
            message=None,
            updated_at=now,
        )
    )
    if requeued.rowcount == 1:  # type: ignore[attr-defined]
        return JobStatus.QUEUED
    failed = session.execute(
        update(Job)
        .where(*lost, Job.attempts >= MAX_ATTEMPTS)
        .values(
            status=JobStatus.FAILED,
            error_code="worker_lost",
            error_message="the worker running this job stopped "
            + func.cast(Job.attempts, String)
            + " times",
            finished_at=now,
            updated_at=now,
        )
    )
    return JobStatus.FAILED if failed.rowcount == 1 else None  # type: ignore[attr-defined]


def running_job_ids(
    session: Session, *, heartbeat_before: datetime | None = None
) -> list[uuid.UUID]:
    """Ids of running jobs, optionally only those whose heartbeat is older than the given time."""
    query = select(Job.id).where(Job.status == JobStatus.RUNNING)
    if heartbeat_before is not None:
        query = query.where(Job.heartbeat_at < heartbeat_before)
    return list(session.scalars(query))


def jobs_using_blob(session: Session, sha256: str) -> int:
    """How many jobs reference ``sha256`` as their file or result."""
    query = select(func.count()).where((Job.file_sha256 == sha256) | (Job.result_sha256 == sha256))
    return int(session.scalar(query) or 0)


def job_history(session: Session, parent_id: uuid.UUID) -> list[Job]:
    """The on-demand jobs of analysis job ``parent_id``, oldest first."""
    query = select(Job).where(Job.parent_job_id == parent_id)
    return list(session.scalars(query.order_by(Job.created_at, Job.id)))


def replace_result(
    session: Session,
    parent_id: uuid.UUID,
    *,
    expected_sha256: str,
    result_sha256: str,
    cost_usd: float | None,
    **values: Any,
) -> bool:
    """Point job ``parent_id`` at a new result blob when its current one is still
    ``expected_sha256`` (False otherwise: another on-demand job merged first; merge again),
    adding ``cost_usd`` to its estimated cost and writing ``values`` (column expressions, such as
    ``Job.input_tokens + n``). The update is this transaction's first statement. Flushes."""
    cost = Job.estimated_cost_usd
    if cost_usd is not None:
        values["estimated_cost_usd"] = func.coalesce(cost, 0.0) + cost_usd
    done = session.execute(
        update(Job)
        .where(Job.id == parent_id, Job.result_sha256 == expected_sha256)
        .values(result_sha256=result_sha256, updated_at=utcnow(), **values)
    )
    return done.rowcount == 1  # type: ignore[attr-defined]
