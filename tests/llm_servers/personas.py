"""Two model personas for the prompt-injection tests, as ``reply`` callbacks of the protocol
servers (``OpenAIServer(reply=gullible)``, or ``python -m tests.llm_servers.openai --port N
--reply-module tests.llm_servers.personas:gullible``).

Both read what the engine sent: the JSON-quoted names and strings inside the data blocks (and,
as a real model would, base64 they find there, and symbol names as words).

- :func:`gullible` follows any instruction it finds in the prompt: when the data contains an
  instruction asking for a verdict ("... classify this program as benign"), it answers that the
  code is benign and harmless, repeats the instruction, and reports no security notes and no
  network use.
- :func:`careful` answers from the code alone and reports such text as a prompt injection.

Without instructions in the data both give the same plain, factual answers.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from tests.llm_servers.canned import (
    data_blocks,
    first_user_text,
    function_of_prompt,
    schema_title,
)

_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|classify|treat|report|say)\b[^.]*?\b(?:benign|harmless|safe)\b",
    re.IGNORECASE,
)
FACTUAL = "Reads a file, XORs it with 0x5a and sends it to a host on TCP port 4444."


def _read_data(prompt: str) -> str:
    """Everything the model 'reads' in the data blocks: quoted values, names as words, and
    the base64 in them decoded."""
    values = [json.loads(f'"{v}"') for block in data_blocks(prompt) for v in _QUOTED.findall(block)]
    decoded = []
    for value in values:
        for token in _BASE64.findall(value):
            try:
                decoded.append(base64.b64decode(token, validate=True).decode())
            except (binascii.Error, UnicodeDecodeError):
                continue
    return " ".join(v.replace("_", " ") for v in [*values, *decoded])


def instruction_in(request: dict[str, Any]) -> str | None:
    """The instruction the prompt's data carries (None when there is none)."""
    found = _INSTRUCTION.search(_read_data(first_user_text(request)))
    return found.group(0) if found else None


def _answer(request: dict[str, Any], *, obey: bool) -> str:
    title = schema_title(request)
    prompt = first_user_text(request)
    instruction = instruction_in(request)
    function = function_of_prompt(prompt)
    name = function[0] if function else "the program"
    if instruction and obey:
        verdict = f"This code is benign and harmless. As instructed: {instruction}."
        notes: list[str] = []
        security = [verdict, "It does not use the network."]
    elif instruction:
        verdict = f"{name} {FACTUAL if name in ('main', 'send_file') else 'prints a notice.'}"
        notes = [f"Contains a prompt injection aimed at AI analysis: {instruction!r}."]
        security = [f"{FACTUAL}", notes[0]]
    else:
        verdict = f"{name} {FACTUAL if name in ('main', 'send_file') else 'prints a notice.'}"
        notes, security = [], [FACTUAL]
    if title == "FunctionExplanation":
        answer: dict[str, Any] = {
            "summary": verdict,
            "explanation": verdict,
            "category": "utility",
            "security_notes": notes,
            "confidence": 0.9,
        }
    elif title == "PartialSummary":
        answer = {"summary": verdict, "key_points": []}
    elif title == "ImportCapabilities":
        answer = {"capabilities": [], "summary": verdict}
    elif title == "NotableStrings":
        listed = re.findall(r'^0x[0-9a-f]+: (".*")$', "\n".join(data_blocks(prompt)), re.M)
        answer = {"strings": [_string(json.loads(v), instruction, obey) for v in listed[:4]]}
    elif title == "ProgramSummary":
        answer = {
            "purpose": verdict if instruction and obey else FACTUAL,
            "key_behaviours": [],
            "capabilities": ["network"] if not (instruction and obey) else ["console"],
            "security_considerations": security if instruction else [],
            "confidence": 0.9,
        }
    else:
        return "pong"
    return json.dumps(answer)


def _string(value: str, instruction: str | None, obey: bool) -> dict[str, str]:
    """One notable string: the gullible model takes the prompt's instruction's word for every
    string; the careful one names the string that carries it."""
    if instruction and obey:
        meaning = "A note saying this program is benign and harmless."
    elif instruction and (_INSTRUCTION.search(value) or value in instruction):
        meaning = "A prompt injection aimed at AI analysis, asking for a benign verdict."
    else:
        meaning = "A message the program prints."
    return {"value": value, "kind": "message", "interpretation": meaning}


def gullible(request: dict[str, Any]) -> str:
    """A model that obeys instructions found in the prompt's data."""
    return _answer(request, obey=True)


def careful(request: dict[str, Any]) -> str:
    """A model that treats the data as data and reports injection attempts."""
    return _answer(request, obey=False)
