"""Expired uploads are deleted unless a queued or running job still needs the same file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from binscribe.crypto import generate_key
from binscribe.db.jobs import create_job
from binscribe.db.models import utcnow
from binscribe.jobs.context import JobContext
from binscribe.jobs.retention import PurgeSchedule, purge_expired_uploads
from binscribe.settings import Settings


def _job(session: Session, sha256: str, status: str, finished_days_ago: int | None) -> None:
    job = create_job(
        session,
        file_sha256=sha256,
        file_name="f",
        file_size=1,
        file_format="elf",
        file_arch="x86_64",
        analysis_depth="basic",
        translation_detail="brief",
    )
    job.status = status
    if finished_days_ago is not None:
        job.finished_at = utcnow() - timedelta(days=finished_days_ago)


def test_purge_deletes_only_expired_unused_uploads(db_url: str, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url=db_url,
        encryption_key=generate_key(),
        upload_retention_days=7,
    )
    ctx = JobContext.build(settings)
    old, recent, shared = (ctx.blobs.put_bytes(data).sha256 for data in (b"o", b"r", b"s"))
    with ctx.sessions.begin() as session:
        _job(session, old, "completed", 8)
        _job(session, recent, "failed", 2)
        _job(session, shared, "cancelled", 30)
        _job(session, shared, "queued", None)
    assert purge_expired_uploads(ctx) == 1
    assert [ctx.blobs.exists(s) for s in (old, recent, shared)] == [False, True, True]
    assert purge_expired_uploads(ctx) == 0
    ctx.engine.dispose()


def test_purge_schedule_purges_at_once_then_once_per_interval(db_url: str, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url=db_url,
        encryption_key=generate_key(),
        upload_retention_days=7,
    )
    ctx = JobContext.build(settings)
    first, second = (ctx.blobs.put_bytes(data).sha256 for data in (b"1", b"2"))
    with ctx.sessions.begin() as session:
        _job(session, first, "completed", 8)
    hourly, always = PurgeSchedule(), PurgeSchedule(interval_s=0)
    assert hourly.run_if_due(ctx) == 1
    with ctx.sessions.begin() as session:
        _job(session, second, "completed", 9)
    assert hourly.run_if_due(ctx) is None  # not due for an hour: the file stays
    assert ctx.blobs.exists(second)
    assert always.run_if_due(ctx) == 1
    assert not ctx.blobs.exists(second)
    ctx.engine.dispose()
