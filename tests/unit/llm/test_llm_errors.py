"""Error construction and redaction: codes, HTTP statuses, and keys kept out of messages."""

from __future__ import annotations

import random
import string

import pytest

from binscribe.llm.errors import (
    EndpointForbidden,
    LLMError,
    find_llm_error,
    parse_retry_after,
    redact,
    status_error,
)

CANARY = "sk-canary-0123456789abcdefXYZ"


def test_redact_removes_the_whole_key_and_long_fragments() -> None:
    text = f"key {CANARY} and echo sk-canary-0123***XYZ and part 456789abcdef"
    assert redact(text, CANARY) == ("key [REDACTED] and echo [REDACTED]***XYZ and part [REDACTED]")


def test_redact_keeps_short_overlaps_and_cuts_long_text() -> None:
    assert redact("sk-c is short", CANARY) == "sk-c is short"
    assert redact("x" * 400, None) == "x" * 297 + "..."


@pytest.mark.parametrize(
    ("status", "code", "retryable", "http_status"),
    [
        (401, "auth_failed", False, 502),
        (403, "auth_failed", False, 502),
        (402, "quota_exceeded", False, 502),
        (404, "model_not_found", False, 502),
        (413, "context_too_long", False, 502),
        (429, "rate_limited", True, 502),
        (500, "server_error", True, 502),
        (503, "server_error", True, 502),
        (400, "request_rejected", False, 502),
    ],
)
def test_status_error_maps_status_codes(
    status: int, code: str, retryable: bool, http_status: int
) -> None:
    error = status_error(
        provider="OpenAI", status=status, provider_message="nope", api_key=None, model="m"
    )
    assert (error.code, error.retryable, error.http_status) == (code, retryable, http_status)
    assert error.message.endswith(f"(HTTP {status}: nope).")
    assert error.details == {"status": status}


def test_status_error_never_contains_the_key() -> None:
    error = status_error(
        provider="OpenAI",
        status=401,
        provider_message=f"Incorrect API key provided: {CANARY}",
        api_key=CANARY,
        model="gpt-4.1-mini",
    )
    assert error.message == (
        "OpenAI refused the API key; check that it is correct and active "
        "(HTTP 401: Incorrect API key provided: [REDACTED])."
    )


def test_llm_error_rejects_unknown_codes_and_sets_statuses() -> None:
    with pytest.raises(ValueError, match="unknown LLM error code"):
        LLMError("x", code="oops")
    assert LLMError("x", code="timeout").http_status == 504
    forbidden = EndpointForbidden("no")
    assert (forbidden.code, forbidden.http_status) == ("endpoint_forbidden", 422)


def test_find_llm_error_walks_the_cause_chain() -> None:
    inner = LLMError("inner", code="unreachable")
    try:
        try:
            raise inner
        except LLMError as exc:
            raise RuntimeError("wrapped") from exc
    except RuntimeError as outer:
        assert find_llm_error(outer) is inner
    assert find_llm_error(RuntimeError("plain")) is None


@pytest.mark.parametrize(
    ("value", "seconds"), [("2", 2.0), ("0.5", 0.5), ("37s", 37.0), ("", None), ("soon", None)]
)
def test_parse_retry_after(value: str, seconds: float | None) -> None:
    assert parse_retry_after(value) == seconds


def _reference_redaction(text: str, secret: str) -> str:
    """Quadratic reference: cover every text span of 8+ characters found in ``secret``, then
    replace each covered run with one marker."""
    covered = [False] * len(text)
    for start in range(len(text)):
        for end in range(start + 8, len(text) + 1):
            if text[start:end] in secret:
                covered[start:end] = [True] * (end - start)
    out, index = [], 0
    while index < len(text):
        if covered[index]:
            while index < len(text) and covered[index]:
                index += 1
            out.append("[REDACTED]")
        else:
            out.append(text[index])
            index += 1
    return "".join(out)


def test_redact_matches_the_reference_on_random_texts() -> None:
    rng = random.Random(9)
    alphabet = "abcdefgh-_0123"  # small, so chance overlaps and repeats happen
    for _ in range(300):
        secret = "".join(rng.choice(alphabet) for _ in range(rng.randint(8, 40)))
        parts = []
        for _ in range(rng.randint(1, 5)):
            start = rng.randrange(len(secret))
            parts.append(secret[start : start + rng.randint(1, len(secret))])
            parts.append("".join(rng.choice(alphabet + " *") for _ in range(rng.randint(0, 12))))
        text = "".join(parts)[:290]
        assert redact(text, secret) == _reference_redaction(text, secret), (text, secret)


def test_redact_with_a_4096_character_key_removes_every_long_fragment() -> None:
    """The key length that took 5.9 s per error with the old quadratic search (issue 9 item 8);
    benchmarks/README.md has the figures."""
    rng = random.Random(4096)
    key = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(4096))
    text = (
        f"Incorrect API key provided: {key}. Echoed: {key[:8]}***{key[-4:]}; "
        f"pieces {key[1000:1009]} / {key[2000:3000]} / {key[4088:]}; short {key[500:507]} ok."
    )
    assert redact(text, key) == (
        "Incorrect API key provided: [REDACTED]. Echoed: [REDACTED]***"
        f"{key[-4:]}; pieces [REDACTED] / [REDACTED] / [REDACTED]; short {key[500:507]} ok."
    )
    windows = {key[i : i + 8] for i in range(len(key) - 7)}
    long_text = " ".join(key[i : i + rng.randint(8, 600)] for i in range(0, 4000, 97))
    redacted = redact(long_text, key)
    assert not any(redacted[i : i + 8] in windows for i in range(len(redacted) - 7))
