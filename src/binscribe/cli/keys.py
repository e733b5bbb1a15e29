"""``binscribe keys``: make encryption keys and re-encrypt stored API keys with the primary one.

Rotation: put the new key first and keep the old ones after it
(``LLM_PROVIDER_ENCRYPTION_KEY=new,old``), run ``binscribe keys rotate``, then drop the old
keys. When moving from the embedded key file to the variable, list the file's key last.
"""

from __future__ import annotations

import typer
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from binscribe.crypto import generate_key, load_cipher
from binscribe.db.engine import make_engine, make_session_factory
from binscribe.db.models import UserLLMProvider
from binscribe.db.providers import rotate_keys
from binscribe.errors import ConfigError
from binscribe.settings import get_settings

app = typer.Typer(
    help="Encryption keys that protect stored provider API keys.", no_args_is_help=True
)


@app.command("generate")
def generate() -> None:
    """Print a new Fernet key, for LLM_PROVIDER_ENCRYPTION_KEY."""
    typer.echo(generate_key())


@app.command("rotate")
def rotate() -> None:
    """Re-encrypt every stored API key with the first configured key (one transaction).

    Prints the counts; exits 1 when some keys could not be decrypted (they are left as they
    are and listed by provider name: enter those keys again).
    """
    settings = get_settings()
    cipher = load_cipher(settings)
    engine = make_engine(settings.sqlalchemy_url)
    try:
        if not inspect(engine).has_table(UserLLMProvider.__tablename__):
            shown = make_url(settings.sqlalchemy_url).render_as_string(hide_password=True)
            raise ConfigError(
                f"the database {shown} is not initialised; run `binscribe db upgrade`"
            )
        with make_session_factory(engine).begin() as session:
            report = rotate_keys(session, cipher)
    finally:
        engine.dispose()
    line = (
        f"re-encrypted {report.rotated}, already current {report.already_current}, "
        f"could not decrypt {len(report.failed)}"
    )
    if report.failed:
        line += ": " + ", ".join(report.failed)
    typer.echo(line)
    if report.failed:
        raise typer.Exit(1)
