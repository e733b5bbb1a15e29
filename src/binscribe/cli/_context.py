"""What the job commands share: the process's job context (database upgraded when it is the
embedded SQLite), provider lookup by name or id, and quiet logging for terminal output."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from binscribe.db import providers as provider_repo
from binscribe.db.engine import upgrade_database
from binscribe.db.models import UserLLMProvider
from binscribe.jobs.context import JobContext
from binscribe.logs import configure_logging
from binscribe.settings import Settings, get_settings


def cli_context(settings: Settings | None = None) -> JobContext:
    """A :class:`JobContext` for the CLI; logs only warnings unless BINSCRIBE_LOG_LEVEL=DEBUG.

    Raises ConfigError for an invalid encryption key."""
    settings = settings or get_settings()
    configure_logging("DEBUG" if settings.log_level == "DEBUG" else "WARNING")
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if settings.sqlalchemy_url.startswith("sqlite"):
        upgrade_database(settings.sqlalchemy_url)
    return JobContext.build(settings)


def find_provider(session: Session, name_or_id: str) -> UserLLMProvider:
    """The provider with this id or (trimmed) name; raises ProviderNotFound."""
    try:
        return provider_repo.get_provider(session, uuid.UUID(name_or_id))
    except ValueError:
        pass
    row = session.scalar(select(UserLLMProvider).where(UserLLMProvider.name == name_or_id.strip()))
    if row is None:
        raise provider_repo.ProviderNotFound(
            f"no provider named '{name_or_id}' (see `binscribe providers list`)",
            details={"name": name_or_id},
        )
    return row
