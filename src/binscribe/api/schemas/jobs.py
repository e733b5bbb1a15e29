"""Job schemas: ``JobSubmitted`` (the 202 answer), ``JobPublic``, ``JobDetail`` (with the
result), ``JobsPublic{data, count}``. Built from rows by :func:`job_public`."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from binscribe.analysis.models import AnalysisDepth
from binscribe.db.enums import JobKind, JobStage, JobStatus
from binscribe.db.models import Job
from binscribe.explain.report import TranslationDetail
from binscribe.jobs.ondemand import ExplainScope
from binscribe.jobs.results import JobResult
from binscribe.llm.types import ProviderType

RESULT_REVISION_CHARS = 16
"""Hex digits of the result blob's sha256 a job's ``result_revision`` shows."""


class FileInfo(BaseModel):
    """The uploaded file: the client's name (metadata only), size in bytes, sha256 and the
    format and architecture its headers declare."""

    name: str
    size: int
    sha256: str
    format: str
    arch: str


class JobOptionsPublic(BaseModel):
    """The options the job runs with; ``budget_tokens`` / ``budget_usd``: its explanation
    budget (null: no limit)."""

    analysis_depth: AnalysisDepth
    translation_detail: TranslationDetail
    function_limit: int | None
    budget_tokens: int | None = None
    budget_usd: float | None = None


class ProviderSnapshot(BaseModel):
    """The provider as it was at submission; ``id`` is null once the provider is deleted."""

    id: UUID | None
    name: str
    provider_type: ProviderType
    model: str | None


class JobCounts(BaseModel):
    """Functions found, chosen for decompilation and decompiled; explanation items (functions,
    imports, strings, program) planned, done and failed. A total is 0 until its stage starts,
    so "N of M" always reads against the number chosen."""

    functions_total: int
    functions_decompiled: int
    functions_selected: int = Field(
        description="Functions chosen for decompilation (the M of functions_decompiled)."
    )
    items_total: int
    items_done: int
    items_failed: int


class JobError(BaseModel):
    """Why the job failed or stopped: ``code`` (e.g. ``unsupported_format``,
    ``llm_unavailable``, ``worker_lost``, ``cancelled``) and a one-line ``message``."""

    code: str
    message: str


class JobUsage(BaseModel):
    """Provider tokens used; estimated cost in USD (null when the model has no known price)."""

    input_tokens: int
    output_tokens: int
    reasoning_tokens: int = Field(
        description="The part of output_tokens the models spent thinking (billed as output)."
    )
    estimated_cost_usd: float | None


class OnDemandRequest(BaseModel):
    """What an on-demand job does: the functions (hex addresses) and, for ``explain``, the
    scope (``selection``, ``rest``, ``failed``)."""

    addresses: list[str] | None = None
    scope: ExplainScope | None = None


class JobPublic(BaseModel):
    """A job's state. ``progress`` is 0-100; ``message`` describes the current step, and on a
    completed job what a time budget cut from a partial result and which parts' explanations
    failed (``explanations failed for imports, strings, program ...``; else null)."""

    id: UUID
    status: JobStatus
    stage: JobStage
    progress: int
    message: str | None
    counts: JobCounts
    file_info: FileInfo
    options: JobOptionsPublic
    provider: ProviderSnapshot | None
    error: JobError | None
    usage: JobUsage
    analysis_reused: bool
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime
    status_url: str
    events_url: str
    report_url: str
    kind: JobKind = Field(
        default=JobKind.ANALYSIS,
        description="`analysis`, or an on-demand job on the analysis job `parent_job_id`",
    )
    parent_job_id: UUID | None = None
    request: OnDemandRequest | None = Field(
        default=None, description="what an on-demand job was asked (null for an analysis)"
    )
    result_revision: str | None = Field(
        default=None,
        description="changes whenever the job's stored result changes (the analysis stored, "
        "explanations added while it runs, the final result, an on-demand merge); null while "
        "it has none",
    )


class JobDetail(JobPublic):
    """A job with its result document once it has one (analysis and explanations)."""

    result: JobResult | None = None


class JobsPublic(BaseModel):
    """One page of jobs (newest first) and the total matching the filter."""

    data: list[JobPublic]
    count: int


class JobSubmitted(BaseModel):
    """The answer to an accepted upload (HTTP 202)."""

    job_id: UUID
    status: JobStatus
    file_info: FileInfo
    status_url: str


def file_info(job: Job) -> FileInfo:
    """The job's file facts."""
    return FileInfo(
        name=job.file_name,
        size=job.file_size,
        sha256=job.file_sha256,
        format=job.file_format,
        arch=job.file_arch,
    )


def job_public(job: Job) -> JobPublic:
    """Map a row to its response form (paths relative to the server root)."""
    provider = None
    if job.provider_name is not None and job.provider_type is not None:
        provider = ProviderSnapshot(
            id=job.provider_id,
            name=job.provider_name,
            provider_type=ProviderType(job.provider_type),
            model=job.provider_model,
        )
    error = None
    if job.error_code is not None:
        error = JobError(code=job.error_code, message=job.error_message or "")
    return JobPublic(
        result_revision=job.result_sha256[:RESULT_REVISION_CHARS] if job.result_sha256 else None,
        id=job.id,
        status=JobStatus(job.status),
        stage=JobStage(job.stage),
        progress=job.progress,
        message=job.message,
        counts=JobCounts(
            functions_total=job.functions_total,
            functions_decompiled=job.functions_decompiled,
            functions_selected=job.functions_selected,
            items_total=job.items_total,
            items_done=job.items_done,
            items_failed=job.items_failed,
        ),
        file_info=file_info(job),
        options=JobOptionsPublic(
            analysis_depth=AnalysisDepth(job.analysis_depth),
            translation_detail=TranslationDetail(job.translation_detail),
            function_limit=job.function_limit,
            budget_tokens=job.budget_tokens,
            budget_usd=job.budget_usd,
        ),
        provider=provider,
        error=error,
        usage=JobUsage(
            input_tokens=job.input_tokens,
            output_tokens=job.output_tokens,
            reasoning_tokens=job.reasoning_tokens or 0,
            estimated_cost_usd=job.estimated_cost_usd,
        ),
        analysis_reused=job.analysis_reused,
        attempts=job.attempts,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        updated_at=job.updated_at,
        status_url=f"/api/v1/decompile/{job.id}",
        events_url=f"/api/v1/jobs/{job.id}/events",
        report_url=f"/api/v1/jobs/{job.id}/report",
        kind=JobKind(job.kind or JobKind.ANALYSIS),
        parent_job_id=job.parent_job_id,
        request=_request(job),
    )


def _request(job: Job) -> OnDemandRequest | None:
    if job.request is None:
        return None
    addresses = job.request.get("addresses")
    return OnDemandRequest(
        addresses=[f"{a:#x}" for a in addresses] if addresses else None,
        scope=job.request.get("scope"),
    )
