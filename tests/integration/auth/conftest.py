"""Accounts fixtures: ``add_user`` creates a user straight in the test database, ``signed_in``
signs a TestClient in through the API. The API fixtures (``app_settings``, ``client``) come from
``tests/conftest.py``."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from binscribe.auth.users import create_user
from binscribe.db.account_models import UserRole
from binscribe.db.engine import make_engine, make_session_factory

PASSWORD = "correct horse battery"
AddUser = Callable[..., None]


@pytest.fixture
def add_user(db_url: str) -> AddUser:
    def add(name: str, *, password: str = PASSWORD, role: UserRole = UserRole.MEMBER) -> None:
        engine = make_engine(db_url)
        try:
            with make_session_factory(engine)() as session:
                create_user(session, name=name, password=password, role=role)
                session.commit()
        finally:
            engine.dispose()

    return add


def sign_in(test_client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Sign ``test_client`` in (the cookie stays in its jar); returns the session cookie value."""
    response = test_client.post("/api/v1/auth/login", json={"name": name, "password": password})
    assert response.status_code == 200, response.text
    return response.cookies["binscribe_session"]
