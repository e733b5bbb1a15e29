"""The ``local`` runner: worker threads in this process take queued jobs from the database.

The database is the queue, so queued jobs survive a restart. A sweeper thread puts jobs whose
worker vanished (``running`` with a heartbeat older than :data:`STALE_AFTER_S`) back in the
queue once, then fails them ``worker_lost``; it runs at start and every :data:`SWEEP_S`, and
deletes expired uploads at start and about hourly. The
analysis itself runs in the analysis engine's child process; LLM calls in each job's event loop.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import timedelta

from binscribe.db import jobs as job_repo
from binscribe.db.enums import JobStatus
from binscribe.db.models import utcnow
from binscribe.jobs.context import JobContext
from binscribe.jobs.pipeline import run_job
from binscribe.jobs.progress import HEARTBEAT_S
from binscribe.jobs.retention import PurgeSchedule

log = logging.getLogger(__name__)

STALE_AFTER_S = 3 * HEARTBEAT_S
"""A running job whose heartbeat is older than this (seconds) has lost its worker."""
SWEEP_S = 5.0


def recover_lost_jobs(
    ctx: JobContext, *, stale_after_s: float = STALE_AFTER_S
) -> dict[JobStatus, list[uuid.UUID]]:
    """Re-queue (once) or fail ``worker_lost`` every running job with a stale heartbeat;
    returns the ids this call moved, by new status (``queued``, ``failed``). Several processes
    may sweep the same database: each job is moved by one of them."""
    moved: dict[JobStatus, list[uuid.UUID]] = {JobStatus.QUEUED: [], JobStatus.FAILED: []}
    before = utcnow() - timedelta(seconds=stale_after_s)
    with ctx.sessions() as session:
        lost = job_repo.running_job_ids(session, heartbeat_before=before)
    for job_id in lost:
        with ctx.sessions.begin() as session:
            status = job_repo.requeue_or_fail_lost(session, job_id, heartbeat_before=before)
        if status is not None:
            moved[status].append(job_id)
            log.warning("job %s lost its worker: now %s", job_id, status)
    return moved


class LocalRunner:
    """``workers`` threads running jobs from the database queue, oldest first."""

    def __init__(self, ctx: JobContext, *, workers: int) -> None:
        self.ctx = ctx
        self.workers = workers
        self.stopping = threading.Event()
        self._wake = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._purges = PurgeSchedule()

    def start(self) -> None:
        """Recover lost jobs and purge expired uploads, then start the worker threads and the
        sweeper (which does both again: lost jobs every few seconds, uploads hourly)."""
        recover_lost_jobs(self.ctx)
        self._purges.run_if_due(self.ctx)
        for index in range(self.workers):
            thread = threading.Thread(target=self._work, name=f"binscribe-job-{index}", daemon=True)
            thread.start()
            self._threads.append(thread)
        sweeper = threading.Thread(target=self._sweep, name="binscribe-job-sweeper", daemon=True)
        sweeper.start()
        self._threads.append(sweeper)

    def submit(self, job_id: uuid.UUID) -> None:
        """Wake a worker for the newly queued ``job_id`` (the row is the queue entry)."""
        with self._wake:
            self._wake.notify()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop taking jobs; running ones go back to the queue (their analysis process is
        killed at its next progress report). Waits up to ``timeout`` seconds."""
        self.stopping.set()
        with self._wake:
            self._wake.notify_all()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def _next(self) -> uuid.UUID | None:
        with self.ctx.sessions() as session:
            queued = job_repo.queued_job_ids(session)
        return queued[0] if queued else None

    def _work(self) -> None:
        while not self.stopping.is_set():
            job_id = self._next()
            if job_id is None:
                with self._wake:
                    self._wake.wait(SWEEP_S)
                continue
            run_job(self.ctx, job_id, stopping=self.stopping)

    def _sweep(self) -> None:
        while not self.stopping.wait(SWEEP_S):
            if recover_lost_jobs(self.ctx)[JobStatus.QUEUED]:
                with self._wake:
                    self._wake.notify_all()
            self._purges.run_if_due(self.ctx)
