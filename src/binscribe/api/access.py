"""The API's authentication dependency: every ``/api/v1`` route but sign-in needs a principal.

:func:`require_principal` identifies the request (:mod:`binscribe.auth.principal`), stores the
principal on ``request.state.principal`` (ownership checks read it there) and records a personal
token's use. Once users are seen to exist the app remembers it (``app.state.users_seen``) and
stops asking the database.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import State

from binscribe.auth.credentials import SESSION_COOKIE, needs_touch, touch_token
from binscribe.auth.errors import Unauthorized
from binscribe.auth.principal import AuthMode, Principal, auth_mode, identify, required_message
from binscribe.settings import Settings


def current_mode(state: State, session: Session) -> AuthMode:
    """The app's :class:`AuthMode`, remembering once users exist."""
    settings: Settings = state.settings
    mode = auth_mode(session, settings, users_seen=getattr(state, "users_seen", False))
    if mode is AuthMode.ACCOUNTS:
        state.users_seen = True
    return mode


def identify_request(
    state: State, headers: Mapping[str, str], cookies: Mapping[str, str]
) -> tuple[AuthMode, Principal | None]:
    """The app's mode and the request's principal (None: anonymous where sign-in is needed).

    Raises Unauthorized for a wrong bearer token (see :func:`~binscribe.auth.principal.identify`).
    """
    factory: sessionmaker[Session] = state.session_factory
    with factory() as session:
        mode = current_mode(state, session)
        principal = identify(
            session,
            state.settings,
            mode=mode,
            authorization=headers.get("authorization"),
            session_cookie=cookies.get(SESSION_COOKIE),
        )
    if principal is not None and principal.token is not None and needs_touch(principal.token):
        writer: sessionmaker[Session] = state.write_session_factory
        with writer() as session:
            touch_token(session, principal.token.id)
            session.commit()
    return mode, principal


def require_principal(request: Request) -> Principal:
    """The request's principal (also on ``request.state.principal``).

    Raises:
        Unauthorized: no valid credentials where the instance requires them.
    """
    mode, principal = identify_request(request.app.state, request.headers, request.cookies)
    if principal is None:
        raise Unauthorized(required_message(mode))
    request.state.principal = principal
    return principal
