"""The exception tree every part of binscribe raises, translated once at each edge.

::

    BinscribeError                 code, message, details; http_status for the API edge
    ├── ConfigError                bad settings or key material (CLI exit 2, refuses to start)
    ├── NotFoundError              404 (provider_not_found, job_not_found, ...)
    ├── ConflictError              409 (provider_name_taken, provider_key_unusable, ...)
    └── ValidationFailed           422 (invalid_endpoint_url, missing_api_key, ...)

This module imports nothing of ours, so every layer (analysis and llm included) may raise these.
The API turns them into ``{"code", "message", "details"}``; the CLI prints ``message`` on one line
and exits 2 for input errors. An error about request fields carries :func:`field_errors` as its
``details`` (the one shape, also used by the API's 422 ``validation_error``).
"""

from __future__ import annotations

from typing import Any


def field_errors(*errors: tuple[str, str, str], **extra: Any) -> dict[str, Any]:
    """``details`` for an error about request fields: ``{"fields": [{"field", "message",
    "type"}, ...], **extra}``.

    Each error is ``(field, message, type)``: ``field`` is the field's dotted path in the request
    (``endpoint_url``, ``config.timeout_s``, ``limit``; no ``body``/``query`` prefix),
    ``type`` the error's ``code`` or pydantic's error type (``less_than_equal``).
    """
    fields = [{"field": f, "message": m, "type": t} for f, m, t in errors]
    return {"fields": fields, **extra}


class BinscribeError(Exception):
    """Base error: a machine-readable ``code``, a human ``message`` and optional JSON ``details``.

    ``message`` must never contain secrets (API keys, tokens, encryption keys).
    """

    http_status: int = 400
    code: str = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details


class ConfigError(BinscribeError):
    """Settings or key material are unusable; the process refuses to start."""

    http_status = 500
    code = "config_error"


class NotFoundError(BinscribeError):
    """The named resource does not exist (HTTP 404)."""

    http_status = 404
    code = "not_found"


class ConflictError(BinscribeError):
    """The request conflicts with stored state (HTTP 409)."""

    http_status = 409
    code = "conflict"


class ValidationFailed(BinscribeError):
    """The request is well-formed but its values are not acceptable (HTTP 422)."""

    http_status = 422
    code = "validation_error"
