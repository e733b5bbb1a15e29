"""Canned model answers for job tests: the ``reply`` callback of the OpenAI-protocol server.

It reads which output schema the explain engine asked for (``response_format`` title) and
answers valid JSON for it, naming the function from the prompt, so tests can assert exact
text in results and reports.
"""

from __future__ import annotations

import json
import re
from typing import Any

_FUNCTION = re.compile(r"Function `([^`]+)`")
PROGRAM_PURPOSE = "Checks a password given on the command line (canned summary)."
CAPABILITY_PURPOSE = "prints results to the console (canned)"
STRING_MEANING = "a message shown to the user (canned)"


def function_summary(name: str) -> str:
    """The summary the canned model gives function ``name``."""
    return f"Canned summary of {name}."


def _prompt(request: dict[str, Any]) -> str:
    users = [m for m in request.get("messages", []) if m.get("role") == "user"]
    content = users[0]["content"] if users else ""
    return content if isinstance(content, str) else json.dumps(content)


def _title(request: dict[str, Any]) -> str:
    # json_schema mode, or json_object with the schema beside it (llama.cpp's extension).
    fmt = request.get("response_format") or {}
    schema = fmt.get("json_schema", {}).get("schema") or fmt.get("schema") or {}
    return str(schema.get("title", ""))


def canned_reply(request: dict[str, Any]) -> str:
    """A valid answer for the schema the request asks for."""
    title = _title(request)
    prompt = _prompt(request)
    if title == "FunctionExplanation":
        found = _FUNCTION.search(prompt)
        name = found.group(1) if found else "unknown"
        answer: dict[str, Any] = {
            "summary": function_summary(name),
            "explanation": f"{name} runs its steps in order (canned explanation).",
            "category": "utility",
            "confidence": 0.8,
        }
    elif title == "ImportCapabilities":
        names = re.findall(r"`([A-Za-z_][A-Za-z0-9_@.]*)`", prompt) or ["puts"]
        answer = {
            "capabilities": [
                {"kind": "console", "imports": names[:1], "purpose": CAPABILITY_PURPOSE}
            ],
            "summary": "Console output only (canned).",
        }
    elif title == "NotableStrings":
        quoted = re.findall(r'"([^"\\]{4,})"', prompt)
        answer = {
            "strings": [{"value": quoted[0], "kind": "message", "interpretation": STRING_MEANING}]
            if quoted
            else []
        }
    elif title == "PartialSummary":
        answer = {"summary": "Part of the program (canned).", "key_points": []}
    else:
        answer = {
            "purpose": PROGRAM_PURPOSE,
            "key_behaviours": ["compares input"],
            "confidence": 0.7,
        }
    return json.dumps(answer)
