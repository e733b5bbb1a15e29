"""``binscribe users``: accounts of people who sign in to the web UI and API.

Creating the first user switches the instance from the implicit local user to sign-in.
Passwords are prompted (hidden, twice) or read from one line of stdin with ``--password-stdin``
(for scripts); they are stored as argon2 hashes and never printed.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from binscribe.auth import users as repo
from binscribe.cli._context import cli_context
from binscribe.db.account_models import UserRole

app = typer.Typer(help="User accounts (sign-in for the UI and API).", no_args_is_help=True)

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first stdin line.")
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, '.', '_', '-').")],
    admin: Annotated[bool, typer.Option("--admin", help="Make the user an admin.")] = False,
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a user; the first user switches the instance to sign-in."""
    ctx = cli_context()
    with ctx.sessions() as session:
        first = not repo.users_exist(session)
        role = UserRole.ADMIN if admin else UserRole.MEMBER
        user = repo.create_user(session, name=name, password=_password(password_stdin), role=role)
        session.commit()
        typer.echo(f"created {user.role} {user.name}")
    if first:
        typer.echo("this instance now requires sign-in (web UI) or a personal API token")


@app.command("list")
def list_command() -> None:
    """List users: name, role, state, last sign-in."""
    ctx = cli_context()
    with ctx.sessions() as session:
        rows = repo.list_users(session)
        if not rows:
            typer.echo("no users; the instance runs as the implicit local user")
        for row in rows:
            state = "active" if row.is_active else "disabled"
            last = row.last_login_at.isoformat(timespec="seconds") if row.last_login_at else "never"
            typer.echo(f"{row.name}\t{row.role}\t{state}\tlast sign-in {last}")


def _set_active(name: str, active: bool) -> None:
    ctx = cli_context()
    with ctx.sessions() as session:
        user = repo.set_active(session, name=name, active=active)
        session.commit()
        typer.echo(f"{'enabled' if active else 'disabled'} {user.name}")


@app.command("disable")
def disable(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Disable a user: sign-in, their sessions and tokens stop working."""
    _set_active(name, False)


@app.command("enable")
def enable(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Enable a disabled user again."""
    _set_active(name, True)


@app.command("reset-password")
def reset_password(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a new password; the user's browser sessions end."""
    ctx = cli_context()
    with ctx.sessions() as session:
        user = repo.reset_password(session, name=name, password=_password(password_stdin))
        session.commit()
        typer.echo(f"password of {user.name} changed; their sessions ended")
