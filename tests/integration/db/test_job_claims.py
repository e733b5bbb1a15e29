"""The job row as the arbiter between workers (SQLite and PostgreSQL): a claim's writes carry
its attempt number, a lost job is moved once, a queued job is re-sent by one process."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from binscribe.db import jobs as job_repo
from binscribe.db.models import Job, utcnow
from tests.factories import make_job


def _go_stale(session: Session, job: Job) -> None:
    session.execute(
        update(Job).where(Job.id == job.id).values(heartbeat_at=utcnow() - timedelta(minutes=5))
    )


def test_a_taken_over_claim_can_write_nothing(session: Session) -> None:
    job = make_job(session)
    first = job_repo.claim_job(session, job.id)
    assert first is not None and first.attempts == 1
    assert job_repo.update_running(session, job.id, attempt=1, progress=30) is True
    _go_stale(session, job)
    cutoff = utcnow() - timedelta(minutes=2)
    assert job_repo.requeue_or_fail_lost(session, job.id, heartbeat_before=cutoff) == "queued"
    second = job_repo.claim_job(session, job.id)
    assert second is not None and second.attempts == 2
    assert job_repo.finish_job(session, job.id, attempt=2, status="completed", progress=100)
    # the first worker wakes up: neither progress nor a final state of its claim lands
    assert job_repo.update_running(session, job.id, attempt=1, progress=60) is False
    assert job_repo.finish_job(session, job.id, attempt=1, status="failed") is False
    assert job_repo.holds_claim(session, job.id, 1) is False
    row = job_repo.get_job(session, job.id)
    assert (row.status, row.progress, row.attempts, row.error_code) == ("completed", 100, 2, None)


def test_a_running_claim_is_held_until_it_ends(session: Session) -> None:
    job = make_job(session)
    job_repo.claim_job(session, job.id)
    assert job_repo.holds_claim(session, job.id, 1) is True
    assert job_repo.holds_claim(session, job.id, 2) is False
    assert job_repo.update_running(session, job.id, attempt=2, progress=10) is False
    assert job_repo.finish_job(session, job.id, attempt=1, status="completed") is True
    assert job_repo.holds_claim(session, job.id, 1) is False


def test_a_lost_job_is_moved_once_and_a_fresh_heartbeat_is_left_alone(session: Session) -> None:
    job = make_job(session)
    job_repo.claim_job(session, job.id)
    cutoff = utcnow() - timedelta(minutes=2)
    assert job_repo.requeue_or_fail_lost(session, job.id, heartbeat_before=cutoff) is None
    assert job_repo.status_of(session, job.id) == "running"
    _go_stale(session, job)
    assert job_repo.requeue_or_fail_lost(session, job.id, heartbeat_before=cutoff) == "queued"
    # a second reaper that listed the job before the first moved it changes nothing
    assert job_repo.requeue_or_fail_lost(session, job.id, heartbeat_before=cutoff) is None
    job_repo.claim_job(session, job.id)
    _go_stale(session, job)
    assert job_repo.requeue_or_fail_lost(session, job.id, heartbeat_before=cutoff) == "failed"
    row = job_repo.get_job(session, job.id)
    assert (row.status, row.error_code, row.error_message) == (
        "failed",
        "worker_lost",
        "the worker running this job stopped 2 times",
    )


def test_a_queued_job_is_touched_for_resending_by_one_caller(session: Session) -> None:
    old = make_job(session, updated_at=utcnow() - timedelta(minutes=5))
    new = make_job(session)
    cutoff = utcnow() - timedelta(minutes=2)
    assert job_repo.queued_job_ids(session, updated_before=cutoff) == [old.id]
    assert job_repo.touch_queued(session, old.id, updated_before=cutoff) is True
    assert job_repo.touch_queued(session, old.id, updated_before=cutoff) is False
    assert job_repo.touch_queued(session, new.id, updated_before=cutoff) is False
    assert job_repo.queued_job_ids(session, updated_before=cutoff) == []
    assert job_repo.queued_job_ids(session) == [old.id, new.id]
