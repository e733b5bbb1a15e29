"""The ``binscribe`` command line: ``serve``, ``users``, ``tokens``, ``keys``, ``db``, ``inspect``,
``eval`` and more.

Errors from binscribe (:class:`~binscribe.errors.BinscribeError`) and invalid settings print one
line on stderr and exit with code 2 (bad input or configuration); no traceback reaches the user.
"""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

from binscribe.cli import (
    analyze,
    db,
    eval,
    export,
    inspect,
    jobs,
    keys,
    mcp_stdio,
    providers,
    serve,
    tokens,
    users,
    worker,
)
from binscribe.errors import BinscribeError
from binscribe.settings import settings_error

app = typer.Typer(
    name="binscribe",
    help="Decompile binaries with angr and explain them with your own LLM providers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("serve")(serve.serve)
app.command("inspect")(inspect.inspect_command)
app.add_typer(keys.app, name="keys")
app.add_typer(db.app, name="db")
app.command("analyze")(analyze.analyze)
app.command("demo")(analyze.demo)
app.command("worker")(worker.worker)
app.add_typer(jobs.app, name="jobs")
app.command("export")(export.export_command)
app.command("eval")(eval.eval_command)
app.command("mcp")(mcp_stdio.mcp_command)
app.add_typer(providers.app, name="providers")
app.add_typer(users.app, name="users")
app.add_typer(tokens.app, name="tokens")


@app.callback()
def _root() -> None:
    """Decompile binaries with angr and explain them with your own LLM providers."""


def main() -> None:
    """Console entry point: run the app, turning binscribe errors into one line and exit 2."""
    try:
        app()
    except BinscribeError as exc:
        typer.echo(f"binscribe: error: {exc.message}", err=True)
        sys.exit(2)
    except ValidationError as exc:
        if exc.title != "Settings":
            raise
        typer.echo(f"binscribe: error: {settings_error(exc)}", err=True)
        sys.exit(2)
