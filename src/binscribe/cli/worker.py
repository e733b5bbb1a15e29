"""``binscribe worker``: a Celery worker running analysis jobs (BINSCRIBE_QUEUE=celery)."""

from __future__ import annotations

import os
import socket
from typing import Annotated

import typer

from binscribe.logs import configure_logging
from binscribe.settings import get_settings


def worker(
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="Jobs at once (default BINSCRIBE_WORKERS).")
    ] = None,
) -> None:
    """Run jobs from the Celery queue until stopped (needs BINSCRIBE_BROKER_URL and PostgreSQL).

    Jobs run in threads of this process (the analysis itself in child processes), so a killed
    worker takes its jobs with it; the reaper of any other worker or of the API server re-queues
    them within BINSCRIBE_CELERY_LOST_AFTER_S.
    """
    from binscribe.jobs.celery_app import CeleryRunner, worker_context

    settings = get_settings()
    configure_logging(settings.log_level)
    runner = CeleryRunner(worker_context())
    runner.start()
    try:
        runner.app.worker_main(
            [
                "worker",
                "--pool=threads",
                f"--concurrency={concurrency or settings.job_workers}",
                f"--queues={settings.celery_queue}",
                f"--hostname=binscribe-{os.getpid()}@{socket.gethostname()}",
                f"--loglevel={settings.log_level}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ]
        )
    finally:
        runner.stop()
