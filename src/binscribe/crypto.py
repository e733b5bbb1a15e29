"""Encryption of stored provider API keys: Fernet keys, MultiFernet rotation, the key file.

Key material comes from ``LLM_PROVIDER_ENCRYPTION_KEY`` (one Fernet key, or a comma-separated
list: the first encrypts, every one decrypts). When it is unset, the embedded default is a key
file ``<data_dir>/encryption.key`` created once with mode 0600 and reused on every start, so
stored keys survive restarts. There is never an ephemeral key.

Every key is identified by its *fingerprint*: the first 16 hex digits of the SHA-256 of the 32
raw key bytes. A stored row records the fingerprint of the key that encrypted it, so whether
the row is still readable is known without decrypting. Neither keys nor tokens ever appear in
messages or logs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from binscribe.errors import ConfigError, ConflictError
from binscribe.settings import Settings

logger = logging.getLogger(__name__)

ENV_VAR = "LLM_PROVIDER_ENCRYPTION_KEY"
KEY_FILE_NAME = "encryption.key"
_KEY_SHAPE = "32 url-safe base64-encoded bytes"


class KeyUnusable(ConflictError):
    """A stored token cannot be decrypted with any configured key (HTTP 409).

    Raised for a key that was rotated away, a wrong key, or a damaged token. The message
    never contains the token or any key.
    """

    code = "provider_key_unusable"


def generate_key() -> str:
    """A new random Fernet key as text (44 url-safe base64 characters)."""
    return Fernet.generate_key().decode("ascii")


def _raw_key(key: str | bytes) -> bytes:
    """The 32 raw bytes of a Fernet key; ``ValueError`` (without the value) when it is not one."""
    text = key.encode("ascii", "replace") if isinstance(key, str) else key
    try:
        raw = base64.urlsafe_b64decode(text)
    except (binascii.Error, ValueError):
        raise ValueError(f"not a valid Fernet key ({_KEY_SHAPE})") from None
    if len(raw) != 32:
        raise ValueError(f"not a valid Fernet key ({_KEY_SHAPE})")
    return raw


def _fingerprint(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


class CredentialCipher:
    """Encrypts and decrypts API keys with a list of Fernet keys.

    ``keys`` are Fernet keys as text or bytes; the first one encrypts, all of them decrypt.
    Raises ``ValueError`` when the list is empty or an entry is not a Fernet key (use
    :func:`load_cipher` for configuration, which names the bad entry).
    """

    def __init__(self, keys: Sequence[str | bytes]) -> None:
        if not keys:
            raise ValueError("CredentialCipher needs at least one key")
        raws = [_raw_key(key) for key in keys]
        self._fernet = MultiFernet([Fernet(base64.urlsafe_b64encode(raw)) for raw in raws])
        self._fingerprints = tuple(_fingerprint(raw) for raw in raws)

    @property
    def fingerprint(self) -> str:
        """Fingerprint (16 hex digits) of the primary key, the one that encrypts."""
        return self._fingerprints[0]

    @property
    def fingerprints(self) -> tuple[str, ...]:
        """Fingerprints of every configured key, primary first."""
        return self._fingerprints

    def encrypt(self, plaintext: str) -> str:
        """Encrypt UTF-8 text with the primary key; returns the Fernet token as ASCII text."""
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Decrypt a token made by :meth:`encrypt` with any configured key.

        Raises :class:`KeyUnusable` when no key opens it or the token is damaged.
        """
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise KeyUnusable(
                "the stored API key cannot be decrypted with the configured encryption keys"
            ) from None

    def rotate(self, token: str) -> str:
        """Re-encrypt a token with the primary key; raises :class:`KeyUnusable` like decrypt."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeError):
            raise KeyUnusable(
                "the stored API key cannot be decrypted with the configured encryption keys"
            ) from None


def _keys_from_env(value: str) -> list[str]:
    """Split the variable's value into keys; ``ConfigError`` naming the bad entry, never it."""
    entries = [entry.strip() for entry in value.split(",")]
    entries = [entry for entry in entries if entry]
    for position, entry in enumerate(entries, start=1):
        try:
            _raw_key(entry)
        except ValueError:
            raise ConfigError(
                f"{ENV_VAR}: entry {position} of {len(entries)} is not a valid Fernet key "
                f"({_KEY_SHAPE})"
            ) from None
    if not entries:
        raise ConfigError(f"{ENV_VAR} holds no key")
    return entries


def _read_key_file(path: Path) -> str:
    try:
        key = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError as exc:
        raise ConfigError(f"cannot read encryption key file {path}: {exc.strerror}") from None
    try:
        _raw_key(key)
    except ValueError:
        raise ConfigError(
            f"encryption key file {path} does not hold a valid Fernet key ({_KEY_SHAPE}); "
            f"restore it or set {ENV_VAR}"
        ) from None
    return key


def _create_key_file(path: Path) -> bool:
    """Write a new key to ``path`` unless it exists; True when this call created it.

    The key is written to a private temporary file (O_CREAT|O_EXCL, 0600) and then hard-linked
    into place, so a process starting at the same moment never reads a half-written file.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(generate_key() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)
    return True


def key_file_path(settings: Settings) -> Path:
    """Where the embedded default key lives: ``<data_dir>/encryption.key``."""
    return settings.data_dir / KEY_FILE_NAME


def load_cipher(settings: Settings) -> CredentialCipher:
    """The process's cipher, from ``settings.encryption_key`` or the key file.

    With ``LLM_PROVIDER_ENCRYPTION_KEY`` set, its comma-separated keys are used (spaces and
    empty entries ignored). Otherwise ``<data_dir>/encryption.key`` is read, or created with
    mode 0600 (and the data dir with 0700) on first use; its path is logged at INFO, never
    its content. Raises ``ConfigError`` naming the variable and entry, or the file, when the
    key material is invalid; the message never contains it.
    """
    if settings.encryption_key is not None:
        return CredentialCipher(_keys_from_env(settings.encryption_key.get_secret_value()))
    path = key_file_path(settings)
    if not path.exists():
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        if _create_key_file(path):
            logger.info("generated a new encryption key at %s", path)
            return CredentialCipher([_read_key_file(path)])
    logger.info("using encryption key file %s", path)
    if path.stat().st_mode & 0o077:
        logger.warning("encryption key file %s is readable by other users; chmod 600 it", path)
    return CredentialCipher([_read_key_file(path)])
