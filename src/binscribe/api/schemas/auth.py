"""Schemas of sign-in, the session endpoint and personal API tokens."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from binscribe.auth.credentials import MAX_TOKEN_NAME
from binscribe.auth.passwords import MAX_PASSWORD_LENGTH
from binscribe.auth.principal import AuthMode, Via
from binscribe.db.account_models import UserRole


class LoginRequest(BaseModel):
    """A user name (any case) and password."""

    name: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class PrincipalPublic(BaseModel):
    """Who is signed in: ``id`` is None for the implicit local user and the API token."""

    id: uuid.UUID | None
    name: str
    role: UserRole
    via: Via


class AuthSessionPublic(BaseModel):
    """The instance's sign-in ``mode`` and the caller (None when not signed in)."""

    mode: AuthMode
    user: PrincipalPublic | None


class TokenCreate(BaseModel):
    """A name to recognise the token by (``laptop CLI``)."""

    name: str = Field(min_length=1, max_length=MAX_TOKEN_NAME)


class TokenPublic(BaseModel):
    """A personal API token, without its value (``token_hint``: its first characters)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    token_hint: str
    created_at: datetime
    last_used_at: datetime | None


class TokenCreated(TokenPublic):
    """A token just created; ``token`` is shown this once and never again."""

    token: str


class TokensPublic(BaseModel):
    """The caller's tokens, newest first."""

    data: list[TokenPublic]
    count: int
