"""Canned model answers for job tests: the ``reply`` callback of any protocol server.

It reads which output schema the explain engine asked for (its title, wherever the protocol
carries the schema) and answers valid JSON for it, naming the function from the prompt, so tests
can assert exact text in results and reports.
"""

from __future__ import annotations

import json
import re
from typing import Any

_FUNCTION = re.compile(r'^name: "([^"]+)"$', re.M)
_BLOCK = re.compile(r"<<<(DATA-[0-9a-f]{16})\n(.*?)\n\1>>>", re.S)
PROGRAM_PURPOSE = "Checks a password given on the command line (canned summary)."
CAPABILITY_PURPOSE = "prints results to the console (canned)"
STRING_MEANING = "a message shown to the user (canned)"
ABSENT_STRING = "canned text absent from the binary"
_ADDRESS = re.compile(r"^address: (0x[0-9a-f]+)$", re.M)


def function_summary(name: str) -> str:
    """The summary the canned model gives function ``name``."""
    return f"Canned summary of {name}."


def _block_after(prompt: str, heading: str) -> str:
    start = prompt.find(heading)
    blocks = _BLOCK.findall(prompt[start:]) if start >= 0 else []
    return str(blocks[0][1]) if blocks else "(none)"


def function_evidence(prompt: str) -> list[dict[str, str]]:
    """The canned evidence of a function explanation: the function's entry, its first listed
    import and each listed callee (all grounded in it), then the callee ``main`` (in the
    binary, not in a function that does not call it) and a string the binary lacks."""
    entry = _ADDRESS.search(prompt)
    address = entry.group(1) if entry else "0x0"
    evidence = [{"kind": "address", "value": address, "supports": "entry"}]
    first = _block_after(prompt, "Imports it uses:").splitlines()[0]
    if first != "(none)":
        evidence.append({"kind": "import", "value": json.loads(first), "supports": "calls it"})
    callees = _block_after(prompt, "What it calls")
    for callee in re.findall(r'^- ("(?:[^"\\]|\\.)*")', callees, re.M):
        evidence.append({"kind": "callee", "value": json.loads(callee), "supports": "calls it"})
    evidence.append({"kind": "callee", "value": "main", "supports": "canned"})
    evidence.append({"kind": "string", "value": ABSENT_STRING, "supports": "canned"})
    return evidence


def _prompt(request: dict[str, Any]) -> str:
    users = [m for m in request.get("messages", []) if m.get("role") == "user"]
    content = users[0]["content"] if users else ""
    if "contents" in request:  # Gemini
        content = request["contents"][0]["parts"][0]["text"]
    return content if isinstance(content, str) else json.dumps(content)


def _schema(request: dict[str, Any]) -> dict[str, Any]:
    """The requested output schema: OpenAI response_format, Anthropic output_config.format or
    tool input, Gemini responseJsonSchema, Ollama format."""
    generation = request.get("generationConfig") or {}
    tools = request.get("tools") or [{}]
    for schema in (
        (request.get("response_format") or {}).get("json_schema", {}).get("schema"),
        # json_object with the schema beside it (llama.cpp's extension)
        (request.get("response_format") or {}).get("schema"),
        ((request.get("output_config") or {}).get("format") or {}).get("schema"),
        tools[0].get("input_schema"),
        generation.get("responseJsonSchema", generation.get("response_json_schema")),
        request.get("format"),
    ):
        if isinstance(schema, dict):
            return schema
    return {}


def _title(request: dict[str, Any]) -> str:
    return str(_schema(request).get("title", ""))


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
            "evidence": function_evidence(prompt),
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
        blocks = _BLOCK.findall(prompt)
        listed = blocks[-1][1] if blocks else ""
        quoted = re.findall(r'"([^"\\]{4,})"', listed)
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
