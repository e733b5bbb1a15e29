"""User rules (issue 14 §1): names lower case and unique, the password rule, argon2 hashes."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from binscribe.auth.passwords import verify_password
from binscribe.auth.users import create_user, reset_password, users_exist
from binscribe.db.account_models import UserRole
from binscribe.errors import ConflictError, ValidationFailed


def test_names_are_unique_case_insensitively(session: Session) -> None:
    assert not users_exist(session)
    user = create_user(session, name=" Alice ", password="x" * 10, role=UserRole.ADMIN)
    assert (user.name, user.role, user.is_active) == ("alice", "admin", True)
    assert users_exist(session)
    with pytest.raises(ConflictError) as taken:
        create_user(session, name="ALICE", password="y" * 10, role=UserRole.MEMBER)
    assert (taken.value.code, taken.value.message) == (
        "user_name_taken",
        "A user named 'alice' already exists.",
    )


@pytest.mark.parametrize(
    ("name", "password", "code"),
    [
        ("bob", "short", "weak_password"),
        ("bob", "x" * 1025, "weak_password"),
        ("-bob", "x" * 10, "invalid_user_name"),
        ("bob smith", "x" * 10, "invalid_user_name"),
        ("b" * 65, "x" * 10, "invalid_user_name"),
    ],
)
def test_bad_names_and_passwords_are_refused(
    session: Session, name: str, password: str, code: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        create_user(session, name=name, password=password, role=UserRole.MEMBER)
    assert refused.value.code == code
    assert not users_exist(session)


def test_passwords_are_argon2_hashes(session: Session) -> None:
    user = create_user(session, name="carol", password="first password", role=UserRole.MEMBER)
    assert user.password_hash.startswith("$argon2id$")
    before = user.password_changed_at
    reset_password(session, name="carol", password="second password")
    assert verify_password("second password", user.password_hash)
    assert not verify_password("first password", user.password_hash)
    assert user.password_changed_at >= before
