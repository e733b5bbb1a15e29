"""The MCP server on the web service: streamable HTTP at ``/mcp``, behind the API's token.

Served only when the API itself is protected or private: with ``BINSCRIBE_API_TOKEN`` set every
request must carry ``Authorization: Bearer <token>`` (401 ``unauthorized`` otherwise, as the API
answers); without a token it is mounted only on a loopback bind, where the app's trusted-host
guard already refuses DNS-rebinding requests. Jobs it starts go to the app's runner.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from binscribe.api.errors import error_body
from binscribe.jobs.context import JobContext
from binscribe.mcp.server import Services, build_server
from binscribe.settings import Settings

MCP_PATH = "/mcp"
_NO_TOKEN = "This server requires an access token: send Authorization: Bearer <token>."


class _TokenGuard:
    """ASGI wrapper: the API's bearer-token rule in front of the MCP endpoint."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = self.settings.api_token
        if token is not None and scope["type"] == "http":
            headers = dict(scope["headers"])
            scheme, _, supplied = headers.get(b"authorization", b"").decode().partition(" ")
            if scheme.lower() != "bearer" or not secrets.compare_digest(
                supplied.strip().encode(), token.get_secret_value().encode()
            ):
                message = (
                    "This server requires an access token: send Authorization: Bearer <token>."
                )
                response = JSONResponse(error_body("unauthorized", message), status_code=401)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def mount_mcp(app: FastAPI) -> None:
    """Serve MCP at ``/mcp`` (see the module docstring); call after the job runner is
    installed, it runs the MCP session manager inside the app's lifespan."""
    state = app.state
    settings: Settings = state.settings
    if settings.api_token is None and not settings.host_is_loopback:
        return
    ctx = JobContext.build(settings, engine=state.engine, cipher=state.cipher)
    server = build_server(
        Services(ctx=ctx, submit=state.job_runner.submit, allowed_dirs=settings.mcp_allowed_dirs)
    )
    # the app's TrustedHostMiddleware guards hosts; the SDK's own check would refuse "testserver"
    server.streamable_http_app(
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False)
    )
    endpoint = _TokenGuard(StreamableHTTPASGIApp(server.session_manager), settings)
    app.router.routes.append(Route(MCP_PATH, endpoint=endpoint, include_in_schema=False))
    outer = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        async with outer(application), server.session_manager.run():
            yield

    app.router.lifespan_context = lifespan
