"""Plain factory functions for test data; each returns the flushed ORM row."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.orm import Session

from binscribe.crypto import CredentialCipher
from binscribe.db.jobs import create_job
from binscribe.db.models import Job, UserLLMProvider
from binscribe.db.providers import create_provider


def make_provider(session: Session, cipher: CredentialCipher, **overrides: Any) -> UserLLMProvider:
    """Create a provider through the repository (flushed, not committed).

    Defaults: a unique ``name`` (``provider-<hex>``), ``provider_type="openai"``, a random
    ``api_key`` ``sk-test-<32 hex>`` and ``default_model="gpt-4o-mini"``; any
    :func:`~binscribe.db.providers.create_provider` argument may be overridden.
    """
    values: dict[str, Any] = {
        "name": f"provider-{secrets.token_hex(4)}",
        "provider_type": "openai",
        "api_key": f"sk-test-{secrets.token_hex(16)}",
        "default_model": "gpt-4o-mini",
    }
    values.update(overrides)
    return create_provider(session, cipher=cipher, **values)


def make_job(session: Session, **overrides: Any) -> Job:
    """Create a queued job through the repository (flushed, not committed) for a made-up ELF
    file; any :class:`~binscribe.db.models.Job` column may be overridden."""
    values: dict[str, Any] = {
        "file_sha256": secrets.token_hex(32),
        "file_name": "a.elf",
        "file_size": 1024,
        "file_format": "elf",
        "file_arch": "x86_64",
        "analysis_depth": "basic",
        "translation_detail": "standard",
    }
    values.update(overrides)
    return create_job(session, **values)
