"""Sign-in (issue 14 §1): the implicit local user, the switch to sign-in, the session cookie,
one answer for unknown users and wrong passwords, disabled users, the rate limit, expiry and
sign-out."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from binscribe.api.app import create_app
from binscribe.auth.users import set_active
from binscribe.db.account_models import LoginFailure, UserRole, UserSession
from binscribe.db.models import utcnow
from binscribe.settings import Settings
from tests.integration.auth.conftest import PASSWORD, AddUser, sign_in

PROVIDERS = "/api/v1/user-llm-providers"
SESSION = "/api/v1/auth/session"
LOGIN = "/api/v1/auth/login"
WRONG = {"code": "invalid_credentials", "message": "Wrong user name or password.", "details": None}


def test_without_users_the_local_user_needs_no_credentials(client: TestClient) -> None:
    assert client.get(SESSION).json() == {
        "mode": "local",
        "user": {"id": None, "name": "local", "role": "admin", "via": "local"},
    }
    assert client.get(PROVIDERS).json() == {"data": [], "count": 0}
    # a stray bearer token is ignored where no credentials are needed
    assert client.get(PROVIDERS, headers={"Authorization": "Bearer junk"}).status_code == 200
    refused = client.post(LOGIN, json={"name": "alice", "password": PASSWORD})
    assert (refused.status_code, refused.json()["code"]) == (409, "sign_in_not_enabled")


def test_first_user_switches_a_running_instance_to_sign_in(
    client: TestClient, add_user: AddUser
) -> None:
    assert client.get(PROVIDERS).status_code == 200
    add_user("Alice", role=UserRole.ADMIN)
    anonymous = client.get(PROVIDERS)
    assert anonymous.status_code == 401
    assert anonymous.json() == {
        "code": "unauthorized",
        "message": "Sign in first, or send Authorization: Bearer <token> with a personal API "
        "token.",
        "details": None,
    }
    assert client.get(SESSION).json() == {"mode": "accounts", "user": None}
    sign_in(client, "ALICE")  # names are case-insensitive
    me = client.get(SESSION).json()
    assert (me["mode"], me["user"]["name"], me["user"]["role"], me["user"]["via"]) == (
        "accounts",
        "alice",
        "admin",
        "session",
    )
    assert client.get(PROVIDERS).status_code == 200


def test_session_cookie_is_strict_httponly_and_stored_hashed(
    app_settings: Settings, add_user: AddUser
) -> None:
    add_user("bob")
    app = create_app(app_settings)
    with TestClient(app) as client:
        response = client.post(LOGIN, json={"name": "bob", "password": PASSWORD})
        assert response.json()["user"]["name"] == "bob"
        cookie = response.headers["set-cookie"]
        value = response.cookies["binscribe_session"]
        assert cookie == (
            f"binscribe_session={value}; HttpOnly; Max-Age=43200; Path=/; SameSite=strict"
        )
        with app.state.session_factory() as session:
            rows = session.scalars(select(UserSession)).all()
        assert [r.token_hash for r in rows] == [hashlib.sha256(value.encode()).hexdigest()]
        assert timedelta(hours=11.9) < rows[0].expires_at - utcnow() <= timedelta(hours=12)
    app.state.engine.dispose()
    tls = create_app(app_settings)
    with TestClient(tls, base_url="https://testserver") as client:
        secure = client.post(LOGIN, json={"name": "bob", "password": PASSWORD})
        assert "; Secure" in secure.headers["set-cookie"]
    tls.state.engine.dispose()


def test_wrong_password_and_unknown_user_get_the_same_answer(
    client: TestClient, add_user: AddUser
) -> None:
    add_user("carol")
    wrong = client.post(LOGIN, json={"name": "carol", "password": "not the password"})
    unknown = client.post(LOGIN, json={"name": "nobody", "password": "not the password"})
    assert (wrong.status_code, wrong.json()) == (401, WRONG)
    assert (unknown.status_code, unknown.json()) == (401, WRONG)
    assert "set-cookie" not in wrong.headers


def test_a_disabled_user_can_neither_sign_in_nor_use_a_session(
    client: TestClient, add_user: AddUser
) -> None:
    add_user("dave")
    sign_in(client, "dave")
    assert client.get(PROVIDERS).status_code == 200
    with client.app.state.session_factory() as session:  # type: ignore[attr-defined]
        set_active(session, name="dave", active=False)
        session.commit()
    assert client.get(PROVIDERS).status_code == 401
    refused = client.post(LOGIN, json={"name": "dave", "password": PASSWORD})
    assert (refused.status_code, refused.json()) == (401, WRONG)


def test_failed_sign_ins_are_limited_per_account_and_per_client(
    app_settings: Settings, add_user: AddUser
) -> None:
    settings = app_settings.model_copy(
        update={"login_max_failures": 2, "login_max_failures_per_client": 3}
    )
    add_user("erin")
    app = create_app(settings)
    with TestClient(app) as client:
        for _ in range(2):
            assert client.post(LOGIN, json={"name": "erin", "password": "x" * 10}).json() == WRONG
        limited = client.post(LOGIN, json={"name": "erin", "password": PASSWORD})
        assert limited.status_code == 429
        body = limited.json()
        assert body["code"] == "login_rate_limited"
        assert body["message"] == "Too many failed sign-ins; try again in 15 minute(s)."
        assert 14 * 60 < body["details"]["retry_after_s"] <= 15 * 60
        # the client has 2 failures of 3: one more name may fail once, then the client is cut off
        assert client.post(LOGIN, json={"name": "other", "password": "x" * 10}).json() == WRONG
        cut_off = client.post(LOGIN, json={"name": "third", "password": "x" * 10})
        assert cut_off.json()["code"] == "login_rate_limited"
        with app.state.session_factory() as session:
            counted = session.execute(
                select(LoginFailure.user_name, func.count()).group_by(LoginFailure.user_name)
            ).all()
        assert sorted(counted) == [("erin", 2), ("other", 1)]
    app.state.engine.dispose()


def test_success_clears_the_account_failures(client: TestClient, add_user: AddUser) -> None:
    add_user("frank")
    client.post(LOGIN, json={"name": "frank", "password": "x" * 10})
    sign_in(client, "frank")
    with client.app.state.session_factory() as session:  # type: ignore[attr-defined]
        assert session.scalar(select(func.count()).select_from(LoginFailure)) == 0


def test_an_expired_session_is_refused(client: TestClient, add_user: AddUser) -> None:
    add_user("gina")
    sign_in(client, "gina")
    with client.app.state.session_factory() as session:  # type: ignore[attr-defined]
        session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        session.commit()
    assert client.get(PROVIDERS).status_code == 401
    assert client.get(SESSION).json() == {"mode": "accounts", "user": None}


def test_sign_out_ends_the_session_on_the_server(client: TestClient, add_user: AddUser) -> None:
    add_user("hank")
    value = sign_in(client, "hank")
    out = client.post("/api/v1/auth/logout")
    assert out.status_code == 204
    assert out.headers["set-cookie"].startswith('binscribe_session=""; ')
    assert "Max-Age=0" in out.headers["set-cookie"]
    client.cookies.set("binscribe_session", value)  # a copy kept by someone else
    assert client.get(PROVIDERS).status_code == 401
    with client.app.state.session_factory() as session:  # type: ignore[attr-defined]
        assert session.scalar(select(func.count()).select_from(UserSession)) == 0
