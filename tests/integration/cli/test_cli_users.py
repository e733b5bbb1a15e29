"""``binscribe users`` and ``binscribe tokens`` (issue 14 §1), and ``serve`` refusing an open
non-loopback bind."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from binscribe.db.account_models import ApiToken, User
from binscribe.db.engine import make_engine, make_session_factory
from tests.helpers import Cli

PASSWORD = "correct horse battery"


def test_users_and_tokens_commands(cli: Cli, sqlite_db_url: str) -> None:

    created = cli("users", "create", "Alice", "--admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert (created.returncode, created.stdout) == (
        0,
        (
            "created admin alice\n"
            "this instance now requires sign-in (web UI) or a personal API token\n"
        ),
    )
    token = cli("tokens", "create", "ci", "--user", "alice")
    assert token.returncode == 0
    value = token.stdout.strip()
    assert value.startswith("bst_")
    listed = cli("tokens", "list").stdout
    assert "\talice\tci\t" + value[:8] + "...\t" in listed and value not in listed

    engine = make_engine(sqlite_db_url)
    try:
        with make_session_factory(engine)() as session:
            [row] = session.scalars(select(ApiToken)).all()
            assert row.token_hash == hashlib.sha256(value.encode()).hexdigest()
            user = session.scalars(select(User)).one()
            assert PASSWORD not in user.password_hash and user.password_hash.startswith(
                "$argon2id$"
            )
            token_id = row.id
    finally:
        engine.dispose()

    assert cli("tokens", "revoke", str(token_id)).stdout == f"revoked {token_id}\n"
    assert cli("tokens", "list").stdout == "no tokens\n"
    assert cli("users", "disable", "alice").stdout == "disabled alice\n"
    reset = cli(
        "users", "reset-password", "alice", "--password-stdin", stdin="another long password\n"
    )
    assert reset.stdout == "password of alice changed; their sessions ended\n"
    assert cli("users", "list").stdout.startswith("alice\tadmin\tdisabled\tlast sign-in never")


def test_serve_refuses_an_open_non_loopback_bind(cli: Cli) -> None:
    refused = cli("serve", "--host", "0.0.0.0", "--port", "1", timeout=120)
    assert refused.returncode == 2
    assert refused.stderr == (
        "binscribe: error: refusing to serve on 0.0.0.0 with no users and no BINSCRIBE_API_TOKEN: "
        "create one with `binscribe users create NAME --admin`, set the token, or bind to "
        "127.0.0.1\n"
    )
