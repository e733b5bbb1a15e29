"""Logging, configured once per process, with a filter that scrubs secrets from every record.

The filter rewrites the message (after %-formatting), its exception text and stack text, so a key
that reaches a log call by accident (an SDK error that echoes a header, a URL with ``key=``) is
replaced by ``[REDACTED]`` before any handler sees it.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[REDACTED]"

# Order matters: header forms first, then free-standing key shapes.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Authorization: Bearer xyz / Basic xyz, in headers, dict reprs or JSON.
    (
        re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(?:bearer\s+|basic\s+)?[^\s'\",}]+"),
        r"\1" + REDACTED,
    ),
    (
        re.compile(
            r"(?i)((?:x-api-key|x-goog-api-key|api[_-]key)['\"]?\s*[:=]\s*['\"]?)[^\s'\",}&]+"
        ),
        r"\1" + REDACTED,
    ),
    (
        re.compile(
            r"(?i)([?&](?:key|api_key|apikey|token|access_token|auth|password|secret)=)"
            r"[^&#\s'\"]+"
        ),
        r"\1" + REDACTED,
    ),
    (re.compile(r"sk-ant-[A-Za-z0-9_\-]{8,}"), REDACTED),
    (re.compile(r"sk-[A-Za-z0-9_\-]{8,}"), REDACTED),
    (re.compile(r"AIza[0-9A-Za-z_\-]{20,}"), REDACTED),
    (re.compile(r"(?i)bearer\s+[A-Za-z0-9._~+/=\-]{8,}"), "Bearer " + REDACTED),
]


def scrub(text: str) -> str:
    """Return ``text`` with API keys, auth header values and ``key=`` query values redacted."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact secrets in ``record`` in place: message (args merged in), exception and stack text."""
    record.msg = scrub(record.getMessage())
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = scrub(record.exc_text)
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)
    return record


class SecretScrubFilter(logging.Filter):
    """A handler filter applying :func:`scrub_record`, for handlers added outside binscribe."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub_record(record)
        return True


_configured = False


def install_record_scrubber() -> None:
    """Make every log record scrubbed at creation, whatever logger or handler it goes to.

    Wraps the process's log record factory once; records of disabled levels are never created,
    so this costs nothing for them.
    """
    base = logging.getLogRecordFactory()
    if getattr(base, "_binscribe_scrubber", False):
        return

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        return scrub_record(base(*args, **kwargs))

    factory._binscribe_scrubber = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def configure_logging(level: str = "INFO") -> None:
    """Scrub every record (:func:`install_record_scrubber`) and log to stderr at ``level``.

    Idempotent: later calls only change the level. Scrubbing happens when a record is created,
    so records from every library logger (httpx, openai, uvicorn, celery) and every handler,
    including pytest's capture, only ever hold redacted text.
    """
    global _configured
    install_record_scrubber()
    root = logging.getLogger()
    root.setLevel(level)
    if _configured:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretScrubFilter())
    root.addHandler(handler)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lib = logging.getLogger(name)
        lib.handlers.clear()
        lib.propagate = True
    _configured = True
