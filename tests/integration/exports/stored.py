"""A job as the pipeline leaves it, without running angr again: the stored result of an export
fixture (``tests/fixtures/exports/results``) saved in the blob store, and the job row moved
through the repository's own transitions (queued -> running -> completed)."""

from __future__ import annotations

import uuid

from binscribe.db import jobs as job_repo
from binscribe.jobs.context import JobContext
from binscribe.jobs.results import save_result
from binscribe.settings import Settings
from tests.unit.exports.conftest import job_result


def store_job(settings: Settings, binary: str, *, finished: bool = True) -> uuid.UUID:
    """A job for ``binary`` (an export fixture); completed with its result when ``finished``,
    else left queued."""
    ctx = JobContext.build(settings)
    try:
        result = job_result(binary)
        info = result.analysis.binary
        with ctx.sessions.begin() as session:
            job = job_repo.create_job(
                session,
                file_sha256=info.sha256,
                file_name=result.file_name,
                file_size=info.size,
                file_format=info.format,
                file_arch=info.arch,
                analysis_depth="standard",
                translation_detail="standard",
            )
            job_id = job.id
        if finished:
            sha256 = save_result(ctx.blobs, result.model_copy(update={"job_id": job_id}))
            with ctx.sessions.begin() as session:
                claimed = job_repo.claim_job(session, job_id)
                assert claimed is not None
                finished_now = job_repo.finish_job(
                    session,
                    job_id,
                    attempt=claimed.attempts,
                    status="completed",
                    result_sha256=sha256,
                )
                assert finished_now
        return job_id
    finally:
        ctx.engine.dispose()
