"""``binscribe db``: database schema management."""

from __future__ import annotations

import typer
from sqlalchemy.engine import make_url

from binscribe.db.engine import current_revision, make_engine, upgrade_database
from binscribe.settings import get_settings

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.callback()
def _db() -> None:
    """Database schema (BINSCRIBE_DATABASE_URL, default SQLite in the data dir)."""


@app.command("upgrade")
def upgrade() -> None:
    """Apply the schema revisions up to the newest one; does nothing when already there."""
    url = get_settings().sqlalchemy_url
    shown = make_url(url).render_as_string(hide_password=True)
    engine = make_engine(url)
    try:
        before = current_revision(engine)
        upgrade_database(url)
        after = current_revision(engine)
    finally:
        engine.dispose()
    if before == after:
        typer.echo(f"{shown} is already at revision {after}")
    else:
        typer.echo(f"{shown} upgraded from revision {before or '(empty)'} to {after}")
