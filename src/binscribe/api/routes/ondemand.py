"""On-demand work on a finished job: ``POST /jobs/{id}/functions/{address}/decompile``,
``POST /jobs/{id}/explain`` (202 with the small job to follow) and ``GET /jobs/{id}/history``
(the job's on-demand jobs). See :mod:`binscribe.jobs.ondemand` for the rules and error codes."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi import APIRouter, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from binscribe.api.deps import (
    BlobsDep,
    CipherDep,
    RunnerDep,
    SessionDep,
    WriteSessionFactoryDep,
)
from binscribe.api.schemas.jobs import JobPublic, JobsPublic, job_public
from binscribe.db import jobs as job_repo
from binscribe.db.models import Job
from binscribe.errors import ValidationFailed, field_errors
from binscribe.jobs.ondemand import (
    MAX_ADDRESSES,
    ExplainRequest,
    ExplainScope,
    submit_decompile_function,
    submit_explain,
)
from binscribe.jobs.runners import JobRunner

router = APIRouter(prefix="/jobs/{job_id}", tags=["on-demand"])

HEX_ADDRESS = re.compile(r"(?:0[xX])?([0-9a-fA-F]{1,16})")
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "`job_not_found`, `function_not_found`, `provider_not_found`."},
    409: {
        "description": "`result_not_ready`, `not_an_analysis_job`, `already_decompiled`, "
        "`nothing_to_explain`, `upload_missing`, `provider_inactive`, `provider_key_unusable`."
    },
    422: {"description": "`invalid_address`, `invalid_request`, `provider_required`."},
}


class ExplainBody(BaseModel):
    """``scope``: ``selection`` (explain the functions at ``addresses``), ``rest`` (every
    program function not explained yet) or ``failed`` (retry failed or cancelled items only).
    ``provider_id``: explain with this provider (default: the job's own)."""

    model_config = ConfigDict(extra="forbid")

    scope: ExplainScope = ExplainScope.SELECTION
    addresses: list[str] | None = Field(
        default=None, max_length=MAX_ADDRESSES, description="hex addresses (`0x4011c1`)"
    )
    provider_id: uuid.UUID | None = None


def parse_address(text: str, where: str) -> int:
    """A hex address (``0x4011c1`` or ``4011c1``); ValidationFailed ``invalid_address`` naming
    the request field ``where`` (``address``, ``addresses.0``)."""
    match = HEX_ADDRESS.fullmatch(text)
    if match is None:
        raise ValidationFailed(
            f"Invalid address: {text[:40]!r} is not a hex address like 0x4011c1",
            code="invalid_address",
            details=field_errors((where, "expected a hex address", "invalid_address")),
        )
    return int(match.group(1), 16)


def _queued(runner: JobRunner, job: Job) -> JobPublic:
    runner.submit(job.id)
    return job_public(job)


@router.post(
    "/functions/{address}/decompile",
    response_model=JobPublic,
    status_code=status.HTTP_202_ACCEPTED,
    responses=_ERRORS,
)
async def decompile_function(
    job_id: uuid.UUID,
    address: str,
    sessions: WriteSessionFactoryDep,
    blobs: BlobsDep,
    runner: RunnerDep,
) -> JobPublic:
    """Decompile one more function of a finished job (a small job; poll its ``status_url``).
    The pseudocode is merged into the job's result."""
    addr = parse_address(address, "address")
    job = await run_in_threadpool(submit_decompile_function, sessions, blobs, job_id, addr)
    return _queued(runner, job)


@router.post("/explain", response_model=JobPublic, status_code=202, responses=_ERRORS)
async def explain_functions(
    job_id: uuid.UUID,
    body: ExplainBody,
    sessions: WriteSessionFactoryDep,
    blobs: BlobsDep,
    cipher: CipherDep,
    runner: RunnerDep,
) -> JobPublic:
    """Explain a selection of functions, the rest, or retry failed items of a finished job
    (a small job); only items missing from the explanation cache cost provider calls."""
    addresses = None
    if body.addresses is not None:
        addresses = [parse_address(text, f"addresses.{i}") for i, text in enumerate(body.addresses)]
    ask = ExplainRequest(scope=body.scope, addresses=addresses, provider_id=body.provider_id)
    job = await run_in_threadpool(submit_explain, sessions, blobs, cipher, job_id, ask)
    return _queued(runner, job)


@router.get("/history", response_model=JobsPublic, responses={404: _ERRORS[404]})
def job_history(job_id: uuid.UUID, session: SessionDep) -> JobsPublic:
    """The job's on-demand jobs, oldest first (their tokens and cost are in the job's totals)."""
    job_repo.get_job(session, job_id)
    rows = job_repo.job_history(session, job_id)
    return JobsPublic(data=[job_public(row) for row in rows], count=len(rows))
