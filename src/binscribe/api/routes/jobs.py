"""``/api/v1/decompile`` and ``/api/v1/jobs``: submit binaries, follow, cancel, delete jobs, read
their reports. The upload is streamed to the blob store (see :mod:`binscribe.api.upload`)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from binscribe.analysis.models import AnalysisDepth
from binscribe.api.deps import (
    BlobsDep,
    CipherDep,
    NotifierDep,
    RunnerDep,
    SessionDep,
    SettingsDep,
    WriteSessionDep,
    WriteSessionFactoryDep,
)
from binscribe.api.paging import Limit, Offset
from binscribe.api.schemas.jobs import (
    JobDetail,
    JobPublic,
    JobsPublic,
    JobSubmitted,
    file_info,
    job_public,
)
from binscribe.api.upload import UploadForm, read_upload
from binscribe.crypto import CredentialCipher
from binscribe.db import jobs as job_repo
from binscribe.db.enums import JobStatus
from binscribe.db.models import Job
from binscribe.errors import BinscribeError, ValidationFailed, field_errors
from binscribe.explain.report import TranslationDetail
from binscribe.jobs.blobs import BlobStore
from binscribe.jobs.markdown import render_markdown
from binscribe.jobs.results import JobResult, finished_result, load_result
from binscribe.jobs.runners import JobRunner
from binscribe.jobs.submit import (
    BUDGET_FIELDS,
    MAX_BUDGET_TOKENS,
    MAX_BUDGET_USD,
    JobOptions,
    submit_job,
)

router = APIRouter(tags=["jobs"])

_UPLOAD_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "provider_id": {"type": "string", "format": "uuid"},
                    "analysis_depth": {"enum": [depth.value for depth in AnalysisDepth]},
                    "translation_detail": {"enum": [detail.value for detail in TranslationDetail]},
                    "function_limit": {"type": "integer", "minimum": 1},
                    "budget_tokens": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_BUDGET_TOKENS,
                        "description": "Stop explaining after this many provider tokens.",
                    },
                    "budget_usd": {
                        "type": "number",
                        "exclusiveMinimum": 0,
                        "maximum": MAX_BUDGET_USD,
                        "description": "Stop explaining after this estimated cost (USD).",
                    },
                },
            }
        }
    },
}
_SUBMIT_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown provider (`provider_not_found`)."},
    409: {"description": "Provider inactive or its key needs re-entry."},
    413: {"description": "Larger than BINSCRIBE_MAX_UPLOAD_MB (`upload_too_large`)."},
    415: {"description": "Not an ELF, PE or Mach-O binary (`unsupported_format`)."},
    422: {
        "description": "Empty or corrupt file, bad options (`empty_file`, `validation_error`, "
        "`invalid_budget` for a budget that is not positive, ...)."
    },
}


def _options(fields: dict[str, str]) -> tuple[JobOptions, uuid.UUID | None]:
    values = {k: v for k, v in fields.items() if k != "provider_id" and v.strip() != ""}
    try:
        options = JobOptions.model_validate(values)
        raw = fields.get("provider_id", "").strip()
        provider_id = uuid.UUID(raw) if raw else None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "options"
        code = "invalid_budget" if where in BUDGET_FIELDS else ValidationFailed.code
        raise ValidationFailed(
            f"Invalid {where}: {first['msg']}",
            code=code,
            details=field_errors((where, first["msg"], first["type"])),
        ) from None
    except ValueError:
        message = "Invalid provider_id: not a UUID"
        raise ValidationFailed(
            message, details=field_errors(("provider_id", message, "uuid_parsing"))
        ) from None
    return options, provider_id


def _submit(
    sessions: sessionmaker[Session],
    *,
    cipher: CredentialCipher,
    runner: JobRunner,
    blobs: BlobStore,
    upload: UploadForm,
) -> Job:
    """Queue the uploaded file's job; a refused one leaves no orphaned blob behind."""
    try:
        options, provider_id = _options(upload.fields)
        job = submit_job(
            sessions,
            cipher=cipher,
            blob=upload.blob,
            file_name=upload.file_name,
            options=options,
            provider_id=provider_id,
        )
    except (BinscribeError, SQLAlchemyError):  # refused, or the database busy: keep no orphan
        with sessions() as session:
            unused = not job_repo.jobs_using_blob(session, upload.blob.sha256)
        if unused:
            blobs.delete(upload.blob.sha256)
        raise
    runner.submit(job.id)
    return job


