"""The canned model of :mod:`tests.integration.jobs.canned` that also suggests a name for every
function it explains (``<name>_renamed``): the reply module of the UI's suggested-names e2e test
(``frontend/e2e/workspace.test.mjs``)."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.integration.jobs.canned import canned_reply

_SUMMARY = re.compile(r"^Canned summary of (\S+)\.$")


def named_reply(request: dict[str, Any]) -> str:
    """:func:`canned_reply`, with ``suggested_name`` added to function explanations."""
    answer = json.loads(canned_reply(request))
    found = _SUMMARY.match(str(answer.get("summary", ""))) if isinstance(answer, dict) else None
    if found and "explanation" in answer:
        answer["suggested_name"] = f"{found.group(1)}_renamed"
    return json.dumps(answer)
