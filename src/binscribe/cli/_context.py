"""What the job commands share: the process's job context (database upgraded when it is the
embedded SQLite), provider lookup by name or id (:func:`find_provider`, re-exported), and quiet
logging for terminal output."""

from __future__ import annotations

from binscribe.db.engine import upgrade_database
from binscribe.db.providers import find_provider
from binscribe.jobs.context import JobContext
from binscribe.logs import configure_logging
from binscribe.settings import Settings, get_settings

__all__ = ["cli_context", "find_provider"]


def cli_context(settings: Settings | None = None) -> JobContext:
    """A :class:`JobContext` for the CLI; logs only warnings unless BINSCRIBE_LOG_LEVEL=DEBUG.

    Raises ConfigError for an invalid encryption key."""
    settings = settings or get_settings()
    configure_logging("DEBUG" if settings.log_level == "DEBUG" else "WARNING")
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if settings.sqlalchemy_url.startswith("sqlite"):
        upgrade_database(settings.sqlalchemy_url)
    return JobContext.build(settings)
