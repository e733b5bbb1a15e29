"""Users: create, find, list, disable, enable and reset passwords. Repository functions flush;
the caller commits.

Names are 1-64 characters of lower-case letters, digits, ``.``, ``_`` and ``-`` starting with a
letter or digit; input is lower-cased first, so names are unique case-insensitively.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from binscribe.auth.passwords import check_password_rule, hash_password
from binscribe.db.account_models import User, UserRole, UserSession
from binscribe.db.models import utcnow
from binscribe.errors import ConflictError, NotFoundError, ValidationFailed

_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def normalize_name(name: str) -> str:
    """``name`` stripped and lower-cased.

    Raises:
        ValidationFailed: ``invalid_user_name`` when it does not follow the naming rule.
    """
    normalized = name.strip().lower()
    if not _NAME.fullmatch(normalized):
        raise ValidationFailed(
            "A user name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or "
            "digit.",
            code="invalid_user_name",
        )
    return normalized


def users_exist(session: Session) -> bool:
    """True once any user was created (the instance then requires sign-in)."""
    return bool(session.scalar(select(exists().select_from(User))))


def find_user(session: Session, name: str) -> User | None:
    """The user named ``name`` (any case), or None."""
    return session.scalar(select(User).where(User.name == name.strip().lower()))


def get_user(session: Session, name: str) -> User:
    """The user named ``name``; raises NotFoundError ``user_not_found``."""
    user = find_user(session, name)
    if user is None:
        raise NotFoundError(f"No user named {name.strip().lower()!r}.", code="user_not_found")
    return user


def list_users(session: Session) -> list[User]:
    """Every user, by name."""
    return list(session.scalars(select(User).order_by(User.name)))


def create_user(session: Session, *, name: str, password: str, role: UserRole) -> User:
    """Add a user with an argon2-hashed password.

    Raises:
        ValidationFailed: ``invalid_user_name`` or ``weak_password``.
        ConflictError: ``user_name_taken``.
    """
    normalized = normalize_name(name)
    check_password_rule(password)
    if find_user(session, normalized) is not None:
        raise ConflictError(f"A user named {normalized!r} already exists.", code="user_name_taken")
    user = User(name=normalized, role=role.value, password_hash=hash_password(password))
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # created concurrently
        raise ConflictError(
            f"A user named {normalized!r} already exists.", code="user_name_taken"
        ) from exc
    return user


def set_active(session: Session, *, name: str, active: bool) -> User:
    """Enable or disable a user; disabling also ends their browser sessions (their API tokens
    stop working while disabled). Raises NotFoundError ``user_not_found``."""
    user = get_user(session, name)
    user.is_active = active
    if not active:
        session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    session.flush()
    return user


def reset_password(session: Session, *, name: str, password: str) -> User:
    """Give a user a new password and end their browser sessions.

    Raises NotFoundError ``user_not_found`` or ValidationFailed ``weak_password``."""
    check_password_rule(password)
    user = get_user(session, name)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    session.flush()
    return user
