"""Job change notifiers: the in-process one across threads, and Redis pub/sub on this machine's
Redis (a database number no other key uses right now, removed keys at the end): ids published
from another thread (a job's worker) reach every subscriber, channels stay apart, an unreachable
Redis neither raises on publish nor breaks a subscription."""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
import uuid

import pytest
import redis

from binscribe.jobs.notifier import LocalNotifier, Notifier, RedisNotifier, build_notifier
from binscribe.settings import Settings
from tests.helpers import REDIS_HOST, REDIS_PORT, empty_redis_db


@pytest.fixture
def redis_url() -> str:
    """A Redis URL on a database number (1-15) that holds no key right now."""
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{empty_redis_db()}"


def publish_soon(notifier: Notifier, ids: list[uuid.UUID]) -> threading.Thread:
    """Publish ``ids`` from another thread, as a job's worker thread does (the subscription is
    in place: ``subscribe()`` subscribes before it yields)."""

    def run() -> None:
        for job_id in ids:
            notifier.publish(job_id)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


async def collect(notifier: Notifier, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Subscribe, let another thread publish ``ids``, return what arrived (5 s at most)."""
    seen: set[uuid.UUID] = set()
    async with notifier.subscribe() as subscription:
        thread = publish_soon(notifier, ids)
        deadline = time.monotonic() + 5
        while seen != set(ids) and time.monotonic() < deadline:
            seen |= await subscription.changed(1.0)
        await asyncio.to_thread(thread.join)
    return seen


async def test_local_notifier_reaches_every_subscriber_across_threads() -> None:
    notifier = LocalNotifier()
    ids = [uuid.uuid4(), uuid.uuid4()]
    first, second = await asyncio.gather(collect(notifier, ids), collect(notifier, ids))
    assert first == second == set(ids)
    async with notifier.subscribe() as subscription:
        started = time.monotonic()
        assert await subscription.changed(0.3) == set()  # nothing published: waits, then empty
        assert time.monotonic() - started >= 0.3
    notifier.publish(uuid.uuid4())  # no subscriber left: nothing to do, no error


async def test_redis_notifier_carries_ids_between_processes_channels_apart(
    redis_url: str,
) -> None:
    channel = f"binscribe-test-{secrets.token_hex(4)}:job-changes"
    notifier = RedisNotifier(redis_url, channel)
    other = RedisNotifier(redis_url, f"{channel}-other")
    ids = [uuid.uuid4() for _ in range(3)]
    try:
        async with other.subscribe() as elsewhere:
            assert await collect(notifier, ids) == set(ids)
            assert await elsewhere.changed(0.2) == set()
    finally:
        notifier.close()
        other.close()
    assert redis.Redis.from_url(redis_url).dbsize() == 0  # pub/sub stores no key


async def test_unreachable_redis_neither_raises_nor_breaks_a_subscription() -> None:
    notifier = RedisNotifier("redis://127.0.0.1:1/0", "binscribe:job-changes")
    notifier.publish(uuid.uuid4())
    async with notifier.subscribe() as subscription:
        started = time.monotonic()
        assert await subscription.changed(0.3) == set()
        assert time.monotonic() - started >= 0.3
    notifier.close()


def test_the_queue_setting_chooses_the_notifier(redis_url: str) -> None:
    assert isinstance(build_notifier(Settings(queue="local")), LocalNotifier)
    chosen = build_notifier(Settings(queue="celery", broker_url=redis_url, celery_queue="jobs-a"))
    assert isinstance(chosen, RedisNotifier)
    assert (chosen.url, chosen.channel) == (redis_url, "jobs-a:job-changes")
    chosen.close()
