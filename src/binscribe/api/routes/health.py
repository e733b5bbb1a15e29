"""``/api/v1/health``: is the service up, which version answers, and the limits clients need."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from binscribe import __version__
from binscribe.api.deps import SessionDep, SettingsDep

router = APIRouter(tags=["health"])


class HealthPublic(BaseModel):
    """Service health: ``ok`` when the database answers, and what this server is.

    ``database`` is the SQLAlchemy dialect (``sqlite``, ``postgresql``), ``queue`` the job
    runner (``local``, ``celery``), ``max_upload_bytes`` the largest binary ``POST
    /api/v1/decompile`` accepts (``BINSCRIBE_MAX_UPLOAD_MB`` × 1 MiB; larger is 413).
    """

    status: str
    version: str
    database: str
    queue: str
    max_upload_bytes: int


@router.get("/health", response_model=HealthPublic)
def get_health(session: SessionDep, settings: SettingsDep) -> HealthPublic:
    """Report that the service and its database answer, with the server's upload limit."""
    session.execute(text("SELECT 1"))
    backend = session.get_bind().dialect.name
    return HealthPublic(
        status="ok",
        version=__version__,
        database=backend,
        queue=settings.queue,
        max_upload_bytes=settings.max_upload_bytes,
    )
