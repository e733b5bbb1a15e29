"""``GET /api/v1/jobs/{id}/export``: a finished job's names and comments as a script for IDA,
Ghidra, Binary Ninja or radare2, or as the JSON symbol map (see :mod:`binscribe.exports`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from binscribe.api.deps import BlobsDep, SessionDep
from binscribe.db import jobs as job_repo
from binscribe.exports import ExportFormat, render_export
from binscribe.exports.options import export_options
from binscribe.jobs.results import finished_result

router = APIRouter(tags=["jobs"])

_MEDIA: dict[str, dict[str, object]] = {
    "text/x-python": {},
    "text/plain": {},
    "application/json": {},
}


@router.get(
    "/jobs/{job_id}/export",
    response_class=Response,
    responses={
        200: {"content": _MEDIA, "description": "The script or symbol map, as a download."},
        404: {"description": "Unknown job (`job_not_found`)."},
        409: {"description": "The job has no result yet (`result_not_ready`)."},
    },
)
def export_job(
    job_id: uuid.UUID,
    session: SessionDep,
    blobs: BlobsDep,
    format: Annotated[ExportFormat, Query(description="The tool the export is for.")],
    prefix: Annotated[str, Query(description="Put before every applied name, e.g. bs_.")] = "",
    min_confidence: Annotated[
        float, Query(description="Keep a function's name when the model's confidence is lower.")
    ] = 0.0,
    evidence_comments: Annotated[
        bool, Query(description="Also comment the addresses cited as evidence.")
    ] = False,
) -> Response:
    """Download a script applying the job's function names and comments in IDA, Ghidra, Binary
    Ninja or radare2, or the JSON symbol map."""
    options = export_options(prefix, min_confidence, evidence_comments)
    job = job_repo.get_job(session, job_id)
    result = finished_result(blobs, job)
    export = render_export(
        format, result.analysis, result.explanation, options, file_name=result.file_name
    )
    disposition = f'attachment; filename="{export.file_name}"'
    return Response(
        export.text,
        media_type=export.media_type,
        headers={"Content-Disposition": disposition},
    )
