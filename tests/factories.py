"""Plain factory functions for test data; each returns the flushed ORM row."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.orm import Session

from binscribe.crypto import CredentialCipher
from binscribe.db.models import UserLLMProvider
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
