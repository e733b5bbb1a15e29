"""Serve the built web UI (``frontend/dist``) at ``/`` with a fallback for client-side routes.

``GET /providers`` or ``GET /jobs/<id>`` answer ``index.html`` so the React router can take over;
files that exist in the dist folder (``/assets/index-<hash>.js``) are served as files, with a long
cache for the hashed ``assets/``. Paths owned by the API (``/api``, ``/docs``, ``/redoc``,
``/openapi.json``) are never answered by the UI: an unknown ``/api/...`` path gets a 404
``{"code": "not_found", ...}`` naming the method and path. A missing file with an extension is a
404 rather than ``index.html``. When the UI is not built, UI paths answer 404 ``ui_not_built``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse
from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send

from binscribe.errors import NotFoundError

RESERVED_PREFIXES = ("/api", "/mcp", "/docs", "/redoc", "/openapi.json")
_IMMUTABLE = {"cache-control": "public, max-age=31536000, immutable"}
_REVALIDATE = {"cache-control": "no-cache"}


def default_ui_dir() -> Path:
    """The repository's ``frontend/dist`` (where ``make ui`` builds it)."""
    return Path(__file__).resolve().parents[3] / "frontend" / "dist"


def is_reserved(path: str) -> bool:
    """True for paths the API owns, which the UI must never answer."""
    return any(path == p or path.startswith(p + "/") for p in RESERVED_PREFIXES)


class SPARoute(BaseRoute):
    """Answers GET/HEAD for every non-reserved path from ``dist``; other methods get 405."""

    methods = frozenset({"GET", "HEAD"})

    def __init__(self, dist: Path) -> None:
        self.dist = dist.resolve()

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or is_reserved(scope["path"]):
            return Match.NONE, {}
        return (Match.FULL if scope["method"] in self.methods else Match.PARTIAL), {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in self.methods:
            raise HTTPException(status_code=405, headers={"Allow": "GET, HEAD"})
        response = self.response_for(scope["path"])
        await response(scope, receive, send)

    def response_for(self, path: str) -> FileResponse:
        """The file at ``path`` inside ``dist``, or ``index.html`` for a client route.

        Raises:
            NotFoundError: ``ui_not_built`` (no ``index.html``) or ``not_found`` (a missing file
                with an extension, such as an old asset).
        """
        index = self.dist / "index.html"
        if not index.is_file():
            raise NotFoundError(
                f"The web UI is not built (no {index}): run `make ui`, or use the API at /docs.",
                code="ui_not_built",
            )
        relative = path.lstrip("/")
        candidate = (self.dist / relative).resolve()
        if relative and candidate.is_relative_to(self.dist) and candidate.is_file():
            cached = relative.startswith("assets/")
            return FileResponse(candidate, headers=_IMMUTABLE if cached else _REVALIDATE)
        if "." in relative.rsplit("/", 1)[-1]:
            raise NotFoundError(f"No file {path} in the web UI.", code="not_found")
        return FileResponse(index, headers=_REVALIDATE)


def mount_ui(app: FastAPI, dist: Path | None = None) -> None:
    """Add the UI route after every API route; ``dist`` defaults to :func:`default_ui_dir`.

    Also makes the router's 404 name the method and path (the JSON error handler renders it).
    """
    app.router.routes.append(SPARoute(dist or default_ui_dir()))
    fallback = app.router.default

    async def not_found(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await fallback(scope, receive, send)
            return
        raise HTTPException(
            status_code=404,
            detail=f"No route {scope['method']} {scope['path']}. The API is described at /docs.",
        )

    app.router.default = not_found
