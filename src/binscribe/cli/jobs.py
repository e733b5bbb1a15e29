"""``binscribe jobs``: list, show, cancel jobs, purge expired uploads in the configured
database, and on-demand ``decompile``/``explain`` on a finished job."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer

from binscribe.api.schemas.jobs import job_public
from binscribe.cli import ondemand
from binscribe.cli._context import cli_context
from binscribe.db import jobs as job_repo
from binscribe.db.enums import JobStatus
from binscribe.jobs.markdown import render_markdown
from binscribe.jobs.results import load_result
from binscribe.jobs.retention import purge_expired_uploads

app = typer.Typer(help="Analysis jobs.", no_args_is_help=True)
app.command("decompile")(ondemand.decompile)
app.command("explain")(ondemand.explain)


@app.command("list")
def list_command(
    status: Annotated[JobStatus | None, typer.Option(help="Only jobs with this status.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 20,
) -> None:
    """List jobs: id, status, stage, progress, file, provider, created."""
    ctx = cli_context()
    with ctx.sessions() as session:
        rows, total = job_repo.list_jobs(session, status=status, limit=limit)
    for row in rows:
        provider = row.provider_name or "-"
        typer.echo(
            f"{row.id}\t{row.status}\t{row.stage}\t{row.progress}%\t{row.file_name}\t"
            f"{provider}\t{row.created_at:%Y-%m-%d %H:%M:%S}"
        )
    typer.echo(f"{len(rows)} of {total} jobs", err=True)


@app.command("show")
def show(
    job_id: Annotated[uuid.UUID, typer.Argument(help="Job id.")],
    report: Annotated[bool, typer.Option(help="Print the Markdown report instead.")] = False,
) -> None:
    """Show a job as JSON (or its Markdown report with --report)."""
    ctx = cli_context()
    with ctx.sessions() as session:
        job = job_repo.get_job(session, job_id)
    if not report:
        typer.echo(job_public(job).model_dump_json(indent=2))
        return
    if job.result_sha256 is None:
        typer.echo(f"binscribe: job {job_id} has no result (status {job.status})", err=True)
        raise typer.Exit(1)
    typer.echo(render_markdown(load_result(ctx.blobs, job.result_sha256)), nl=False)


@app.command("cancel")
def cancel(job_id: Annotated[uuid.UUID, typer.Argument(help="Job id.")]) -> None:
    """Cancel a queued or running job."""
    ctx = cli_context()
    with ctx.sessions.begin() as session:
        job_repo.cancel_job(session, job_id)
    typer.echo(f"cancelled {job_id}")


@app.command("purge")
def purge() -> None:
    """Delete uploaded files of jobs finished more than BINSCRIBE_UPLOAD_RETENTION_DAYS ago."""
    ctx = cli_context()
    deleted = purge_expired_uploads(ctx)
    typer.echo(
        f"deleted {deleted} uploaded files older than {ctx.settings.upload_retention_days} days"
    )
