"""Our retry loop: bounded attempts, backoff with jitter, Retry-After honoured and capped."""

from __future__ import annotations

import pytest

from binscribe.llm.errors import LLMError
from binscribe.llm.retry import RetryPolicy, call_with_retries


class Flaky:
    """Raises the given errors in order, then returns "done"."""

    def __init__(self, *errors: LLMError) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


def rate_limited(retry_after: float | None = None) -> LLMError:
    return LLMError("slow down", code="rate_limited", retryable=True, retry_after=retry_after)


async def test_retries_until_success_honouring_retry_after() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    call = Flaky(rate_limited(2.5), rate_limited(0.5))
    assert await call_with_retries(call, sleep=sleep) == "done"
    assert (call.calls, waits) == (3, [2.5, 0.5])


async def test_backoff_is_exponential_with_jitter() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    policy = RetryPolicy(attempts=4, base_delay_s=1.0, max_delay_s=3.0)
    server_error = LLMError("boom", code="server_error", retryable=True)
    call = Flaky(server_error, server_error, server_error)
    assert await call_with_retries(call, policy=policy, sleep=sleep) == "done"
    assert len(waits) == 3
    for wait, nominal in zip(waits, [1.0, 2.0, 3.0], strict=True):
        assert nominal * 0.75 <= wait <= nominal * 1.25


async def test_gives_up_after_the_last_attempt() -> None:
    async def sleep(seconds: float) -> None:
        return None

    call = Flaky(rate_limited(), rate_limited(), rate_limited(), rate_limited())
    with pytest.raises(LLMError) as caught:
        await call_with_retries(call, policy=RetryPolicy(attempts=3), sleep=sleep)
    assert (caught.value.code, call.calls) == ("rate_limited", 3)


async def test_does_not_wait_out_a_retry_after_beyond_the_cap() -> None:
    call = Flaky(rate_limited(600))
    with pytest.raises(LLMError):
        await call_with_retries(call, policy=RetryPolicy(max_retry_after_s=30))
    assert call.calls == 1


async def test_non_retryable_errors_are_raised_at_once() -> None:
    call = Flaky(LLMError("bad key", code="auth_failed"))
    with pytest.raises(LLMError) as caught:
        await call_with_retries(call)
    assert (caught.value.code, call.calls) == ("auth_failed", 1)
