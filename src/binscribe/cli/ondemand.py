"""``binscribe jobs decompile`` and ``binscribe jobs explain``: on-demand work on a finished job,
run in this process like ``analyze`` (see :mod:`binscribe.jobs.ondemand`). Exit 0 when the small
job completed, 1 when it failed or was cancelled, 2 on bad input (one line on stderr)."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer

from binscribe import providers
from binscribe.cli._context import cli_context
from binscribe.cli.analyze import _follow
from binscribe.db import jobs as job_repo
from binscribe.db.enums import JobStatus
from binscribe.db.models import Job
from binscribe.errors import ValidationFailed
from binscribe.jobs.context import JobContext
from binscribe.jobs.ondemand import (
    ExplainRequest,
    ExplainScope,
    submit_decompile_function,
    submit_explain,
)


def _address(text: str) -> int:
    try:
        return int(text, 16)
    except ValueError:
        raise ValidationFailed(
            f"Invalid address: {text[:40]!r} is not a hex address like 0x4011c1",
            code="invalid_address",
        ) from None


def _run(ctx: JobContext, job: Job) -> None:
    status = _follow(ctx, job.id)
    with ctx.sessions() as session:
        done = job_repo.get_job(session, job.id)
    if status != JobStatus.COMPLETED:
        typer.echo(
            f"binscribe: job {job.id} {status}: {done.error_message} ({done.error_code})", err=True
        )
        raise typer.Exit(1)
    typer.echo(
        f"{job.kind} job {job.id} completed; merged into job {job.parent_job_id} "
        f"({done.input_tokens} input, {done.output_tokens} output tokens)"
    )


def decompile(
    job_id: Annotated[uuid.UUID, typer.Argument(help="A finished analysis job.")],
    address: Annotated[str, typer.Argument(help="The function's hex start address.")],
) -> None:
    """Decompile one more function of a finished job (merged into its result)."""
    ctx = cli_context()
    _run(ctx, submit_decompile_function(ctx.sessions, ctx.blobs, job_id, _address(address)))


def explain(
    job_id: Annotated[uuid.UUID, typer.Argument(help="A finished analysis job.")],
    address: Annotated[
        list[str] | None, typer.Option("--address", "-a", help="A function (hex); repeat.")
    ] = None,
    scope: Annotated[
        str, typer.Option(help="selection (the --address functions), rest, or failed.")
    ] = ExplainScope.SELECTION,
    provider: Annotated[
        str | None,
        typer.Option("--provider", "-p", help="Provider name or id (default: the job's)."),
    ] = None,
) -> None:
    """Explain functions of a finished job: a selection, the rest, or the failed items again."""
    ctx = cli_context()
    with ctx.sessions() as session:
        provider_id = providers.provider_id_named(session=session, name_or_id=provider or "")
    if scope not in tuple(ExplainScope):
        raise ValidationFailed(
            f"unknown scope {scope!r}: {', '.join(ExplainScope)}", code="invalid_request"
        )
    addresses = [_address(a) for a in address] if address else None
    ask = ExplainRequest.model_validate(
        {"scope": scope, "addresses": addresses, "provider_id": provider_id}
    )
    _run(ctx, submit_explain(ctx.sessions, ctx.blobs, ctx.cipher, job_id, ask))
