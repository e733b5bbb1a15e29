"""CredentialCipher, key parsing and the embedded key file."""

from __future__ import annotations

import base64
import hashlib
import logging
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from binscribe.crypto import (
    ENV_VAR,
    CredentialCipher,
    KeyUnusable,
    generate_key,
    load_cipher,
)
from binscribe.errors import BinscribeError, ConfigError
from binscribe.settings import Settings

SECRET = "sk-proj-abcdefghijklmnopqrstuvwxyz0123"


def _settings(tmp_path: Path, encryption_key: str | None = None) -> Settings:
    return Settings(data_dir=tmp_path / "data", encryption_key=encryption_key)


def test_generate_key_is_a_fernet_key() -> None:
    key = generate_key()
    assert len(key) == 44
    assert len(base64.urlsafe_b64decode(key)) == 32
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"x")) == b"x"
    assert generate_key() != key


def test_round_trip_and_fingerprint() -> None:
    key = generate_key()
    cipher = CredentialCipher([key])
    token = cipher.encrypt(SECRET)
    assert SECRET not in token
    assert token != cipher.encrypt(SECRET)  # fresh IV each time
    assert cipher.decrypt(token) == SECRET
    expected = hashlib.sha256(base64.urlsafe_b64decode(key)).hexdigest()[:16]
    assert cipher.fingerprint == expected
    assert cipher.fingerprints == (expected,)


def test_multifernet_first_key_encrypts_all_decrypt() -> None:
    old_key, new_key = generate_key(), generate_key()
    old = CredentialCipher([old_key])
    rotating = CredentialCipher([new_key, old_key])
    old_token = old.encrypt(SECRET)

    assert rotating.decrypt(old_token) == SECRET
    new_token = rotating.encrypt(SECRET)
    assert CredentialCipher([new_key]).decrypt(new_token) == SECRET
    with pytest.raises(KeyUnusable):
        old.decrypt(new_token)
    assert rotating.fingerprint == CredentialCipher([new_key]).fingerprint
    assert rotating.fingerprints == (rotating.fingerprint, old.fingerprint)

    rotated = rotating.rotate(old_token)
    assert CredentialCipher([new_key]).decrypt(rotated) == SECRET


@pytest.mark.parametrize("token", ["gAAAAA-not-a-token", "", "ünïcode"])
def test_wrong_key_or_damaged_token_raises_key_unusable(token: str) -> None:
    cipher = CredentialCipher([generate_key()])
    real_token = CredentialCipher([generate_key()]).encrypt(SECRET)
    for candidate in (real_token, token):
        with pytest.raises(KeyUnusable) as caught:
            cipher.decrypt(candidate)
        assert isinstance(caught.value, BinscribeError)
        assert caught.value.code == "provider_key_unusable"
        assert caught.value.message == (
            "the stored API key cannot be decrypted with the configured encryption keys"
        )
        with pytest.raises(KeyUnusable):
            cipher.rotate(candidate)


def test_cipher_rejects_no_keys_and_bad_keys() -> None:
    with pytest.raises(ValueError, match="at least one key"):
        CredentialCipher([])
    with pytest.raises(ValueError, match="not a valid Fernet key") as caught:
        CredentialCipher(["c2hvcnQ="])
    assert "c2hvcnQ=" not in str(caught.value)


def test_env_list_tolerates_whitespace(tmp_path: Path) -> None:
    first, second = generate_key(), generate_key()
    cipher = load_cipher(_settings(tmp_path, f"  {first} ,\n {second} ,"))
    assert cipher.fingerprints == (
        CredentialCipher([first]).fingerprint,
        CredentialCipher([second]).fingerprint,
    )
    assert not (tmp_path / "data").exists()  # no key file when the variable is set


SHORT_KEY = base64.urlsafe_b64encode(b"x" * 16).decode()  # valid base64, 16 bytes


@pytest.mark.parametrize(
    ("template", "entry"),
    [
        ("definitely-not-a-key", "entry 1 of 1"),
        ("{good},not/base64!,{good}", "entry 2 of 3"),
        ("{good}, " + SHORT_KEY, "entry 2 of 2"),
    ],
)
def test_invalid_env_value_names_variable_and_entry_not_value(
    tmp_path: Path, template: str, entry: str
) -> None:
    good = generate_key()
    value = template.format(good=good)
    with pytest.raises(ConfigError) as caught:
        load_cipher(_settings(tmp_path, value))
    message = caught.value.message
    assert message == (
        f"{ENV_VAR}: {entry} is not a valid Fernet key (32 url-safe base64-encoded bytes)"
    )
    for part in value.split(","):
        assert part.strip() not in message


def test_key_file_created_private_and_reused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings(tmp_path)
    key_file = tmp_path / "data" / "encryption.key"
    with caplog.at_level(logging.INFO, logger="binscribe.crypto"):
        first = load_cipher(settings)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    key = key_file.read_text().strip()
    assert CredentialCipher([key]).fingerprint == first.fingerprint
    assert [r.getMessage() for r in caplog.records] == [
        f"generated a new encryption key at {key_file}"
    ]
    assert list(key_file.parent.iterdir()) == [key_file]  # no temporary file left behind
    token = first.encrypt(SECRET)

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="binscribe.crypto"):
        second = load_cipher(settings)  # a restart
    assert second.fingerprint == first.fingerprint
    assert second.decrypt(token) == SECRET
    assert [r.getMessage() for r in caplog.records] == [f"using encryption key file {key_file}"]
    assert key not in caplog.text


def test_simultaneous_first_starts_share_one_key(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    barrier = threading.Barrier(8)

    def start() -> str:
        barrier.wait()
        return load_cipher(settings).fingerprint

    with ThreadPoolExecutor(max_workers=8) as pool:
        fingerprints = list(pool.map(lambda _: start(), range(8)))
    key = (tmp_path / "data" / "encryption.key").read_text().strip()
    assert fingerprints == [CredentialCipher([key]).fingerprint] * 8
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["encryption.key"]


def test_existing_data_dir_keeps_its_mode(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    load_cipher(_settings(tmp_path))
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o755
    assert stat.S_IMODE((data_dir / "encryption.key").stat().st_mode) == 0o600


def test_key_file_with_wrong_content_is_config_error(tmp_path: Path) -> None:
    key_file = tmp_path / "data" / "encryption.key"
    key_file.parent.mkdir()
    key_file.write_text("not a key\n")
    key_file.chmod(0o600)
    with pytest.raises(ConfigError) as caught:
        load_cipher(_settings(tmp_path))
    assert caught.value.message == (
        f"encryption key file {key_file} does not hold a valid Fernet key "
        f"(32 url-safe base64-encoded bytes); restore it or set {ENV_VAR}"
    )


def test_unreadable_key_file_is_config_error(tmp_path: Path) -> None:
    key_file = tmp_path / "data" / "encryption.key"
    key_file.mkdir(parents=True)  # a directory where the file should be
    with pytest.raises(ConfigError) as caught:
        load_cipher(_settings(tmp_path))
    assert caught.value.message == f"cannot read encryption key file {key_file}: Is a directory"


def test_readable_key_file_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = _settings(tmp_path)
    load_cipher(settings)
    key_file = tmp_path / "data" / "encryption.key"
    key_file.chmod(0o644)
    caplog.clear()  # the first load may be captured too when an earlier test set INFO globally
    with caplog.at_level(logging.INFO, logger="binscribe.crypto"):
        load_cipher(settings)
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("INFO", f"using encryption key file {key_file}"),
        ("WARNING", f"encryption key file {key_file} is readable by other users; chmod 600 it"),
    ]