@router.post(
    "/decompile",
    response_model=JobSubmitted,
    status_code=status.HTTP_202_ACCEPTED,
    responses=_SUBMIT_ERRORS,
    openapi_extra={"requestBody": _UPLOAD_BODY},
)
async def submit_decompile(
    request: Request,
    settings: SettingsDep,
    sessions: WriteSessionFactoryDep,
    cipher: CipherDep,
    runner: RunnerDep,
    blobs: BlobsDep,
) -> JobSubmitted:
    """Upload a binary (multipart) and queue its analysis; explained when a provider is given."""
    upload = await read_upload(request, blobs, limit=settings.max_upload_bytes)
    job = await run_in_threadpool(
        _submit, sessions, cipher=cipher, runner=runner, blobs=blobs, upload=upload
    )
    return JobSubmitted(
        job_id=job.id,
        status=JobStatus.QUEUED,
        file_info=file_info(job),
        status_url=f"/api/v1/decompile/{job.id}",
    )


def _result(blobs: BlobStore, job: Job) -> JobResult | None:
    if job.result_sha256 is None:
        return None
    try:
        return load_result(blobs, job.result_sha256)
    except FileNotFoundError:
        return None


@router.get("/decompile/{job_id}", response_model=JobDetail, responses={404: {}})
def get_decompile(job_id: uuid.UUID, session: SessionDep, blobs: BlobsDep) -> JobDetail:
    """Read a job's state, and its result once it has one."""
    job = job_repo.get_job(session, job_id)
    detail = JobDetail.model_validate(job_public(job).model_dump())
    detail.result = _result(blobs, job)
    return detail


@router.get("/jobs", response_model=JobsPublic)
def list_jobs(
    session: SessionDep,
    status_filter: Annotated[JobStatus | None, Query(alias="status")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> JobsPublic:
    """List jobs, newest first, optionally only those with one status."""
    rows, total = job_repo.list_jobs(session, status=status_filter, limit=limit, offset=offset)
    return JobsPublic(data=[job_public(row) for row in rows], count=total)


@router.post("/jobs/{job_id}/cancel", response_model=JobPublic, responses={404: {}, 409: {}})
def cancel_job(job_id: uuid.UUID, session: WriteSessionDep, notifier: NotifierDep) -> JobPublic:
    """Cancel a queued or running job; its worker stops within seconds."""
    with session.begin():
        job = job_repo.cancel_job(session, job_id)
        public = job_public(job)
    notifier.publish(job_id)
    return public


@router.delete("/jobs/{job_id}", status_code=204, responses={404: {}})
def delete_job(
    job_id: uuid.UUID, session: WriteSessionDep, blobs: BlobsDep, notifier: NotifierDep
) -> Response:
    """Delete a job with its result and uploaded file (a running job is cancelled first)."""
    with session.begin():
        file_sha256, result_sha256 = job_repo.delete_job(session, job_id)
    notifier.publish(job_id)
    for sha256 in (result_sha256, file_sha256):
        if sha256 and not job_repo.jobs_using_blob(session, sha256):
            blobs.delete(sha256)
    return Response(status_code=204)


@router.get(
    "/jobs/{job_id}/report",
    responses={200: {"content": {"text/markdown": {}, "application/json": {}}}, 404: {}, 409: {}},
    response_model=None,
)
def get_job_report(
    job_id: uuid.UUID,
    session: SessionDep,
    blobs: BlobsDep,
    format: Annotated[Literal["json", "markdown"], Query()] = "markdown",
) -> Response:
    """The job's report: Markdown (summary, capabilities, imports, strings, functions) or the
    JSON result document."""
    job = job_repo.get_job(session, job_id)
    result = finished_result(blobs, job)
    if format == "json":
        return Response(result.model_dump_json(), media_type="application/json")
    return PlainTextResponse(render_markdown(result), media_type="text/markdown")
