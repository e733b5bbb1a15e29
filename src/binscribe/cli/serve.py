"""``binscribe serve``: the API and the UI in one process."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from binscribe.auth.users import users_exist
from binscribe.errors import ConfigError
from binscribe.settings import Settings, get_settings

log = logging.getLogger(__name__)


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
    app = create_app(settings)
    if not settings.host_is_loopback and settings.api_token is None:
        with app.state.session_factory() as session:
            has_users = users_exist(session)
        if not has_users:
            app.state.engine.dispose()
            raise ConfigError(
                f"refusing to serve on {settings.host} with no users and no "
                "BINSCRIBE_API_TOKEN: create one with `binscribe users create NAME --admin`, "
                "set the token, or bind to 127.0.0.1"
            )
    log.info("binscribe listening on http://%s:%d", settings.host, settings.port)
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None)
