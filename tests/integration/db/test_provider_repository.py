"""The provider repository on real SQLite and PostgreSQL (``db_url`` runs each test on both)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from binscribe.crypto import CredentialCipher, KeyUnusable, generate_key
from binscribe.db.engine import make_session_factory
from binscribe.db.models import UserLLMProvider
from binscribe.db.providers import (
    ProviderChanges,
    ProviderNameTaken,
    ProviderNotFound,
    RotationReport,
    create_provider,
    decrypt_api_key,
    delete_provider,
    get_provider,
    key_status,
    list_providers,
    record_test_result,
    rotate_keys,
    update_provider,
)
from tests.factories import make_provider

API_KEY = "sk-proj-0123456789abcdefWXYZ"


def _reload(engine: Engine, provider_id: uuid.UUID) -> UserLLMProvider:
    """The row as committed, read through a second session."""
    with make_session_factory(engine)() as other:
        return get_provider(other, provider_id)


def test_create_stores_encrypted_key_hint_and_fingerprint(
    engine: Engine, session: Session, cipher: CredentialCipher
) -> None:
    created = create_provider(
        session,
        cipher=cipher,
        name="  Work OpenAI  ",
        provider_type="openai",
        api_key=API_KEY,
        endpoint_url="https://api.example.test/v1",
        default_model="gpt-4o-mini",
        config={"temperature": 0.2, "max_tokens": 512},
    )
    session.commit()

    row = _reload(engine, created.id)
    assert isinstance(row.id, uuid.UUID)
    assert row.name == "Work OpenAI"
    assert row.provider_type == "openai"
    assert row.endpoint_url == "https://api.example.test/v1"
    assert row.default_model == "gpt-4o-mini"
    assert row.config_json == {"temperature": 0.2, "max_tokens": 512}
    assert row.is_active is True
    assert row.api_key_hint == "WXYZ"
    assert row.key_fingerprint == cipher.fingerprint
    assert row.encrypted_api_key is not None and API_KEY not in row.encrypted_api_key
    assert decrypt_api_key(row, cipher) == API_KEY
    assert row.last_test_status is None and row.last_tested_at is None
    assert row.created_at.tzinfo is UTC and row.updated_at.tzinfo is UTC
    assert abs(datetime.now(UTC) - row.created_at) < timedelta(minutes=1)


def test_create_without_key(session: Session, cipher: CredentialCipher) -> None:
    created = make_provider(
        session,
        cipher,
        name="local",
        provider_type="ollama",
        api_key=None,
        endpoint_url="http://127.0.0.1:11434",
    )
    assert (created.encrypted_api_key, created.api_key_hint, created.key_fingerprint) == (
        None,
        None,
        None,
    )
    assert created.config_json == {}
    assert key_status(created, cipher) == "ok"
    assert decrypt_api_key(created, cipher) is None


def test_get_unknown_id_raises_not_found(session: Session) -> None:
    missing = uuid.uuid4()
    with pytest.raises(ProviderNotFound) as caught:
        get_provider(session, missing)
    assert caught.value.code == "provider_not_found"
    assert caught.value.http_status == 404
    assert caught.value.details == {"id": str(missing)}


def test_list_orders_by_creation_and_filters(session: Session, cipher: CredentialCipher) -> None:
    first = make_provider(session, cipher, name="b-first", provider_type="openai")
    second = make_provider(
        session, cipher, name="a-second", provider_type="anthropic", is_active=False
    )
    third = make_provider(session, cipher, name="c-third", provider_type="openai")
    session.commit()

    assert [p.name for p in list_providers(session)] == ["b-first", "a-second", "c-third"]
    assert [p.id for p in list_providers(session, is_active=True)] == [first.id, third.id]
    assert [p.id for p in list_providers(session, is_active=False)] == [second.id]
    assert [p.id for p in list_providers(session, provider_type="anthropic")] == [second.id]
    assert list_providers(session, provider_type="anthropic", is_active=True) == []


def test_list_breaks_creation_ties_by_name(session: Session, cipher: CredentialCipher) -> None:
    moment = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
    for name in ("zeta", "alpha"):
        make_provider(session, cipher, name=name).created_at = moment
    session.commit()
    assert [p.name for p in list_providers(session)] == ["alpha", "zeta"]


@pytest.mark.parametrize("omitted", [None, "", "   "])
def test_update_without_key_keeps_stored_key(
    engine: Engine, session: Session, cipher: CredentialCipher, omitted: str | None
) -> None:
    created = make_provider(session, cipher, api_key=API_KEY)
    token, fingerprint = created.encrypted_api_key, created.key_fingerprint
    session.commit()

    changes = ProviderChanges(default_model="gpt-4.1", is_active=False)
    if omitted is not None:
        changes = changes.model_copy(update={"api_key": omitted})
    update_provider(session, created.id, cipher=cipher, changes=changes)
    session.commit()

    row = _reload(engine, created.id)
    assert (row.default_model, row.is_active) == ("gpt-4.1", False)
    assert (row.encrypted_api_key, row.key_fingerprint, row.api_key_hint) == (
        token,
        fingerprint,
        "WXYZ",
    )
    assert decrypt_api_key(row, cipher) == API_KEY


def test_update_with_new_key_reencrypts_and_resets_hint(
    engine: Engine, session: Session, cipher: CredentialCipher
) -> None:
    old_cipher = CredentialCipher([generate_key()])
    created = make_provider(session, old_cipher, api_key=API_KEY)
    session.commit()
    assert key_status(created, cipher) == "needs_reentry"

    update_provider(
        session, created.id, cipher=cipher, changes=ProviderChanges(api_key=" sk-ant-new-key-9876 ")
    )
    session.commit()

    row = _reload(engine, created.id)
    assert row.api_key_hint == "9876"
    assert row.key_fingerprint == cipher.fingerprint
    assert decrypt_api_key(row, cipher) == "sk-ant-new-key-9876"
    assert key_status(row, cipher) == "ok"


def test_update_changes_only_given_fields(
    engine: Engine, session: Session, cipher: CredentialCipher
) -> None:
    created = make_provider(
        session,
        cipher,
        name="before",
        endpoint_url="https://a.example.test/v1",
        config={"temperature": 1},
    )
    session.commit()
    updated_before = created.updated_at

    update_provider(
        session,
        created.id,
        cipher=cipher,
        changes=ProviderChanges(name=" after ", endpoint_url=None, config={"temperature": 0}),
    )
    session.commit()

    row = _reload(engine, created.id)
    assert (row.name, row.endpoint_url, row.config_json) == ("after", None, {"temperature": 0})
    assert (row.provider_type, row.default_model) == ("openai", "gpt-4o-mini")
    assert row.updated_at > updated_before
    assert row.created_at == created.created_at


def test_changes_refuse_unknown_and_null_fields() -> None:
    with pytest.raises(
        ValidationError, match="encrypted_api_key\n  Extra inputs are not permitted"
    ):
        ProviderChanges.model_validate({"encrypted_api_key": "x"})
    with pytest.raises(ValidationError, match="cannot be null: name, is_active"):
        ProviderChanges(name=None, is_active=None)
    assert ProviderChanges(endpoint_url=None).model_fields_set == {"endpoint_url"}


def test_update_unknown_id_raises_not_found(session: Session, cipher: CredentialCipher) -> None:
    with pytest.raises(ProviderNotFound):
        update_provider(
            session, uuid.uuid4(), cipher=cipher, changes=ProviderChanges(is_active=False)
        )


def test_delete(engine: Engine, session: Session, cipher: CredentialCipher) -> None:
    keep = make_provider(session, cipher, name="keep")
    gone = make_provider(session, cipher, name="gone")
    session.commit()

    delete_provider(session, gone.id)
    session.commit()

    assert [p.name for p in list_providers(session)] == ["keep"]
    assert _reload(engine, keep.id).name == "keep"
    with pytest.raises(ProviderNotFound):
        delete_provider(session, gone.id)


def test_duplicate_name_on_create_leaves_session_usable(
    engine: Engine, session: Session, cipher: CredentialCipher
) -> None:
    make_provider(session, cipher, name="Team")
    session.commit()
    pending = make_provider(session, cipher, name="pending in same transaction")

    with pytest.raises(ProviderNameTaken) as caught:
        make_provider(session, cipher, name=" Team ")
    assert caught.value.code == "provider_name_taken"
    assert caught.value.http_status == 409
    assert caught.value.details == {
        "fields": [
            {"field": "name", "message": caught.value.message, "type": "provider_name_taken"}
        ],
        "name": "Team",
    }

    # The failed insert is gone, the earlier uncommitted one survives, the session still works.
    extra = make_provider(session, cipher, name="after the conflict")
    session.commit()
    with make_session_factory(engine)() as other:
        names = [p.name for p in list_providers(other)]
    assert names == ["Team", "pending in same transaction", "after the conflict"]
    assert _reload(engine, pending.id).name == "pending in same transaction"
    assert _reload(engine, extra.id).name == "after the conflict"


def test_duplicate_name_on_update_keeps_the_row(
    engine: Engine, session: Session, cipher: CredentialCipher
) -> None:
    make_provider(session, cipher, name="taken")
    target = make_provider(session, cipher, name="mine", default_model="m1")
    session.commit()

    with pytest.raises(ProviderNameTaken):
        update_provider(
            session,
            target.id,
            cipher=cipher,
            changes=ProviderChanges(name="taken", default_model="m2"),
        )
    assert (target.name, target.default_model) == ("mine", "m1")

    update_provider(session, target.id, cipher=cipher, changes=ProviderChanges(default_model="m3"))
    session.commit()
    row = _reload(engine, target.id)
    assert (row.name, row.default_model) == ("mine", "m3")


def test_record_test_result(engine: Engine, session: Session, cipher: CredentialCipher) -> None:
    created = make_provider(session, cipher)
    at = datetime(2025, 6, 1, 8, 30, 15, 123000, tzinfo=UTC)
    record_test_result(
        session,
        created.id,
        success=False,
        message="the provider rejected the API key",
        error_code="provider_auth_failed",
        latency_ms=412,
        tested_at=at,
    )
    session.commit()
    row = _reload(engine, created.id)
    assert (
        row.last_test_status,
        row.last_test_message,
        row.last_test_error_code,
        row.last_test_latency_ms,
        row.last_tested_at,
    ) == ("failure", "the provider rejected the API key", "provider_auth_failed", 412, at)

    record_test_result(
        session, created.id, success=True, message="ok", error_code=None, latency_ms=87
    )
    session.commit()
    row = _reload(engine, created.id)
    assert (row.last_test_status, row.last_test_error_code, row.last_test_latency_ms) == (
        "success",
        None,
        87,
    )
    assert row.last_tested_at is not None and row.last_tested_at > at


def test_key_status_and_decrypt_after_key_change(session: Session) -> None:
    key = generate_key()
    cipher = CredentialCipher([key])
    created = make_provider(session, cipher, name="old key", api_key=API_KEY)
    replacement = CredentialCipher([generate_key()])

    assert key_status(created, cipher) == "ok"
    assert key_status(created, replacement) == "needs_reentry"
    with pytest.raises(KeyUnusable) as caught:
        decrypt_api_key(created, replacement)
    assert caught.value.code == "provider_key_unusable"
    assert caught.value.http_status == 409
    assert "'old key'" in caught.value.message
    assert API_KEY not in caught.value.message
    assert caught.value.details == {"provider_id": str(created.id)}

    # The old key kept as a secondary key still opens the row.
    both = CredentialCipher([generate_key(), key])
    assert key_status(created, both) == "ok"
    assert decrypt_api_key(created, both) == API_KEY


def test_key_status_without_fingerprint_decrypts(
    session: Session, cipher: CredentialCipher
) -> None:
    created = make_provider(session, cipher)
    created.key_fingerprint = None
    assert key_status(created, cipher) == "ok"
    assert key_status(created, CredentialCipher([generate_key()])) == "needs_reentry"


def test_rotate_keys(engine: Engine, session: Session) -> None:
    old_key, new_key, lost_key = generate_key(), generate_key(), generate_key()
    old = CredentialCipher([old_key])
    make_provider(session, old, name="rotate me", api_key="sk-rotate-me-1111")
    make_provider(session, CredentialCipher([new_key]), name="current", api_key="sk-cur-2222")
    lost = make_provider(session, CredentialCipher([lost_key]), name="lost", api_key="sk-3333")
    make_provider(session, old, name="no key", provider_type="ollama", api_key=None)
    session.commit()
    lost_before = (lost.encrypted_api_key, lost.key_fingerprint, lost.api_key_hint)

    rotating = CredentialCipher([new_key, old_key])
    report = rotate_keys(session, rotating)
    session.commit()

    assert report == RotationReport(rotated=1, already_current=1, failed=["lost"])
    only_new = CredentialCipher([new_key])
    with make_session_factory(engine)() as other:
        rows = {p.name: p for p in other.scalars(select(UserLLMProvider))}
    assert decrypt_api_key(rows["rotate me"], only_new) == "sk-rotate-me-1111"
    assert rows["rotate me"].key_fingerprint == only_new.fingerprint
    assert rows["rotate me"].api_key_hint == "1111"
    assert decrypt_api_key(rows["current"], only_new) == "sk-cur-2222"
    assert (
        rows["lost"].encrypted_api_key,
        rows["lost"].key_fingerprint,
        rows["lost"].api_key_hint,
    ) == lost_before
    assert key_status(rows["lost"], only_new) == "needs_reentry"
    assert rows["no key"].encrypted_api_key is None

    assert rotate_keys(session, rotating) == RotationReport(
        rotated=0, already_current=2, failed=["lost"]
    )
