"""``binscribe eval``: measure providers on binaries whose true function names you have.

Give unstripped binaries (or directories of them); each is stripped (or its ``.stripped``
sibling used), analyzed once, and explained by every ``--provider`` on the same functions. Prints
a table (and with ``--json FILE`` writes the full document). Exit 2 on bad input.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from binscribe.cli._context import cli_context, find_provider
from binscribe.evaluation import ProviderTarget, evaluate, evaluation_table, reference_files
from binscribe.evaluation.corpus import reference_symbols
from binscribe.explain.report import TranslationDetail
from binscribe.providers import provider_config

DEFAULT_FUNCTIONS = 10


def eval_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="BINARY", help="Unstripped binaries (the reference), or directories."
        ),
    ],
    providers: Annotated[
        list[str],
        typer.Option("--provider", "-p", help="Provider name or id; repeat to compare several."),
    ],
    functions: Annotated[
        int, typer.Option(min=1, help="Explain at most this many functions per binary.")
    ] = DEFAULT_FUNCTIONS,
    detail: Annotated[
        TranslationDetail, typer.Option(help="Explanation detail.")
    ] = TranslationDetail.STANDARD,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the full results as JSON here.")
    ] = None,
) -> None:
    """Score providers' suggested names and explanations against binaries' real symbols."""
    ctx = cli_context()
    references = reference_files(paths)
    for reference in references:
        reference_symbols(reference)  # refuse a stripped "reference" before any work
    with ctx.sessions() as session:
        rows = [find_provider(session, name) for name in providers]
        targets = [ProviderTarget(row.name, provider_config(row, ctx.cipher)) for row in rows]
    err = Console(stderr=True)
    report = asyncio.run(
        evaluate(
            references,
            targets,
            function_limit=functions,
            detail=detail,
            allow_private_endpoints=ctx.settings.allow_private_endpoints,
            progress=lambda message: err.print(f"[dim]{message}[/dim]"),
        )
    )
    Console(width=200).print(evaluation_table(report))
    if json_path is not None:
        json_path.write_text(report.model_dump_json(indent=2) + "\n")
        typer.echo(f"results written to {json_path}", err=True)
