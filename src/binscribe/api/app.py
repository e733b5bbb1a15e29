"""The app factory: ``create_app(settings)`` wires settings, database, cipher and routers.

Start-up refuses to continue (raising :class:`~binscribe.errors.ConfigError`) when the encryption
key is invalid. The embedded SQLite database is upgraded to the newest schema on start;
PostgreSQL deployments run ``binscribe db upgrade`` once per release instead. The API reference
at ``/docs`` (Swagger UI) and ``/redoc`` loads its scripts and styles from this server
(``/docs/static``, shipped by fastapi-offline), so it works offline.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from starlette.middleware.trustedhost import TrustedHostMiddleware

from binscribe import __version__
from binscribe.api.access import require_principal
from binscribe.api.errors import install_error_handlers
from binscribe.api.job_runner import install_job_runner
from binscribe.api.routes import (
    auth,
    events,
    exports,
    health,
    jobs,
    llm_providers,
    ondemand,
    providers,
    results,
)
from binscribe.api.schemas.errors import error_responses
from binscribe.api.ui import mount_ui
from binscribe.api.web_guard import WebGuard
from binscribe.crypto import load_cipher
from binscribe.db import providers as provider_repo
from binscribe.db.engine import (
    make_engine,
    make_session_factory,
    require_current_schema,
    upgrade_database,
)
from binscribe.errors import ConfigError
from binscribe.jobs.context import blob_store
from binscribe.jobs.result_index import ResultCache
from binscribe.logs import configure_logging
from binscribe.mcp.http import mount_mcp
from binscribe.settings import Settings, get_settings

log = logging.getLogger(__name__)

DOCS_STATIC_URL = "/docs/static"
"""Where the Swagger UI and ReDoc scripts are served (under ``/docs``, which the UI never
answers)."""


def _operation_id(route: APIRoute) -> str:
    """OpenAPI operation ids are the handler names (``list_providers``) for generated clients."""
    return route.name


def _warn_about_unusable_keys(app: FastAPI) -> None:
    """Say at start when stored provider keys no longer match the encryption keys (a lost or
    regenerated key file, a rotated-away key): those providers need their keys entered again."""
    with app.state.session_factory() as session:
        names = [
            row.name
            for row in provider_repo.list_providers(session)
            if provider_repo.key_status(row, app.state.cipher) == "needs_reentry"
        ]
    if names:
        log.warning(
            "%d provider key(s) cannot be decrypted with the current encryption keys (%s): "
            "restore the key that encrypted them or enter their API keys again",
            len(names),
            ", ".join(names),
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the ASGI app for ``settings`` (default: from the environment).

    Raises:
        ConfigError: invalid ``LLM_PROVIDER_ENCRYPTION_KEY`` or unreadable key file.
    """
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    cipher = load_cipher(settings)
    url = settings.sqlalchemy_url
    if url.startswith("sqlite"):
        upgrade_database(url)
    engine = make_engine(url, sqlite_busy_timeout_s=settings.sqlite_busy_timeout_s)
    try:
        require_current_schema(engine)
    except ConfigError:
        engine.dispose()
        raise

    app = FastAPIOffline(
        title="binscribe",
        version=__version__,
        summary="Decompile binaries with angr and explain them with your own LLM providers.",
        generate_unique_id_function=_operation_id,
        static_url=DOCS_STATIC_URL,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.write_session_factory = make_session_factory(engine, immediate=True)
    app.state.cipher = cipher
    app.state.result_cache = ResultCache(blob_store(settings))
    _warn_about_unusable_keys(app)
    install_error_handlers(app)
    if settings.api_token is None:
        # Without a token, a web page could reach a loopback server through DNS rebinding;
        # refusing unknown Host headers stops that.
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.effective_allowed_hosts)
    app.add_middleware(WebGuard, allowed_origins=settings.allowed_origins)

    api = APIRouter(
        prefix="/api/v1",
        dependencies=[Depends(require_principal)],
        responses=error_responses(401, 422),
    )
    api.include_router(health.router)
    api.include_router(auth.tokens_router)
    api.include_router(providers.router)
    api.include_router(llm_providers.router)
    api.include_router(jobs.router)
    api.include_router(events.router)
    api.include_router(exports.router)
    api.include_router(results.router)
    api.include_router(ondemand.router)
    install_job_runner(app)
    mount_mcp(app)
    app.include_router(auth.router, prefix="/api/v1", responses=error_responses(422))
    app.include_router(api)
    mount_ui(app, settings.ui_dir)
    return app
