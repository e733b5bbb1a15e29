"""Dependencies as types: ``SettingsDep``, ``SessionDep``, ``WriteSessionDep``,
``WriteSessionFactoryDep``, ``CipherDep``, ``BlobsDep``, ``RunnerDep``, ``NotifierDep``,
``PrincipalDep``.

The app factory stores the settings, session factories, cipher, job runner and notifier on
``app.state``; handlers get them only through these, so tests may replace any of them with
``app.dependency_overrides``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from binscribe.api.access import require_principal
from binscribe.auth.principal import Principal
from binscribe.crypto import CredentialCipher
from binscribe.jobs.blobs import BlobStore
from binscribe.jobs.context import blob_store
from binscribe.jobs.notifier import Notifier
from binscribe.jobs.runners import JobRunner
from binscribe.settings import Settings


def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """A database session for one request; handlers commit, the session is always closed."""
    session: Session = request.app.state.session_factory()
    try:
        yield session
    finally:
        session.close()


def get_write_session(request: Request) -> Iterator[Session]:
    """Like :func:`get_session`, for handlers that write: on SQLite its transactions wait
    their turn for the write lock instead of failing with "database is locked"."""
    session: Session = request.app.state.write_session_factory()
    try:
        yield session
    finally:
        session.close()


def get_cipher(request: Request) -> CredentialCipher:
    """The credential cipher loaded at start-up."""
    cipher: CredentialCipher = request.app.state.cipher
    return cipher


def get_write_session_factory(request: Request) -> sessionmaker[Session]:
    """The write session factory (see :func:`get_write_session`), for writes a handler hands
    to a worker thread."""
    factory: sessionmaker[Session] = request.app.state.write_session_factory
    return factory


def get_blobs(request: Request) -> BlobStore:
    """The blob store in the data dir (uploads and results)."""
    return blob_store(request.app.state.settings)


def get_runner(request: Request) -> JobRunner:
    """The job runner (local pool or Celery) the app started."""
    runner: JobRunner = request.app.state.job_runner
    return runner


def get_notifier(request: Request) -> Notifier:
    """Where job changes are published (in process, or Redis with Celery)."""
    notifier: Notifier = request.app.state.notifier
    return notifier


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
# scope="function": the session is closed as soon as the handler returns (or raises), before
# the response is serialized in another worker thread. A connection or a SQLite write lock held
# across that hop could wait for threads that themselves wait for the connection or the lock.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
WriteSessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_write_session_factory)]
CipherDep = Annotated[CredentialCipher, Depends(get_cipher)]
BlobsDep = Annotated[BlobStore, Depends(get_blobs)]
RunnerDep = Annotated[JobRunner, Depends(get_runner)]
NotifierDep = Annotated[Notifier, Depends(get_notifier)]


PrincipalDep = Annotated[Principal, Depends(require_principal)]
"""The signed-in user, token holder or implicit local user (see :mod:`binscribe.api.access`)."""
