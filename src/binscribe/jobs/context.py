"""``JobContext``: settings, database sessions, the credential cipher, the blob store and the
job change notifier, built once per process (API server, CLI or Celery worker) and handed to
the pipeline."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from binscribe.crypto import CredentialCipher, load_cipher
from binscribe.db.engine import make_engine, make_session_factory
from binscribe.jobs.blobs import BlobStore
from binscribe.jobs.notifier import Notifier, build_notifier
from binscribe.settings import Settings


@dataclass(frozen=True)
class JobContext:
    """Everything a job needs besides its id. ``sessions()`` opens one session per unit of
    work; ``blobs`` is rooted at ``<data_dir>/blobs``; ``notifier`` carries job changes to
    event streams (see :mod:`~binscribe.jobs.notifier`)."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    cipher: CredentialCipher
    blobs: BlobStore
    notifier: Notifier

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        engine: Engine | None = None,
        cipher: CredentialCipher | None = None,
    ) -> JobContext:
        """A context for ``settings``; reuses ``engine``/``cipher`` when given (the API's).

        Raises ConfigError when the encryption key is invalid.
        """
        engine = engine or make_engine(
            settings.sqlalchemy_url, sqlite_busy_timeout_s=settings.sqlite_busy_timeout_s
        )
        return cls(
            settings=settings,
            engine=engine,
            sessions=make_session_factory(engine),
            cipher=cipher or load_cipher(settings),
            blobs=blob_store(settings),
            notifier=build_notifier(settings),
        )


def blob_store(settings: Settings) -> BlobStore:
    """The blob store in ``settings.data_dir``."""
    return BlobStore(settings.data_dir / "blobs")
