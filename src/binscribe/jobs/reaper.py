"""The Celery runner's reaper: no job stays ``running`` or ``queued`` for good when a worker
dies or a broker message is lost.

Every :class:`CeleryRunner <binscribe.jobs.celery_app.CeleryRunner>` (the API process and each
``binscribe worker``) runs one :class:`Reaper` thread. Every quarter of the bound
(``BINSCRIBE_CELERY_LOST_AFTER_S``, default 2 minutes) it

1. re-queues once, or fails ``worker_lost``, each running job whose heartbeat is older than the
   bound (:func:`~binscribe.jobs.local.recover_lost_jobs`, the local runner's sweep), and sends
   the re-queued ones to the broker at once;
2. sends again each job queued for longer than the bound that has no message in the broker
   (neither waiting in the queue nor recently delivered to a worker).

The job row is the arbiter, so several reapers and duplicate messages are harmless: a job is
moved and re-sent by one reaper only (conditional updates), a message for a job that is no longer
queued is dropped by the worker that receives it, and only the latest claim's writes land (see
:mod:`binscribe.db.jobs`), so a stalled worker that wakes up after its job was taken over cannot
complete it a second time.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from binscribe.db import jobs as job_repo
from binscribe.db.enums import JobStatus
from binscribe.db.models import utcnow
from binscribe.jobs.context import JobContext
from binscribe.jobs.local import recover_lost_jobs

log = logging.getLogger(__name__)

SendJob = Callable[[uuid.UUID], None]
"""Puts a message for the job id in the broker."""
PendingJobs = Callable[[float], set[uuid.UUID]]
"""Job ids with a message in the broker: waiting in the queue, or delivered to a worker within
the given number of seconds."""


@dataclass
class ReapReport:
    """What one :meth:`Reaper.reap` did: job ids re-queued (and sent), failed ``worker_lost``,
    and sent again because their message was missing."""

    requeued: list[uuid.UUID] = field(default_factory=list)
    failed: list[uuid.UUID] = field(default_factory=list)
    resent: list[uuid.UUID] = field(default_factory=list)


class Reaper:
    """Recovers lost jobs every ``lost_after_s / 4`` seconds in a daemon thread (see the module
    docstring); ``send`` and ``pending`` talk to the broker."""

    def __init__(
        self, ctx: JobContext, *, send: SendJob, pending: PendingJobs, lost_after_s: float
    ) -> None:
        self.ctx = ctx
        self.send = send
        self.pending = pending
        self.lost_after_s = lost_after_s
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def reap(self) -> ReapReport:
        """One pass: recover jobs with a stale heartbeat, re-send queued jobs with no message."""
        moved = recover_lost_jobs(self.ctx, stale_after_s=self.lost_after_s)
        report = ReapReport(requeued=moved[JobStatus.QUEUED], failed=moved[JobStatus.FAILED])
        for job_id in report.requeued:
            self.send(job_id)
        before = utcnow() - timedelta(seconds=self.lost_after_s)
        with self.ctx.sessions() as session:
            waiting = job_repo.queued_job_ids(session, updated_before=before)
        if not waiting:
            return report
        pending = self.pending(self.lost_after_s)
        for job_id in waiting:
            if job_id in pending:
                continue
            with self.ctx.sessions.begin() as session:
                ours = job_repo.touch_queued(session, job_id, updated_before=before)
            if ours:
                log.warning("job %s was queued with no message in the broker: sent again", job_id)
                self.send(job_id)
                report.resent.append(job_id)
        return report

    def start(self) -> None:
        """Reap now and then every quarter of the bound, until :meth:`stop`."""
        self._thread = threading.Thread(target=self._loop, name="binscribe-reaper", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """End the thread (waits up to ``timeout`` seconds)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        interval = self.lost_after_s / 4
        while True:
            try:
                self.reap()
            except Exception:  # the database or the broker failing: the next pass retries
                log.warning("could not reap lost jobs", exc_info=True)
            if self._stopping.wait(interval):
                return
