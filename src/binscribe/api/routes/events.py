"""Server-sent events of job changes: ``GET /api/v1/events?job=..&job=..`` follows up to
:data:`MAX_JOBS` jobs on one connection (one stream per page), ``/jobs/{id}/events`` one job.

Events (``\\n``-separated, UTF-8): ``progress`` with a job (JobPublic) when its row changed; ``end``
with ``{"id", "status"}`` once a job is final (``status`` ``deleted`` when it is gone); the
stream closes after the last job's ``end``. Rows are re-read when the notifier says they changed
(:mod:`binscribe.jobs.notifier`) and every :data:`RECHECK_S` seconds in case a message was lost;
a ``: ping`` comment keeps idle connections open.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from sse_starlette import EventSourceResponse

from binscribe.api.schemas.jobs import JobPublic, job_public
from binscribe.db import jobs as job_repo
from binscribe.errors import ValidationFailed, field_errors
from binscribe.jobs.notifier import Notifier

router = APIRouter(tags=["jobs"])

MAX_JOBS = 100
"""Jobs one stream may follow (a Jobs page shows at most 100 rows)."""
RECHECK_S = 5.0
"""Seconds between re-reads of the followed rows when no notification came."""
PING_S = 15
"""Seconds between keep-alive comments."""

_STREAM: dict[int | str, dict[str, Any]] = {200: {"content": {"text/event-stream": {}}}, 404: {}}


def _snapshots(request: Request, ids: list[uuid.UUID]) -> dict[uuid.UUID, JobPublic | None]:
    """The followed jobs as they are now; None for a deleted one."""
    found: dict[uuid.UUID, JobPublic | None] = {}
    with request.app.state.session_factory() as session:
        for job_id in ids:
            try:
                found[job_id] = job_public(job_repo.get_job(session, job_id))
            except job_repo.JobNotFound:
                found[job_id] = None
    return found


async def job_events(
    request: Request, notifier: Notifier, ids: list[uuid.UUID]
) -> AsyncIterator[dict[str, str]]:
    """The event stream of jobs ``ids`` (see the module docstring)."""
    sent: dict[uuid.UUID, str] = {}
    open_ids = list(dict.fromkeys(ids))
    async with notifier.subscribe() as subscription:  # subscribe first: no change slips by
        changed = set(open_ids)
        while open_ids:
            wanted = [job_id for job_id in open_ids if job_id in changed]
            for job_id, job in (await run_in_threadpool(_snapshots, request, wanted)).items():
                if job is None:
                    yield _end(job_id, "deleted")
                    open_ids.remove(job_id)
                    continue
                data = job.model_dump_json()
                if sent.get(job_id) != data:
                    sent[job_id] = data
                    yield {"event": "progress", "data": data}
                if job.status in job_repo.FINAL_STATUSES:
                    yield _end(job_id, job.status)
                    open_ids.remove(job_id)
            if not open_ids:
                return
            changed = await subscription.changed(RECHECK_S)
            if not changed:  # nothing published for a while: re-read all, in case
                changed = set(open_ids)


def _end(job_id: uuid.UUID, status: str) -> dict[str, str]:
    return {"event": "end", "data": json.dumps({"id": str(job_id), "status": status})}


def _response(request: Request, ids: list[uuid.UUID]) -> EventSourceResponse:
    stream = job_events(request, request.app.state.notifier, ids)
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return EventSourceResponse(stream, ping=PING_S, sep="\n", headers=headers)


@router.get("/events", responses=_STREAM, response_class=EventSourceResponse)
async def stream_events(
    request: Request, job: Annotated[list[uuid.UUID], Query(min_length=1)]
) -> Any:
    """Server-sent events of the jobs given as ``job`` parameters (1-100): ``progress`` with
    the job whenever it changes, ``end`` once it is final; closes after the last one."""
    if len(set(job)) > MAX_JOBS:
        message = f"Invalid job: at most {MAX_JOBS} jobs per stream"
        raise ValidationFailed(message, details=field_errors(("job", message, "too_long")))
    return _response(request, job)


@router.get("/jobs/{job_id}/events", responses=_STREAM, response_class=EventSourceResponse)
async def stream_job_events(job_id: uuid.UUID, request: Request) -> Any:
    """Server-sent events of one job (as ``/events?job=``); 404 for an unknown job."""
    await run_in_threadpool(_one, request, job_id)
    return _response(request, [job_id])


def _one(request: Request, job_id: uuid.UUID) -> None:
    with request.app.state.session_factory() as session:
        job_repo.get_job(session, job_id)
