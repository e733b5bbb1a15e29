"""Password hashing with argon2id (pwdlib's recommended parameters) and the password rule."""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash

from binscribe.errors import ValidationFailed

MIN_PASSWORD_LENGTH = 10
"""Shortest password accepted (characters)."""
MAX_PASSWORD_LENGTH = 1024
"""Longest password accepted: hashing is deliberately slow, so huge inputs are refused."""


@lru_cache
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


def check_password_rule(password: str) -> None:
    """Raise ValidationFailed ``weak_password`` unless ``password`` has an acceptable length."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"A password needs {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters.",
            code="weak_password",
        )


def hash_password(password: str) -> str:
    """The argon2id hash (PHC string) of ``password``."""
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when ``password`` matches ``password_hash``. With no hash (unknown user) a dummy
    hash is still verified, so both cases take the same time."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    if password_hash is None:
        _hasher().verify(password, _dummy_hash())
        return False
    return _hasher().verify(password, password_hash)


@lru_cache
def _dummy_hash() -> str:
    return _hasher().hash("binscribe-no-such-user")
