"""The stored result of a job: the analysis result plus the explanation report (when the job had
a provider), saved once as a gzip JSON blob and read by the API, the CLI and the report."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict

from binscribe.analysis.models import AnalysisResult
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
