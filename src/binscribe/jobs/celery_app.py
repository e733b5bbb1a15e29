"""The ``celery`` runner: the API enqueues job ids on Redis; ``binscribe worker`` runs them.

Tasks are acknowledged late and rejected when their worker process is lost, so a job whose
worker dies is delivered again (by Redis after ``BINSCRIBE_CELERY_VISIBILITY_TIMEOUT_S`` when
the whole worker was killed). A delivery finds the job's row in one of three states: queued (run
it), running with a fresh heartbeat (another worker has it: wait until it ends or its heartbeat
goes stale), running with a stale heartbeat (its worker died: re-queue once or fail
``worker_lost``, see :func:`binscribe.jobs.local.recover_lost_jobs`). PostgreSQL is required:
workers on several machines share the database.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta
from functools import lru_cache

from celery import Celery
from sqlalchemy import select
from sqlalchemy.engine import make_url

from binscribe.db import jobs as job_repo
from binscribe.db.models import Job, utcnow
from binscribe.errors import ConfigError
from binscribe.jobs.context import JobContext
from binscribe.jobs.local import STALE_AFTER_S
from binscribe.jobs.pipeline import run_job
from binscribe.jobs.retention import PurgeSchedule
from binscribe.settings import Settings, get_settings

log = logging.getLogger(__name__)

TASK_NAME = "binscribe.run_job"
WAIT_S = 2.0


def check_celery_settings(settings: Settings) -> str:
    """The broker URL; raises ConfigError without one or without PostgreSQL."""
    if not settings.broker_url:
        raise ConfigError("BINSCRIBE_QUEUE=celery needs BINSCRIBE_BROKER_URL (redis://host:6379/0)")
    if make_url(settings.sqlalchemy_url).get_backend_name() != "postgresql":
        raise ConfigError(
            "BINSCRIBE_QUEUE=celery needs PostgreSQL (BINSCRIBE_DATABASE_URL=postgresql+psycopg://"
            "...): every worker must reach the same database"
        )
    return settings.broker_url


def make_celery(settings: Settings) -> Celery:
    """A Celery app for ``settings`` with the job task registered."""
    broker = check_celery_settings(settings)
    timeout = settings.celery_visibility_timeout_s
    app = Celery("binscribe", broker=broker, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        task_default_queue=settings.celery_queue,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": timeout,
            "unacked_restore_interval": max(1, min(10, timeout // 5)),
            "unacked_restore_throttle": 1,
        },
    )
    app.task(name=TASK_NAME, acks_late=True, reject_on_worker_lost=True)(execute_job_task)
    return app


@lru_cache(maxsize=1)
def _worker_context() -> JobContext:
    return JobContext.build(get_settings())


_PURGES = PurgeSchedule()


def execute_job_task(job_id: str) -> str | None:
    """The task body: run job ``job_id`` in this worker (see the module docstring), then purge
    expired uploads when an hour has passed since this worker last did."""
    ctx = _worker_context()
    try:
        return execute_job(ctx, uuid.UUID(job_id))
    finally:
        _PURGES.run_if_due(ctx)


def execute_job(ctx: JobContext, job_id: uuid.UUID) -> str | None:
    """Run the job if it is queued, take it over if its worker died, wait while another live
    worker runs it. Returns the final status (None when the job was deleted)."""
    while True:
        with ctx.sessions() as session:
            row = session.execute(
                select(Job.status, Job.heartbeat_at).where(Job.id == job_id)
            ).one_or_none()
        if row is None:
            return None
        status, heartbeat = row
        if status == "queued":
            outcome = run_job(ctx, job_id)
            if outcome is not None:
                return outcome
        elif status == "running":
            stale = heartbeat is None or heartbeat < utcnow() - timedelta(seconds=STALE_AFTER_S)
            if stale:
                with ctx.sessions.begin() as session:
                    log.warning(
                        "job %s lost its worker: now %s",
                        job_id,
                        job_repo.requeue_or_fail_lost(session, job_id),
                    )
                continue
            time.sleep(WAIT_S)
        else:
            return str(status)


class CeleryRunner:
    """Sends job ids to the Celery queue; the API process runs no jobs itself."""

    def __init__(self, settings: Settings) -> None:
        self.app = make_celery(settings)
        self.queue = settings.celery_queue

    def start(self) -> None:
        """Nothing to start: workers run elsewhere (``binscribe worker``)."""

    def submit(self, job_id: uuid.UUID) -> None:
        """Enqueue ``job_id``."""
        self.app.send_task(TASK_NAME, args=[str(job_id)], queue=self.queue)

    def stop(self, timeout: float = 30.0) -> None:
        """Close the broker connections."""
        self.app.close()
