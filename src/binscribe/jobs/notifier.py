"""Job change notifications: whoever changes a job's row publishes its id; event streams
subscribe and re-read the rows that changed (push, not a poll per viewer).

:class:`LocalNotifier` serves one process (the local runner runs jobs inside the API server);
:class:`RedisNotifier` carries the ids over Redis pub/sub on the broker when Celery workers run
the jobs (``BINSCRIBE_QUEUE=celery``). A notification carries only the job id; the row is the
truth, so a lost message costs latency, never correctness (streams re-read on a timer too).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import uuid
from collections.abc import AsyncIterator
from typing import Any, Protocol

import redis
import redis.asyncio as aioredis

from binscribe.settings import Settings

log = logging.getLogger(__name__)


class Subscription(Protocol):
    """Ids of changed jobs as they are published."""

    async def changed(self, timeout_s: float) -> set[uuid.UUID]:
        """The ids published since the last call; waits up to ``timeout_s`` seconds for the
        first one (an empty set when none came)."""
        ...


class Notifier(Protocol):
    """Publishes job changes (from any thread) and hands out subscriptions."""

    def publish(self, job_id: uuid.UUID) -> None:
        """Tell subscribers that job ``job_id`` changed; never raises for a broken transport."""
        ...

    def subscribe(self) -> contextlib.AbstractAsyncContextManager[Subscription]:
        """A subscription for the ``async with`` block (to be used in one event loop)."""
        ...


class _LocalSubscription:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._pending: set[uuid.UUID] = set()
        self._ready = asyncio.Event()

    def deliver(self, job_id: uuid.UUID) -> None:
        """Queue ``job_id`` from any thread."""
        with contextlib.suppress(RuntimeError):  # the loop closed: the subscriber is gone
            self._loop.call_soon_threadsafe(self._add, job_id)

    def _add(self, job_id: uuid.UUID) -> None:
        self._pending.add(job_id)
        self._ready.set()

    async def changed(self, timeout_s: float) -> set[uuid.UUID]:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout_s)
        self._ready.clear()
        ids, self._pending = self._pending, set()
        return ids


class LocalNotifier:
    """In-process notifier: subscribers are asyncio loops of this process."""

    def __init__(self) -> None:
        self._subscriptions: set[_LocalSubscription] = set()
        self._lock = threading.Lock()

    def publish(self, job_id: uuid.UUID) -> None:
        with self._lock:
            subscriptions = list(self._subscriptions)
        for subscription in subscriptions:
            subscription.deliver(job_id)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[Subscription]:
        subscription = _LocalSubscription(asyncio.get_running_loop())
        with self._lock:
            self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            with self._lock:
                self._subscriptions.discard(subscription)


class _RedisSubscription:
    """Reads the channel; while Redis is unreachable it only waits (streams re-read on their
    timer)."""

    def __init__(self, pubsub: Any | None) -> None:
        self._pubsub = pubsub

    async def changed(self, timeout_s: float) -> set[uuid.UUID]:
        ids: set[uuid.UUID] = set()
        wait = timeout_s
        while True:
            try:
                if self._pubsub is None:
                    raise redis.ConnectionError("not subscribed")
                message = await self._pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=wait
                )
            except redis.RedisError:
                await asyncio.sleep(wait)
                return ids
            if message is None:
                return ids
            with contextlib.suppress(ValueError):
                ids.add(uuid.UUID(message["data"].decode()))
            wait = 0.0  # drain what already arrived, then return


class RedisNotifier:
    """Redis pub/sub notifier on ``url``; ids go out on ``channel`` (one per Celery queue, so
    deployments sharing a Redis stay apart). Each subscription holds its own connection."""

    def __init__(self, url: str, channel: str) -> None:
        self.url = url
        self.channel = channel
        self._client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)

    def publish(self, job_id: uuid.UUID) -> None:
        try:
            self._client.publish(self.channel, str(job_id))
        except redis.RedisError as exc:  # streams catch up on their timer
            log.warning("could not publish a change of job %s (%s)", job_id, type(exc).__name__)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[Subscription]:
        client = aioredis.Redis.from_url(self.url, socket_connect_timeout=5)
        pubsub = client.pubsub()
        try:
            try:
                await pubsub.subscribe(self.channel)
            except redis.RedisError as exc:
                log.warning("cannot subscribe to job changes (%s)", type(exc).__name__)
                yield _RedisSubscription(None)
            else:
                yield _RedisSubscription(pubsub)
        finally:
            await pubsub.aclose()
            await client.aclose()

    def close(self) -> None:
        """Close the publishing connection."""
        self._client.close()


def build_notifier(settings: Settings) -> Notifier:
    """Redis pub/sub on the broker with ``queue=celery``, else an in-process notifier."""
    if settings.queue == "celery" and settings.broker_url:
        return RedisNotifier(settings.broker_url, f"{settings.celery_queue}:job-changes")
    return LocalNotifier()
