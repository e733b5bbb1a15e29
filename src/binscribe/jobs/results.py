"""The stored result of a job: the analysis result plus the explanation report (when the job had
a provider), saved once as a gzip JSON blob and read by the API, the CLI and the report."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict

from binscribe.analysis.models import AnalysisResult
from binscribe.db.models import Job
from binscribe.errors import ConflictError
from binscribe.explain.report import ExplanationReport
from binscribe.jobs.blobs import BlobStore


class JobResult(BaseModel):
    """Everything a completed job produced. ``file_name`` is the client's name (metadata);
    ``explanation`` is None for a job without a provider."""

    model_config = ConfigDict(extra="forbid")

    result_version: Literal["1"] = "1"
    job_id: uuid.UUID
    file_name: str
    analysis: AnalysisResult
    explanation: ExplanationReport | None = None


def save_result(blobs: BlobStore, result: JobResult) -> str:
    """Store ``result``; returns the blob's sha256."""
    return blobs.put_json(result.model_dump_json()).sha256


def load_result(blobs: BlobStore, sha256: str) -> JobResult:
    """Read a stored result; ``FileNotFoundError`` when the blob is gone."""
    return JobResult.model_validate_json(blobs.read_json(sha256))


def finished_result(blobs: BlobStore, job: Job) -> JobResult:
    """The stored result of ``job``; ConflictError ``result_not_ready`` (409) while it has none
    (queued, running, failed, cancelled) or when its blob is gone."""
    try:
        if job.result_sha256 is not None:
            return load_result(blobs, job.result_sha256)
    except FileNotFoundError:
        pass
    raise ConflictError(
        f"job {job.id} has no result yet (status {job.status})",
        code="result_not_ready",
        details={"status": job.status},
    )
