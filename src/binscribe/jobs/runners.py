"""Choose the job runner for the settings: ``local`` (worker threads in this process, the
default) or ``celery`` (Redis queue, ``binscribe worker`` processes)."""

from __future__ import annotations

import uuid
from typing import Protocol

from binscribe.jobs.context import JobContext


class JobRunner(Protocol):
    """What the API and CLI need from a runner."""

    def start(self) -> None:
        """Begin taking jobs (local: recover lost ones and start the workers)."""
        ...

    def submit(self, job_id: uuid.UUID) -> None:
        """Hand over a job whose queued row is committed."""
        ...

    def stop(self, timeout: float = 30.0) -> None:
        """Stop taking jobs; wait up to ``timeout`` seconds for running ones to yield."""
        ...


def make_runner(ctx: JobContext) -> JobRunner:
    """The runner ``ctx.settings.queue`` names. Raises ConfigError for an unusable celery setup
    (no broker URL, not PostgreSQL)."""
    if ctx.settings.queue == "celery":
        from binscribe.jobs.celery_app import CeleryRunner

        return CeleryRunner(ctx)
    from binscribe.jobs.local import LocalRunner

    return LocalRunner(ctx, workers=ctx.settings.job_workers)
