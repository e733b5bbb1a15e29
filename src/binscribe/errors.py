"""The exception tree every part of binscribe raises, translated once at each edge.

::

    BinscribeError                 code, message, details; http_status for the API edge
    ├── ConfigError                bad settings or key material (CLI exit 2, refuses to start)
    ├── NotFoundError              404 (provider_not_found, job_not_found, ...)
    ├── ConflictError              409 (provider_name_taken, provider_key_unusable, ...)
    ├── ValidationFailed           422 (invalid_endpoint_url, missing_api_key, ...)
    └── NotImplementedYet          501 not_implemented: a feature that is not built yet, never faked

This module imports nothing of ours, so every layer (analysis and llm included) may raise these.
The API turns them into ``{"code", "message", "details"}``; the CLI prints ``message`` on one line
and exits 2 for input errors.
"""

from __future__ import annotations

from typing import Any


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


class NotImplementedYet(BinscribeError):
    """A feature that is not built yet answers this instead of a fake success (HTTP 501)."""

    http_status = 501
    code = "not_implemented"
