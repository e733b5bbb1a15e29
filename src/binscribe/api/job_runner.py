"""Attach the job runner to the app: built with the app (so a bad celery setup refuses to
start), started and stopped by the app's lifespan, reached by routes as
``app.state.job_runner``; event streams subscribe to ``app.state.notifier``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

from binscribe.jobs.context import JobContext
from binscribe.jobs.runners import make_runner


def install_job_runner(app: FastAPI) -> None:
    """Build the runner from ``app.state`` (settings, engine, cipher) and run it during the
    app's lifespan. Raises ConfigError for an unusable celery configuration."""
    state = app.state
    ctx = JobContext.build(state.settings, engine=state.engine, cipher=state.cipher)
    runner = make_runner(ctx)
    state.job_runner = runner
    state.notifier = ctx.notifier

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(runner.start)
        try:
            yield
        finally:
            await run_in_threadpool(runner.stop)

    app.router.lifespan_context = lifespan
