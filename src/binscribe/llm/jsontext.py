"""Pull a JSON value out of a model's reply text: code fences and ``<think>`` blocks removed."""

from __future__ import annotations

import json
import re
from typing import Any

_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"```[a-zA-Z0-9_-]*\s*\n?(.*?)```", re.DOTALL)


def extract_json(text: str) -> Any:
    """The JSON value in ``text``, or None when there is none.

    Tries, in order: the whole text (reasoning blocks removed), the first fenced block, then the
    span from the first ``{``/``[`` to the last matching ``}``/``]``.
    """
    cleaned = _THINK.sub("", text).strip()
    candidates = [cleaned]
    fenced = _FENCE.search(cleaned)
    if fenced:
        candidates.append(fenced.group(1).strip())
    for opener, closer in (("{", "}"), ("[", "]")):
        start, end = cleaned.find(opener), cleaned.rfind(closer)
        if 0 <= start < end:
            candidates.append(cleaned[start : end + 1])
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return None
