"""``binscribe export JOB --format ida|ghidra|binja|r2|json``: a finished job's names and comments
as a script for the analyst's tool (see :mod:`binscribe.exports`), on stdout or in ``-o FILE``.

Bad input (not a job id, unknown format or option, unknown job, job without a result) prints one
line and exits 2, like every binscribe error.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated

import typer

from binscribe.cli._context import cli_context
from binscribe.db import jobs as job_repo
from binscribe.errors import ValidationFailed
from binscribe.exports import ExportFormat, render_export
from binscribe.exports.options import export_options
from binscribe.jobs.results import finished_result

FORMATS = ", ".join(f.value for f in ExportFormat)


def _job_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ValidationFailed(f"not a job id: {text!r} (see `binscribe jobs list`)") from None


def _format(text: str) -> ExportFormat:
    try:
        return ExportFormat(text)
    except ValueError:
        raise ValidationFailed(f"unknown format {text!r}: use one of {FORMATS}") from None


def export_command(
    job: Annotated[str, typer.Argument(help="Job id (see `binscribe jobs list`).")],
    export_format: Annotated[str, typer.Option("--format", "-f", help=f"One of {FORMATS}.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    prefix: Annotated[str, typer.Option(help="Put before every applied name, e.g. bs_.")] = "",
    min_confidence: Annotated[
        float, typer.Option(help="Keep a function's name when the model's confidence is lower.")
    ] = 0.0,
    evidence_comments: Annotated[
        bool, typer.Option(help="Also comment the addresses cited as evidence.")
    ] = False,
) -> None:
    """Export a finished job's function names and comments for IDA, Ghidra, Binary Ninja,
    radare2, or as a JSON symbol map."""
    fmt = _format(export_format)
    options = export_options(prefix, min_confidence, evidence_comments)
    job_id = _job_id(job)
    ctx = cli_context()
    with ctx.sessions() as session:
        row = job_repo.get_job(session, job_id)
    result = finished_result(ctx.blobs, row)
    export = render_export(
        fmt, result.analysis, result.explanation, options, file_name=result.file_name
    )
    if output is None:
        typer.echo(export.text, nl=False)
        return
    output.write_text(export.text)
    typer.echo(f"wrote {output} ({fmt.value} export of job {job_id})", err=True)
