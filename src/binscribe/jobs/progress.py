"""``JobMonitor``: a running job's link to its row: progress writes, heartbeat, cancellation.

The pipeline reports progress from any thread with :meth:`JobMonitor.report` (kept in memory);
the monitor's task writes it to the row every ``Settings.job_poll_s`` seconds together with the
heartbeat, in one short transaction, and publishes the change (see
:mod:`~binscribe.jobs.notifier`). When the write finds the job no longer running under this
worker's claim (the user cancelled it, someone failed it, or it was taken over after its
heartbeat went stale) or the process is stopping, :attr:`cancelled` is set: the explain engine
watches it, and :meth:`check` raises so the pipeline stops between stages.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from binscribe.db import jobs as job_repo
from binscribe.errors import BinscribeError
from binscribe.jobs.context import JobContext

log = logging.getLogger(__name__)

HEARTBEAT_S = 5.0
"""A running job's row is written at least this often (seconds)."""


class JobStopped(BinscribeError):
    """The job was cancelled, or the process is stopping (``code`` says which)."""

    code = "cancelled"


class JobMonitor:
    """Watches one running job claimed as ``attempt`` (see
    :func:`~binscribe.db.jobs.claim_job`); ``stopping`` is the process-wide shutdown signal (or
    None)."""

    def __init__(
        self,
        ctx: JobContext,
        job_id: uuid.UUID,
        *,
        attempt: int,
        stopping: threading.Event | None = None,
    ) -> None:
        self.ctx = ctx
        self.job_id = job_id
        self.attempt = attempt
        self.stopping = stopping or threading.Event()
        self.cancelled = asyncio.Event()
        self.cancel_flag = threading.Event()
        self._pending: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._last_write = 0.0

    def report(self, *, check: bool = True, **values: Any) -> None:
        """Queue column values (``progress``, ``stage``, ``message``, counts) for the next
        write; safe from any thread. With ``check``, raises :class:`JobStopped` when the job
        must stop, so a callback that reports also cancels the work that calls it (the analysis
        process)."""
        with self._lock:
            self._pending.update(values)
        if check:
            self.check()

    def check(self) -> None:
        """Raise :class:`JobStopped` (``cancelled`` or ``shutdown``) when the job must stop."""
        if self.stopping.is_set():
            raise JobStopped("the worker is stopping", code="shutdown")
        if self.cancel_flag.is_set():
            raise JobStopped("the job was cancelled")

    def flush(self, *, force: bool = False) -> None:
        """Write pending values and the heartbeat now (when due or ``force``); notice a cancel."""
        with self._lock:
            values, self._pending = self._pending, {}
        if not values and not force and time.monotonic() - self._last_write < HEARTBEAT_S:
            with self.ctx.sessions() as session:
                still_running = job_repo.holds_claim(session, self.job_id, self.attempt)
        else:
            with self.ctx.sessions.begin() as session:
                still_running = job_repo.update_running(
                    session, self.job_id, attempt=self.attempt, **values
                )
            self._last_write = time.monotonic()
            if still_running:
                self.ctx.notifier.publish(self.job_id)
        if not still_running:
            self.cancel_flag.set()

    async def run(self) -> None:
        """Flush every ``job_poll_s`` seconds until cancelled; sets :attr:`cancelled` when the
        job stops running or the process is stopping."""
        interval = self.ctx.settings.job_poll_s
        while True:
            try:
                await asyncio.to_thread(self.flush)
            except SQLAlchemyError:  # a failed write must not kill the job; the next tick retries
                log.warning("could not write progress of job %s", self.job_id, exc_info=True)
            if self.cancel_flag.is_set() or self.stopping.is_set():
                self.cancelled.set()
                return
            await asyncio.sleep(interval)
