"""``binscribe tokens``: personal API tokens for the CLI, scripts and MCP clients.

A token is printed once when created and stored only as a SHA-256 hash; send it as
``Authorization: Bearer <token>``. It acts as its user and stops working when revoked or when
the user is disabled.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import typer

from binscribe.auth import credentials
from binscribe.auth.users import get_user, list_users
from binscribe.cli._context import cli_context
from binscribe.errors import ValidationFailed

app = typer.Typer(help="Personal API tokens (shown once, stored hashed).", no_args_is_help=True)

UserOption = Annotated[str, typer.Option("--user", help="The user the token belongs to.")]


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="A name to recognise the token by.")],
    user: UserOption,
) -> None:
    """Create a token for a user and print it (the only time it is shown)."""
    ctx = cli_context()
    with ctx.sessions() as session:
        created = credentials.create_token(session, user=get_user(session, user), name=name)
        session.commit()
        typer.echo(created.value)
        typer.echo(
            f"token {created.row.id} for {user.strip().lower()}: store it now, it is not "
            "shown again",
            err=True,
        )


def _when(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else "never"


@app.command("list")
def list_command(
    user: Annotated[str | None, typer.Option("--user", help="Only this user's tokens.")] = None,
) -> None:
    """List tokens: id, user, name, first characters, created, last used."""
    ctx = cli_context()
    with ctx.sessions() as session:
        owners = [get_user(session, user)] if user else list_users(session)
        found = False
        for owner in owners:
            for row in credentials.list_tokens(session, owner):
                found = True
                fields = (row.id, owner.name, row.name, f"{row.token_hint}...")
                dates = f"created {_when(row.created_at)}\tused {_when(row.last_used_at)}"
                typer.echo("\t".join(map(str, fields)) + "\t" + dates)
        if not found:
            typer.echo("no tokens")


@app.command("revoke")
def revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id (see `tokens list`).")],
) -> None:
    """Revoke a token; it stops working at once."""
    try:
        parsed = uuid.UUID(token_id)
    except ValueError:
        raise ValidationFailed(
            f"{token_id!r} is not a token id.", code="invalid_token_id"
        ) from None
    ctx = cli_context()
    with ctx.sessions() as session:
        credentials.revoke_token(session, user=None, token_id=parsed)
        session.commit()
        typer.echo(f"revoked {parsed}")
