"""The errors of sign-in and access (see the package docstring)."""

from __future__ import annotations

from binscribe.errors import BinscribeError


class Unauthorized(BinscribeError):
    """No valid credentials on a request that needs them (HTTP 401)."""

    http_status = 401
    code = "unauthorized"


class InvalidCredentials(BinscribeError):
    """Sign-in refused: the same answer for an unknown name, a wrong password and a disabled
    user, so names cannot be probed (HTTP 401)."""

    http_status = 401
    code = "invalid_credentials"

    def __init__(self) -> None:
        super().__init__("Wrong user name or password.")


class LoginRateLimited(BinscribeError):
    """Too many failed sign-ins for this account or client address (HTTP 429); ``details``
    carries ``retry_after_s``."""

    http_status = 429
    code = "login_rate_limited"


class Forbidden(BinscribeError):
    """Signed in, but the action needs another role or a user account (HTTP 403)."""

    http_status = 403
    code = "forbidden"
