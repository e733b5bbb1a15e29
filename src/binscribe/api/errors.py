"""Translate every error into one JSON shape: ``{"code": str, "message": str, "details": any}``.

Raised :class:`~binscribe.errors.BinscribeError` subclasses carry their own status and code.
A database too busy to take a write (SQLite locked past its busy timeout, a PostgreSQL lock
timeout, no free pooled connection) answers 503 ``database_busy`` with ``Retry-After``.
Anything else is logged (scrubbed) and answers 500 ``internal_error`` without internals.
Request validation failures become 422 ``validation_error`` whose ``details`` is the one shape of
field errors, :func:`~binscribe.errors.field_errors` (never the rejected input, which could be an
API key). Framework HTTP errors (unknown route, wrong method)
keep their status with a stable code; a 405 names every method the path accepts in ``Allow``
(Starlette names only the first route's).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount
from starlette.staticfiles import StaticFiles

from binscribe.db.busy import RETRY_AFTER_S, database_busy
from binscribe.errors import BinscribeError, field_errors

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "upload_too_large",
    415: "unsupported_format",
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The error document every failing response carries."""
    return {"code": code, "message": message, "details": details}


async def _binscribe_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BinscribeError)
    if exc.http_status >= 500:
        log.error("%s: %s", exc.code, exc.message)
    return JSONResponse(error_body(exc.code, exc.message, exc.details), status_code=exc.http_status)


_LOCATIONS = ("body", "query", "path", "header", "cookie")


def _field(loc: tuple[int | str, ...], error_type: str) -> str:
    """The dotted request field a pydantic ``loc`` points at, without its location
    (``("body", "config", "timeout_s")`` -> ``config.timeout_s``); ``body`` for unparsable JSON."""
    if error_type == "json_invalid":
        return "body"
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = [
        (
            _field(tuple(err.get("loc", ())), err.get("type", "")),
            err.get("msg", ""),
            err.get("type", ""),
        )
        for err in exc.errors()
    ]
    first = fields[0] if fields else ("", "invalid request", "")
    if first[2] == "json_invalid":
        message = f"The request body is not valid JSON ({first[1]})."
    else:
        message = f"Invalid {first[0] or 'request'}: {first[1]}"
    return JSONResponse(
        error_body("validation_error", message, field_errors(*fields)), status_code=422
    )


_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app fully matches for the request's path, sorted (a
    static file mount accepts GET and HEAD)."""
    allowed: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Mount):
            if isinstance(route.app, StaticFiles) and route.matches(request.scope)[0] is not (
                Match.NONE
            ):
                allowed |= {"GET", "HEAD"}
            continue
        for method in _METHODS:
            if route.matches({**request.scope, "method": method})[0] is Match.FULL:
                allowed.add(method)
    return sorted(allowed)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else "HTTP error"
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request)) or headers.get("Allow", "")
    return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=headers)


async def _unexpected_error(_: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected error", exc_info=exc)
    return JSONResponse(
        error_body("internal_error", "Something went wrong on the server; its log has details."),
        status_code=500,
    )


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    if not database_busy(exc):
        return await _unexpected_error(request, exc)
    log.warning("database busy: answered 503 (%s)", type(exc).__name__)
    return JSONResponse(
        error_body("database_busy", "The database is busy with other writes; retry in a moment."),
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``; anything unexpected becomes 500 ``internal_error``."""
    app.add_exception_handler(Exception, _unexpected_error)
    app.add_exception_handler(BinscribeError, _binscribe_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(PoolTimeout, _database_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
