"""The MCP server on the web service: streamable HTTP at ``/mcp``, behind the API's token.

Served only when the API itself is protected or private: with ``BINSCRIBE_API_TOKEN`` set or
users created, every request needs the credentials the API needs (a bearer token, personal or
the API token; 401 ``unauthorized`` otherwise); without either it is mounted only on a loopback
bind, where the app's trusted-host guard already refuses DNS-rebinding requests. Jobs it
starts go to the app's runner.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State
from starlette.requests import Request
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from binscribe.api.access import identify_request
from binscribe.api.errors import error_body
from binscribe.auth.errors import Unauthorized
from binscribe.auth.principal import required_message
from binscribe.auth.users import users_exist
from binscribe.jobs.context import JobContext
from binscribe.mcp.server import Services, build_server
from binscribe.settings import Settings

MCP_PATH = "/mcp"


class _TokenGuard:
    """ASGI wrapper: the API's authentication (:mod:`binscribe.api.access`) in front of MCP."""

    def __init__(self, app: ASGIApp, state: State) -> None:
        self.app, self.state = app, state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            try:
                mode, principal = await run_in_threadpool(
                    identify_request, self.state, request.headers, request.cookies
                )
                if principal is None:
                    raise Unauthorized(required_message(mode))
            except Unauthorized as exc:
                response = JSONResponse(error_body(exc.code, exc.message), status_code=401)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def mount_mcp(app: FastAPI) -> None:
    """Serve MCP at ``/mcp`` (see the module docstring); call after the job runner is
    installed, it runs the MCP session manager inside the app's lifespan."""
    state = app.state
    settings: Settings = state.settings
    if settings.api_token is None and not settings.host_is_loopback:
        with state.session_factory() as session:
            if not users_exist(session):
                return
    ctx = JobContext.build(settings, engine=state.engine, cipher=state.cipher)
    server = build_server(
        Services(ctx=ctx, submit=state.job_runner.submit, allowed_dirs=settings.mcp_allowed_dirs)
    )
    # the app's TrustedHostMiddleware guards hosts; the SDK's own check would refuse "testserver"
    server.streamable_http_app(
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False)
    )
    endpoint = _TokenGuard(StreamableHTTPASGIApp(server.session_manager), state)
    app.router.routes.append(Route(MCP_PATH, endpoint=endpoint, include_in_schema=False))
    outer = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        async with outer(application), server.session_manager.run():
            yield

    app.router.lifespan_context = lifespan
