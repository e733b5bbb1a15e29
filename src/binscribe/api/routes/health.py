"""``/api/v1/health``: is the service up, and which version answers."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from binscribe import __version__
from binscribe.api.deps import SessionDep, SettingsDep

router = APIRouter(tags=["health"])


class HealthPublic(BaseModel):
    """Service health: ``ok`` when the database answers."""

    status: str
    version: str
    database: str
    queue: str


@router.get("/health", response_model=HealthPublic)
def get_health(session: SessionDep, settings: SettingsDep) -> HealthPublic:
    """Report that the service and its database answer."""
    session.execute(text("SELECT 1"))
    backend = session.get_bind().dialect.name
    return HealthPublic(status="ok", version=__version__, database=backend, queue=settings.queue)
