"""Who a request is, and which sign-in mode the instance is in.

Modes (:class:`AuthMode`): ``local`` (no users, no ``BINSCRIBE_API_TOKEN``: every request is the
implicit local user, an admin; meant for a loopback bind, ``binscribe serve`` refuses other
binds), ``token`` (no users, the API token only), ``accounts`` (a user exists: sign in, or send a
personal API token; the API token still works as an admin).

Credentials, tried in this order: ``Authorization: Bearer <BINSCRIBE_API_TOKEN>``, ``Bearer
<personal token>``, the session cookie. A wrong bearer token is refused (401) except in ``local``
mode, where credentials are not needed and are ignored.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from binscribe.auth.credentials import session_user, token_user
from binscribe.auth.errors import Unauthorized
from binscribe.auth.users import users_exist
from binscribe.db.account_models import ApiToken, User, UserRole
from binscribe.settings import Settings


class AuthMode(StrEnum):
    """How an instance authenticates requests (see the module docstring)."""

    LOCAL = "local"
    TOKEN = "token"
    ACCOUNTS = "accounts"


class Via(StrEnum):
    """Which credential identified a principal."""

    LOCAL = "local"
    API_TOKEN = "api_token"
    SESSION = "session"
    PERSONAL_TOKEN = "personal_token"


@dataclass(frozen=True)
class Principal:
    """The caller: a user (``user_id`` set) or, without a user row, the implicit local user or
    the ``BINSCRIBE_API_TOKEN`` holder (both admins). ``token`` is the personal token used, if
    any (its ``last_used_at`` is recorded by the caller)."""

    name: str
    role: UserRole
    via: Via
    user_id: uuid.UUID | None = None
    token: ApiToken | None = None

    @property
    def is_admin(self) -> bool:
        """True for admins (the implicit local user and the API token holder included)."""
        return self.role is UserRole.ADMIN


LOCAL_USER = Principal(name="local", role=UserRole.ADMIN, via=Via.LOCAL)
API_TOKEN_HOLDER = Principal(name="api-token", role=UserRole.ADMIN, via=Via.API_TOKEN)


def auth_mode(session: Session, settings: Settings, *, users_seen: bool = False) -> AuthMode:
    """The instance's mode; ``users_seen`` skips the query once users are known to exist."""
    if users_seen or users_exist(session):
        return AuthMode.ACCOUNTS
    return AuthMode.TOKEN if settings.api_token is not None else AuthMode.LOCAL


def _of_user(user: User, via: Via, token: ApiToken | None = None) -> Principal:
    role = UserRole(user.role)
    return Principal(name=user.name, role=role, via=via, user_id=user.id, token=token)


def identify(
    session: Session,
    settings: Settings,
    *,
    mode: AuthMode,
    authorization: str | None,
    session_cookie: str | None,
) -> Principal | None:
    """The principal the credentials name, the local user in ``local`` mode, else None.

    Raises:
        Unauthorized: a bearer token that is neither the API token nor a valid personal token
            (outside ``local`` mode).
    """
    scheme, _, supplied = (authorization or "").partition(" ")
    supplied = supplied.strip()
    if mode is not AuthMode.LOCAL and scheme.lower() == "bearer" and supplied:
        expected = settings.api_token
        if expected is not None and secrets.compare_digest(
            supplied.encode(), expected.get_secret_value().encode()
        ):
            return API_TOKEN_HOLDER
        found = token_user(session, supplied) if mode is AuthMode.ACCOUNTS else None
        if found is None:
            raise Unauthorized("The access token is wrong, revoked or its user is disabled.")
        return _of_user(found[0], Via.PERSONAL_TOKEN, found[1])
    if mode is AuthMode.ACCOUNTS and session_cookie:
        user = session_user(session, session_cookie)
        if user is not None:
            return _of_user(user, Via.SESSION)
    return LOCAL_USER if mode is AuthMode.LOCAL else None


def required_message(mode: AuthMode) -> str:
    """What a 401 says in ``mode``."""
    if mode is AuthMode.ACCOUNTS:
        return "Sign in first, or send Authorization: Bearer <token> with a personal API token."
    return "This server requires an access token: send Authorization: Bearer <token>."
