"""The canned model answering slowly, for end-to-end tests that watch a running job fill in:
``python -m tests.llm_servers.openai --port N --reply-module
tests.integration.jobs.slow_canned:slow_canned_reply``. Each answer takes :data:`DELAY_S`
seconds (the server answers requests in parallel threads)."""

from __future__ import annotations

import time
from typing import Any

from tests.integration.jobs.canned import canned_reply

DELAY_S = 2.0


def slow_canned_reply(request_json: dict[str, Any]) -> str:
    """:func:`~tests.integration.jobs.canned.canned_reply` after :data:`DELAY_S` seconds."""
    time.sleep(DELAY_S)
    return canned_reply(request_json)
