"""The ``celery`` runner: the API enqueues job ids on Redis; ``binscribe worker`` runs them.

Tasks are acknowledged late and rejected when their worker process is lost; the message's task
id is the job id. A delivery finds the job's row queued (run it), running with a stale heartbeat
(its worker died: re-queue once or fail ``worker_lost``, then run it when re-queued) or anything
else (another worker has it, or it ended: the message is dropped). Jobs whose worker died or
whose message was lost are recovered within ``BINSCRIBE_CELERY_LOST_AFTER_S`` by the
:mod:`~binscribe.jobs.reaper` that every :class:`CeleryRunner` runs (API process and workers),
not only when Redis redelivers after ``BINSCRIBE_CELERY_VISIBILITY_TIMEOUT_S``. PostgreSQL is
required: workers on several machines share the database.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import timedelta
from functools import lru_cache
from time import time
from typing import Any

from celery import Celery
from kombu.exceptions import KombuError
from sqlalchemy.engine import make_url

from binscribe.db import jobs as job_repo
from binscribe.db.models import utcnow
from binscribe.errors import ConfigError
from binscribe.jobs.context import JobContext
from binscribe.jobs.pipeline import run_job
from binscribe.jobs.progress import HEARTBEAT_S
from binscribe.jobs.reaper import Reaper
from binscribe.jobs.retention import PurgeSchedule
from binscribe.settings import Settings, get_settings

log = logging.getLogger(__name__)

TASK_NAME = "binscribe.run_job"


def check_celery_settings(settings: Settings) -> str:
    """The broker URL; raises ConfigError without one, without PostgreSQL, or with a
    ``celery_lost_after_s`` too short for the job heartbeat."""
    if not settings.broker_url:
        raise ConfigError("BINSCRIBE_QUEUE=celery needs BINSCRIBE_BROKER_URL (redis://host:6379/0)")
    if make_url(settings.sqlalchemy_url).get_backend_name() != "postgresql":
        raise ConfigError(
            "BINSCRIBE_QUEUE=celery needs PostgreSQL (BINSCRIBE_DATABASE_URL=postgresql+psycopg://"
            "...): every worker must reach the same database"
        )
    if settings.celery_lost_after_s < 2 * HEARTBEAT_S:
        raise ConfigError(
            f"BINSCRIBE_CELERY_LOST_AFTER_S must be at least {2 * HEARTBEAT_S:g} s (twice the "
            "job heartbeat interval), or live jobs would be taken for lost"
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
def worker_context() -> JobContext:
    """The job context of this worker process (built once, from the environment)."""
    return JobContext.build(get_settings())


_PURGES = PurgeSchedule()


def execute_job_task(job_id: str) -> str | None:
    """The task body: run job ``job_id`` in this worker (see the module docstring), then purge
    expired uploads when an hour has passed since this worker last did."""
    ctx = worker_context()
    try:
        return execute_job(ctx, uuid.UUID(job_id))
    finally:
        _PURGES.run_if_due(ctx)


def execute_job(ctx: JobContext, job_id: uuid.UUID) -> str | None:
    """Run the job if it is queued, or running with a heartbeat older than the bound (its worker
    died); otherwise leave it. Returns the job's status afterwards (None when deleted)."""
    stale_before = utcnow() - timedelta(seconds=ctx.settings.celery_lost_after_s)
    with ctx.sessions.begin() as session:
        if job_repo.requeue_or_fail_lost(session, job_id, heartbeat_before=stale_before):
            log.warning("job %s lost its worker: taken over on redelivery", job_id)
    outcome = run_job(ctx, job_id)
    if outcome is not None:
        return outcome
    with ctx.sessions() as session:
        return job_repo.status_of(session, job_id)


def pending_job_ids(app: Celery, queue: str, *, delivered_within_s: float) -> set[uuid.UUID]:
    """Ids of jobs with a message in Redis: waiting in ``queue`` (any priority), or delivered
    to a worker and not acknowledged for less than ``delivered_within_s`` seconds (kombu's
    ``unacked`` hash and its ``unacked_index`` of delivery times)."""
    messages: list[dict[str, Any]] = []
    with app.connection_for_read() as connection:
        channel = connection.default_channel
        client = channel.client
        for priority in channel.priority_steps:
            waiting = client.lrange(channel._q_for_pri(queue, priority), 0, -1)
            messages.extend(json.loads(raw) for raw in waiting)
        tags = client.zrangebyscore(channel.unacked_index_key, time() - delivered_within_s, "+inf")
        if tags:
            entries = client.hmget(channel.unacked_key, tags)  # [message, exchange, routing key]
            messages.extend(json.loads(entry)[0] for entry in entries if entry is not None)
    found: set[uuid.UUID] = set()
    for message in messages:
        headers = message.get("headers") or {}
        if headers.get("task") == TASK_NAME:
            try:
                found.add(uuid.UUID(str(headers.get("id"))))
            except ValueError:
                continue  # a message sent by an older version (random task id)
    return found


class CeleryRunner:
    """Sends job ids to the Celery queue and runs the :class:`~binscribe.jobs.reaper.Reaper`;
    the API process runs no jobs itself, ``binscribe worker`` runs them."""

    def __init__(self, ctx: JobContext) -> None:
        self.app = make_celery(ctx.settings)
        self.queue = ctx.settings.celery_queue
        self.reaper = Reaper(
            ctx,
            send=self.submit,
            pending=lambda within_s: pending_job_ids(
                self.app, self.queue, delivered_within_s=within_s
            ),
            lost_after_s=ctx.settings.celery_lost_after_s,
        )

    def start(self) -> None:
        """Start the reaper (the workers run elsewhere: ``binscribe worker``)."""
        self.reaper.start()

    def submit(self, job_id: uuid.UUID) -> None:
        """Enqueue ``job_id`` (the message's task id is the job id). When Redis cannot be
        reached the job stays queued and the reaper sends it once Redis is back."""
        try:
            self.app.send_task(TASK_NAME, args=[str(job_id)], queue=self.queue, task_id=str(job_id))
        except KombuError as exc:
            log.warning(
                "job %s: could not reach the broker (%s); it will be sent again later",
                job_id,
                type(exc).__name__,
            )

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the reaper and close the broker connections."""
        self.reaper.stop(timeout)
        self.app.close()
