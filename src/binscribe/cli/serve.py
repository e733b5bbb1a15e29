"""``binscribe serve``: the API and the UI in one process."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from sqlalchemy import inspect

from binscribe.auth.users import users_exist
from binscribe.db.account_models import User
from binscribe.db.engine import make_engine, make_session_factory
from binscribe.errors import ConfigError
from binscribe.settings import Settings, get_settings

log = logging.getLogger(__name__)


def _has_users(settings: Settings) -> bool:
    """True when the database has a users table with a user in it."""
    engine = make_engine(settings.sqlalchemy_url)
    try:
        if not inspect(engine).has_table(User.__tablename__):
            return False
        with make_session_factory(engine)() as session:
            return users_exist(session)
    finally:
        engine.dispose()


def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to bind (default BINSCRIBE_HOST or 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default BINSCRIBE_PORT or 8000).")] = None,
) -> None:
    """Serve the API at /api/v1 and the web UI at / until interrupted.

    Refuses (exit 2) a non-loopback address while the instance has no users and no
    BINSCRIBE_API_TOKEN: anyone reaching it would be the implicit local admin."""
    import uvicorn

    from binscribe.api.app import create_app

    base = get_settings()
    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    settings = Settings.model_validate({**base.model_dump(), **overrides}) if overrides else base
    if not settings.host_is_loopback and settings.api_token is None and not _has_users(settings):
        raise ConfigError(
            f"refusing to serve on {settings.host} with no users and no BINSCRIBE_API_TOKEN: "
            "create one with `binscribe users create NAME --admin`, set the token, or bind to "
            "127.0.0.1"
        )
    app = create_app(settings)
    log.info("binscribe listening on http://%s:%d", settings.host, settings.port)
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None)
