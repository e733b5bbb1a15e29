"""Secret scrubbing in log records: messages, arguments, exception text, every logger."""

from __future__ import annotations

import logging

import pytest

from binscribe.logs import REDACTED, SecretScrubFilter, install_record_scrubber, scrub

OPENAI = "sk-proj-Q1w2E3r4T5y6U7i8O9p0"
ANTHROPIC = "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5"
GEMINI = "AIzaSyD-1234567890abcdefghijklmnopq"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"using {OPENAI} now", f"using {REDACTED} now"),
        (f"key={ANTHROPIC}", f"key={REDACTED}"),
        (f"gemini {GEMINI}.", f"gemini {REDACTED}."),
        ("Authorization: Bearer abc.def-123456", f"Authorization: {REDACTED}"),
        ("{'authorization': 'Basic dXNlcjpwYXNzd29yZA=='}", f"{{'authorization': '{REDACTED}'}}"),
        ("x-api-key: plainsecret99", f"x-api-key: {REDACTED}"),
        ('{"x-goog-api-key": "anything-at-all"}', f'{{"x-goog-api-key": "{REDACTED}"}}'),
        (
            "GET https://h/v1beta/models?key=abc123&alt=json",
            f"GET https://h/v1beta/models?key={REDACTED}&alt=json",
        ),
        ("POST https://h/x?alt=sse&key=zzz", f"POST https://h/x?alt=sse&key={REDACTED}"),
        (
            "GET /api/v1/jobs?access_token=s3cr3t&x=1",
            f"GET /api/v1/jobs?access_token={REDACTED}&x=1",
        ),
        ("nothing secret here: sk- alone, key words", "nothing secret here: sk- alone, key words"),
    ],
)
def test_scrub(text: str, expected: str) -> None:
    assert scrub(text) == expected


def test_every_record_is_scrubbed_at_creation(caplog: pytest.LogCaptureFixture) -> None:
    install_record_scrubber()
    caplog.set_level(logging.INFO)
    log = logging.getLogger("some.library")
    log.info("header %s", {"x-api-key": ANTHROPIC})
    try:
        raise RuntimeError(f"request failed with Authorization: Bearer {OPENAI}")
    except RuntimeError:
        log.exception("call to %s failed", f"https://g/v1?key={GEMINI}")
    text = caplog.text
    for secret in (OPENAI, ANTHROPIC, GEMINI):
        assert secret not in text
    assert caplog.records[0].getMessage() == f"header {{'x-api-key': '{REDACTED}'}}"
    assert caplog.records[1].getMessage() == f"call to https://g/v1?key={REDACTED} failed"
    assert "RuntimeError: request failed with Authorization: " + REDACTED in text


def test_filter_for_foreign_handlers() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "k=%s", (OPENAI,), None)
    assert SecretScrubFilter().filter(record) is True
    assert record.getMessage() == f"k={REDACTED}"
