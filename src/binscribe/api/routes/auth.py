"""``/api/v1/auth``: the sign-in mode and caller, sign-in and sign-out (open to anonymous
callers), and the caller's personal API tokens (``tokens_router``, behind the API's auth)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from binscribe.api.access import identify_request
from binscribe.api.deps import PrincipalDep, SessionDep, SettingsDep, WriteSessionDep
from binscribe.api.schemas.auth import (
    AuthSessionPublic,
    LoginRequest,
    PrincipalPublic,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    TokensPublic,
)
from binscribe.api.schemas.errors import error_responses
from binscribe.auth import credentials
from binscribe.auth.errors import Forbidden
from binscribe.auth.login import sign_in
from binscribe.auth.principal import AuthMode, Principal, Via
from binscribe.db.account_models import User
from binscribe.errors import ConflictError

router = APIRouter(prefix="/auth", tags=["auth"])
tokens_router = APIRouter(prefix="/auth/tokens", tags=["auth"])


def _public(principal: Principal) -> PrincipalPublic:
    return PrincipalPublic(
        id=principal.user_id, name=principal.name, role=principal.role, via=principal.via
    )


@router.get("/session", response_model=AuthSessionPublic, responses=error_responses(401))
def get_auth_session(request: Request) -> AuthSessionPublic:
    """Tell the UI the sign-in mode and who the caller is (``user`` None: sign in first)."""
    mode, principal = identify_request(request.app.state, request.headers, request.cookies)
    return AuthSessionPublic(mode=mode, user=_public(principal) if principal else None)


@router.post(
    "/login", response_model=AuthSessionPublic, responses=error_responses(401, 409, 422, 429)
)
def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
) -> AuthSessionPublic:
    """Sign in with a name and password; sets the session cookie."""
    mode, _ = identify_request(request.app.state, {}, {})
    if mode is not AuthMode.ACCOUNTS:
        raise ConflictError(
            "This instance has no users to sign in as; create one with "
            "`binscribe users create NAME --admin`.",
            code="sign_in_not_enabled",
        )
    client = request.client.host if request.client else "unknown"
    user, value = sign_in(
        session, settings=settings, name=body.name, password=body.password, client=client
    )
    response.set_cookie(
        credentials.SESSION_COOKIE,
        value,
        max_age=int(settings.session_hours * 3600),
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    principal = PrincipalPublic(id=user.id, name=user.name, role=user.role, via=Via.SESSION)
    return AuthSessionPublic(mode=mode, user=principal)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, session: WriteSessionDep) -> Response:
    """Sign out: the session ends on the server and the cookie is cleared."""
    value = request.cookies.get(credentials.SESSION_COOKIE)
    if value:
        credentials.end_session(session, value)
        session.commit()
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(
        credentials.SESSION_COOKIE,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


def _account(principal: Principal, session: SessionDep) -> User:
    if principal.user_id is None:
        raise Forbidden(
            "API tokens belong to a user account; create one with `binscribe users create` "
            "and sign in.",
            code="no_user_account",
        )
    return session.get_one(User, principal.user_id)


@tokens_router.get("", response_model=TokensPublic, responses=error_responses(403))
def list_tokens(principal: PrincipalDep, session: SessionDep) -> TokensPublic:
    """List the caller's personal API tokens (never their values)."""
    rows = credentials.list_tokens(session, _account(principal, session))
    return TokensPublic(data=[TokenPublic.model_validate(r) for r in rows], count=len(rows))


@tokens_router.post(
    "",
    response_model=TokenCreated,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(403, 422),
)
def create_token(
    token_in: TokenCreate, principal: PrincipalDep, session: WriteSessionDep
) -> TokenCreated:
    """Create a personal API token; its value is in this answer only."""
    created = credentials.create_token(
        session, user=_account(principal, session), name=token_in.name
    )
    session.commit()
    public = TokenPublic.model_validate(created.row)
    return TokenCreated(**public.model_dump(), token=created.value)


@tokens_router.delete(
    "/{token_id}", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(403, 404)
)
def revoke_token(token_id: UUID, principal: PrincipalDep, session: WriteSessionDep) -> Response:
    """Revoke one of the caller's tokens; it stops working at once."""
    credentials.revoke_token(session, user=_account(principal, session), token_id=token_id)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
