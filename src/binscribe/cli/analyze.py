"""``binscribe analyze FILE`` and ``binscribe demo``: run a job in this process, no server.

The job goes through the same database, blob store and pipeline as the server's; progress is
drawn on stderr, the report goes to stdout or ``-o``. Exit codes: 0 completed, 1 the job failed
or was interrupted, 2 bad input (unreadable file, not a binary, unknown provider, ...).
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from binscribe.analysis.models import AnalysisDepth
from binscribe.cli._context import cli_context, find_provider
from binscribe.db import jobs as job_repo
from binscribe.db.enums import JobStatus
from binscribe.demo import demo_binary
from binscribe.errors import ValidationFailed
from binscribe.explain.report import TranslationDetail
from binscribe.jobs.context import JobContext
from binscribe.jobs.markdown import render_markdown
from binscribe.jobs.pipeline import run_job
from binscribe.jobs.results import load_result
from binscribe.jobs.submit import MAX_BUDGET_TOKENS, MAX_BUDGET_USD, JobOptions, submit_job

DEMO_FUNCTION_LIMIT = 8
ADD_PROVIDER_HINT = (
    "To have functions explained, add a provider (`binscribe providers add` or "
    "`binscribe providers import-env`) and run `DEMO_PROVIDER=<name> make demo`."
)


class ReportFormat(StrEnum):
    markdown = "markdown"
    json = "json"


def _store_file(
    ctx: JobContext, path: Path, provider: str | None, options: JobOptions
) -> uuid.UUID:
    if not path.is_file():
        raise ValidationFailed(f"{path} is not a readable file", code="file_not_found")
    with ctx.blobs.writer(limit=ctx.settings.max_upload_bytes) as writer, path.open("rb") as src:
        while chunk := src.read(1024 * 1024):
            writer.write(chunk)
        blob = writer.commit()
    with ctx.sessions() as session:
        provider_id = find_provider(session, provider).id if provider else None
    job = submit_job(
        ctx.sessions,
        cipher=ctx.cipher,
        blob=blob,
        file_name=path.name,
        options=options,
        provider_id=provider_id,
    )
    return job.id


def _follow(ctx: JobContext, job_id: uuid.UUID) -> str:
    """Run the job in a thread, drawing its progress on stderr; returns its final status."""
    worker = threading.Thread(target=run_job, args=(ctx, job_id), name="binscribe-analyze")
    worker.start()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[message]}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(JobStatus.QUEUED, total=100, message="")
        try:
            while worker.is_alive():
                with ctx.sessions() as session:
                    job = job_repo.get_job(session, job_id)
                bar.update(
                    task, completed=job.progress, description=job.stage, message=job.message or ""
                )
                time.sleep(0.3)
        except KeyboardInterrupt:
            with ctx.sessions.begin() as session:
                job_repo.cancel_job(session, job_id)
            worker.join()
    with ctx.sessions() as session:
        return job_repo.get_job(session, job_id).status


def run_analysis_command(
    path: Path,
    *,
    provider: str | None,
    options: JobOptions,
    report_format: ReportFormat,
    output: Path | None,
    hint: str | None = None,
) -> None:
    """Submit, run and report one job; exits 1 when it did not complete."""
    ctx = cli_context()
    job_id = _store_file(ctx, path, provider, options)
    status = _follow(ctx, job_id)
    with ctx.sessions() as session:
        job = job_repo.get_job(session, job_id)
    if job.result_sha256 is not None:
        result = load_result(ctx.blobs, job.result_sha256)
        text = (
            result.model_dump_json(indent=2) + "\n"
            if report_format is ReportFormat.json
            else render_markdown(result)
        )
        if output is not None:
            output.write_text(text)
            typer.echo(f"report written to {output}", err=True)
        else:
            typer.echo(text, nl=False)
    if status != JobStatus.COMPLETED:
        typer.echo(
            f"binscribe: job {job_id} {status}: {job.error_message} ({job.error_code})", err=True
        )
        raise typer.Exit(1)
    if job.message:  # a completed job's message says what was cut from a partial result
        typer.echo(f"binscribe: {job.message}", err=True)
    if hint:
        typer.echo(hint, err=True)


def analyze(
    file: Annotated[Path, typer.Argument(help="The binary (ELF, PE or Mach-O).")],
    provider: Annotated[
        str | None, typer.Option("--provider", "-p", help="Provider name or id to explain with.")
    ] = None,
    depth: Annotated[AnalysisDepth, typer.Option(help="Analysis depth.")] = AnalysisDepth.STANDARD,
    detail: Annotated[
        TranslationDetail, typer.Option(help="Explanation detail.")
    ] = TranslationDetail.STANDARD,
    function_limit: Annotated[
        int | None,
        typer.Option(min=1, help="Decompile and explain at most this many functions."),
    ] = None,
    report_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Report format.")
    ] = ReportFormat.markdown,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
    budget_tokens: Annotated[
        str | None,
        typer.Option(metavar="TOKENS", help="Stop explaining after this many provider tokens."),
    ] = None,
    budget_usd: Annotated[
        str | None,
        typer.Option(metavar="USD", help="Stop explaining after this estimated cost in USD."),
    ] = None,
) -> None:
    """Analyze FILE in this process (no server needed) and print its report."""
    options = JobOptions(
        analysis_depth=depth,
        translation_detail=detail,
        function_limit=function_limit,
        budget_tokens=_budget("--budget-tokens", budget_tokens, int),
        budget_usd=_budget("--budget-usd", budget_usd, float),
    )
    run_analysis_command(
        file, provider=provider, options=options, report_format=report_format, output=output
    )


def _budget[N: (int, float)](option: str, raw: str | None, kind: type[N]) -> N | None:
    """``raw`` as a ``kind`` that :class:`JobOptions` accepts for ``option`` (None when not
    given).

    Raises:
        ValidationFailed: ``invalid_budget``, one line naming the option and the range.
    """
    if raw is None:
        return None
    try:
        value = kind(raw)
        JobOptions.model_validate({option.removeprefix("--").replace("-", "_"): value})
    except ValueError:  # pydantic's ValidationError is one too
        wanted = (
            f"a whole number of tokens from 1 to {MAX_BUDGET_TOKENS:,}"
            if kind is int
            else f"an amount in USD above 0 and at most {MAX_BUDGET_USD:g}"
        )
        raise ValidationFailed(
            f"{option} must be {wanted} (got {raw!r})", code="invalid_budget"
        ) from None
    return value


def demo() -> None:
    """Analyze a real binary end to end; explains with the provider named in DEMO_PROVIDER."""
    path = demo_binary()
    if path is None:
        raise ValidationFailed("no demo binary found: run `binscribe analyze FILE` instead")
    provider = os.environ.get("DEMO_PROVIDER", "").strip() or None
    typer.echo(
        f"binscribe demo: analyzing {path}" + (f" with provider {provider}" if provider else ""),
        err=True,
    )
    options = JobOptions(analysis_depth=AnalysisDepth.STANDARD, function_limit=DEMO_FUNCTION_LIMIT)
    run_analysis_command(
        path,
        provider=provider,
        options=options,
        report_format=ReportFormat.markdown,
        output=None,
        hint=None if provider else ADD_PROVIDER_HINT,
    )
