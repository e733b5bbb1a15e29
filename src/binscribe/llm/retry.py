"""Our only retry loop for provider calls (the SDKs' own retries are switched off).

Retries :class:`~binscribe.llm.errors.LLMError` with ``retryable`` set (rate limits, overload,
5xx): at most ``attempts`` calls, exponential backoff with jitter between them, or the provider's
Retry-After when it sent one. A Retry-After longer than ``max_retry_after`` is not waited out:
the error is raised at once so a job does not hang on a provider that asked for minutes.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from binscribe.llm.errors import LLMError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` calls at most; backoff ``base_delay_s * 2**n`` capped at ``max_delay_s`` with
    +-25 % jitter; a provider's Retry-After is honoured up to ``max_retry_after_s`` seconds."""

    attempts: int = 3
    base_delay_s: float = 1.0
    max_delay_s: float = 16.0
    max_retry_after_s: float = 30.0

    def delay(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before call ``attempt + 1`` (0-based ``attempt``), None to give up."""
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after_s else None
        backoff = min(self.max_delay_s, self.base_delay_s * 2**attempt)
        return backoff * random.uniform(0.75, 1.25)


DEFAULT_RETRY_POLICY = RetryPolicy()


async def call_with_retries[T](
    call: Callable[[], Awaitable[T]],
    *,
    policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> T:
    """Await ``call()`` until it succeeds, raises a non-retryable error or attempts run out.

    Raises:
        LLMError: the last error when it is not retryable or no attempt is left.
    """
    attempt = 0
    while True:
        try:
            return await call()
        except LLMError as exc:
            attempt += 1
            if not exc.retryable or attempt >= policy.attempts:
                raise
            wait = policy.delay(attempt - 1, exc.retry_after)
            if wait is None:
                raise
            logger.info("provider call failed (%s); retry %d in %.2f s", exc.code, attempt, wait)
            await sleep(wait)
