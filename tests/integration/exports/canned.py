"""Canned model answers for the export fixtures: suggested names, security notes and evidence that
exercise every rule of the exports (see ``tests/fixtures/exports/README.md``).

``check_password``: a good name with high confidence, a summary and notes full of characters that
must be escaped (quotes, backslashes, newlines, backticks, ``;`` and r2's ``@``), and evidence at
an address inside the function. ``main``: low confidence (kept below a 0.6 threshold).
``strip_newline``: a name that is not an identifier. Any other function: ``helper`` (repeated, so
the exports must make names unique). Other schemas get the job tests' canned answers.
"""

from __future__ import annotations

import json
from typing import Any

from tests.llm_servers.canned import (
    canned_reply,
    first_user_text,
    function_of_prompt,
    schema_title,
)

TRICKY_SUMMARY = (
    'Compares the input with the secret "s3cr3t!" one character at a time; '
    "prints `access granted` @ the end.\n"
    "Line two: \\x41 ''' \"\"\" ; afn evil @ 0 ; !rm -rf /"
)
SECURITY_NOTE = "Hard-coded password: anyone with the binary can read it."


def _function(name: str, address: int) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "summary": f"Canned summary of {name}.",
        "explanation": f"{name} runs its steps in order (canned explanation).",
        "category": "utility",
        "suggested_name": "helper",
        "confidence": 0.8,
    }
    if name == "check_password":
        answer.update(
            summary=TRICKY_SUMMARY,
            category="authentication",
            suggested_name="verify_password",
            confidence=0.92,
            security_notes=[SECURITY_NOTE, "Early exit leaks the matching prefix length."],
            evidence=[
                {"kind": "address", "value": hex(address + 4), "supports": "length check"},
                {"kind": "import", "value": "strlen", "supports": "length of the input"},
            ],
        )
    elif name == "main":
        answer.update(suggested_name="run_crackme", confidence=0.45)
    elif name == "strip_newline":
        answer.update(suggested_name="strip newline (in-place)!", confidence=0.7)
    return answer


def exports_reply(request: dict[str, Any]) -> str:
    """A valid answer for the schema the request asks for (functions as described above)."""
    if schema_title(request) != "FunctionExplanation":
        return canned_reply(request)
    name, address = function_of_prompt(first_user_text(request)) or ("unknown", "0x0")
    return json.dumps(_function(name, int(address, 16)))
