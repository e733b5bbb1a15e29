"""Serve the built web UI (``frontend/dist``) at ``/`` with a fallback for client-side routes.

``GET /providers`` or ``GET /jobs/<id>`` answer ``index.html`` so the React router can take over;
files that exist in the dist folder (``/assets/index-<hash>.js``) are served as files, with a long
cache for the hashed ``assets/`` (``public, max-age=31536000, immutable``) and ``no-cache`` for
everything else (``index.html`` names the current hashes). Files go out compressed when the client
accepts it: the brotli or gzip copy the build wrote beside a file (``index-<hash>.js.br``,
``.js.gz``; see ``frontend/vite.config.ts``), else gzip made on the fly. Paths owned by the API
(``/api``, ``/docs``, ``/redoc``, ``/openapi.json``) are never answered by the UI: an unknown
``/api/...`` path gets a 404 ``{"code": "not_found", ...}`` naming the method and path. A missing
file with an extension is a 404 rather than ``index.html``. When the UI is not built, UI paths
answer 404 ``ui_not_built``.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import FileResponse
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send

from binscribe.errors import NotFoundError

RESERVED_PREFIXES = ("/api", "/mcp", "/docs", "/redoc", "/openapi.json")
_IMMUTABLE = {"cache-control": "public, max-age=31536000, immutable"}
_REVALIDATE = {"cache-control": "no-cache"}
# Content encodings of the precompressed copies, best first, with their file suffix.
PRECOMPRESSED = (("br", ".br"), ("gzip", ".gz"))


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
        file, headers = self.file_for(scope["path"])
        accepted = accepted_encodings(Headers(scope=scope).get("accept-encoding", ""))
        response = compressed_file_response(file, headers, accepted)
        await response(scope, receive, send)

    def file_for(self, path: str) -> tuple[Path, dict[str, str]]:
        """The file at ``path`` inside ``dist`` (or ``index.html`` for a client route), with its
        cache headers.

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
            return candidate, _IMMUTABLE if cached else _REVALIDATE
        if "." in relative.rsplit("/", 1)[-1]:
            raise NotFoundError(f"No file {path} in the web UI.", code="not_found")
        return index, _REVALIDATE


def accepted_encodings(header: str) -> set[str]:
    """The content codings an ``Accept-Encoding`` header allows (``q=0`` excluded), lower case."""
    accepted = set()
    for item in header.split(","):
        name, _, params = item.partition(";")
        quality = params.strip().removeprefix("q=").strip() if "q=" in params else "1"
        try:
            allowed = float(quality) > 0
        except ValueError:
            allowed = False
        if name.strip() and allowed:
            accepted.add(name.strip().lower())
    return accepted


def compressed_file_response(file: Path, headers: dict[str, str], accepted: set[str]) -> ASGIApp:
    """``file`` as the client accepts it: its precompressed sibling (``.br``, then ``.gz``) with
    ``Content-Encoding``, else the file itself, gzipped on the fly when the client accepts gzip
    and the type is worth compressing (GZipMiddleware skips small files and images).
    """
    media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    varying = {**headers, "vary": "Accept-Encoding"}
    for encoding, suffix in PRECOMPRESSED:
        sibling = file.with_name(file.name + suffix)
        if encoding in accepted and sibling.is_file():
            return FileResponse(
                sibling, media_type=media_type, headers={**varying, "content-encoding": encoding}
            )
    response = FileResponse(file, media_type=media_type, headers=headers)
    return GZipMiddleware(response) if "gzip" in accepted else response


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
