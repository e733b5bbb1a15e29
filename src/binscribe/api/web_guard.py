"""Browser-facing protections on every response and state-changing request (pure ASGI).

- Cross-origin writes: a POST, PUT, PATCH or DELETE whose ``Sec-Fetch-Site`` is neither
  ``same-origin`` nor ``none``, or (without that header) whose ``Origin`` is neither the
  request's own (``Host``) nor in ``Settings.allowed_origins``, answers 403
  ``cross_origin_refused``. Requests carrying neither header (curl, SDKs, the CLI) pass: they
  are not made by a web page and need a token wherever one is required.
- Security headers on every response, errors and the UI included: :data:`UI_CSP` (the API
  reference at ``/docs`` and ``/redoc`` gets :data:`DOCS_CSP`, as its pages start with an inline
  script), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` and
  ``X-Frame-Options: DENY`` for browsers without ``frame-ancestors``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from binscribe.api.errors import error_body

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SAME_ORIGIN_FETCH_SITES = frozenset({"same-origin", "none"})

# MUI styles through emotion, which injects <style> elements at run time: styles need
# 'unsafe-inline'. Scripts come only from this server.
UI_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
DOCS_PREFIXES = ("/docs", "/redoc")
CROSS_ORIGIN_MESSAGE = (
    "Refused a cross-origin {method}: only the binscribe UI's own pages may change data from a "
    "browser (add other origins to BINSCRIBE_ALLOWED_ORIGINS)."
)


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_cross_origin(headers: Headers, allowed_origins: list[str]) -> bool:
    """True when a browser sent the request from another site (see the module docstring)."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site.lower() not in SAME_ORIGIN_FETCH_SITES
    origin = headers.get("origin")
    if origin is None:
        return False
    if origin == "null":
        return True
    parts = urlsplit(origin)
    own_host = headers.get("host", "").lower()
    if parts.netloc.lower() == own_host and parts.scheme in ("http", "https"):
        return False
    return _origin_of(origin) not in {_origin_of(o) for o in allowed_origins}


def security_headers(path: str) -> dict[str, str]:
    """The headers every response to ``path`` carries."""
    docs = any(path == p or path.startswith(p + "/") for p in DOCS_PREFIXES)
    return {
        "content-security-policy": DOCS_CSP if docs else UI_CSP,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY",
    }


class WebGuard:
    """ASGI middleware applying the module's rules; outermost, so every response gets them."""

    def __init__(self, app: ASGIApp, allowed_origins: list[str]) -> None:
        self.app, self.allowed_origins = app, allowed_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers.setdefault(name, value)
            await send(message)

        method = scope["method"]
        if method in UNSAFE_METHODS and is_cross_origin(Headers(scope=scope), self.allowed_origins):
            body = error_body("cross_origin_refused", CROSS_ORIGIN_MESSAGE.format(method=method))
            await JSONResponse(body, status_code=403)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)
