"""The canned explanation model: the ``reply`` callback of the protocol servers in this package.

It reads the request the explain engine sent (any of the four wire protocols), finds which output
schema was asked for (its title) and answers valid JSON for it built from the prompt, so tests can
assert exact text in reports and results, and claims are grounded in what the engine really sent.

Answers (:class:`CannedModel` with no knobs; ``canned_reply`` is such an instance, for
``--reply-module tests.llm_servers.canned:canned_reply``):

- ``FunctionExplanation``: :func:`function_summary`, category ``file_io`` when the prompt
  mentions ``fopen`` (else ``utility``), and evidence: the entry address, the first import it
  uses, each callee listed under "What it calls"; then two claims grounding must reject: the
  callee ``main`` (in the binary, not called by this function) and :data:`ABSENT_STRING`.
- ``PartialSummary``: ``Part summary (<function> <part> <of>).``
- ``ImportCapabilities``: one ``console`` capability (:data:`CAPABILITY_PURPOSE`) naming ``puts``
  (when it is not listed, the first listed import).
- ``NotableStrings``: the first listed string of 4+ characters (:data:`STRING_MEANING`).
- ``ProgramSummary``: :data:`PROGRAM_PURPOSE`, confidence 0.7.
- no schema: ``pong``.

Knobs: ``fabricate`` (function names) adds :data:`FABRICATED` evidence; ``invalid`` (function name
-> count) answers that many schema-breaking replies first; ``think``/``fence`` wrap replies in a
``<think>`` block / a json code fence; ``stray=False`` leaves out the two rejected claims;
``loose`` answers as a sloppy model does: display-case category and kinds (``File I/O``,
``Console``), confidences as percentages, and one made-up import, string and program claim;
``suggest_names`` adds ``suggested_name`` ``<name>_renamed`` to function explanations;
``delay_s`` answers each request after that many seconds (the servers answer in parallel threads).

Instances for reply modules: ``canned_reply`` (no knobs), ``named_reply`` (``suggest_names``, the
UI's suggested-names e2e test), ``slow_canned_reply`` (2 s per answer, the e2e test that watches a
running job fill in).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

PROGRAM_PURPOSE = "Checks a password given on the command line (canned summary)."
CAPABILITY_PURPOSE = "prints results to the console (canned)"
STRING_MEANING = "a message shown to the user (canned)"
ABSENT_STRING = "canned text absent from the binary"
FABRICATED = [
    {"kind": "address", "value": "0xdeadbeef", "supports": "made up"},
    {"kind": "string", "value": "http://evil.example/upload", "supports": "made up"},
    {"kind": "import", "value": "CryptEncrypt", "supports": "made up"},
    {"kind": "callee", "value": "exfiltrate_data", "supports": "made up"},
]
_FUNCTION = re.compile(r'^name: ("(?:[^"\\]|\\.)*")\naddress: (0x[0-9a-f]+)$', re.M)
_PART = re.compile(r"(?:part|slice) (\d+) of (\d+)")
_BLOCK = re.compile(r"<<<(DATA-[0-9a-f]{16})\n(.*?)\n\1>>>", re.S)
_LISTED = re.compile(r'^- ("(?:[^"\\]|\\.)*")', re.M)


def function_summary(name: str) -> str:
    """The summary the canned model gives function ``name``."""
    return f"Canned summary of {name}."


def data_blocks(prompt: str) -> list[str]:
    """The contents of the prompt's data blocks, in order."""
    return [match.group(2) for match in _BLOCK.finditer(prompt)]


def section(prompt: str, heading: str) -> str:
    """The data block that follows ``heading`` in the prompt ("" when there is none)."""
    start = prompt.find(heading)
    blocks = data_blocks(prompt[start:]) if start >= 0 else []
    return blocks[0] if blocks else ""


def function_of_prompt(prompt: str) -> tuple[str, str] | None:
    """(name, hex address) of the function a function or function-part prompt is about."""
    match = _FUNCTION.search(prompt)
    return (json.loads(match.group(1)), match.group(2)) if match else None


def request_schema(request: dict[str, Any]) -> dict[str, Any]:
    """The output schema a request asks for: OpenAI ``response_format`` (or llama.cpp's schema
    beside ``json_object``), Anthropic ``output_config.format`` or the forced tool's input,
    Gemini ``responseJsonSchema``, Ollama ``format``; {} when none."""
    response_format = request.get("response_format") or {}
    generation = request.get("generationConfig") or {}
    tools = request.get("tools") or [{}]
    for schema in (
        response_format.get("json_schema", {}).get("schema"),
        response_format.get("schema"),
        ((request.get("output_config") or {}).get("format") or {}).get("schema"),
        tools[0].get("input_schema"),
        generation.get("responseJsonSchema", generation.get("response_json_schema")),
        request.get("format"),
    ):
        if isinstance(schema, dict):
            return schema
    return {}


def schema_title(request: dict[str, Any]) -> str | None:
    """The title of the output schema the request asks for (None when it asks for none)."""
    title = request_schema(request).get("title")
    return str(title) if title else None


def first_user_text(request: dict[str, Any]) -> str:
    """The text of the request's first user turn (the prompt before any repair turn)."""
    if "contents" in request:  # Gemini
        return "".join(part.get("text", "") for part in request["contents"][0]["parts"])
    users = [m for m in request.get("messages", []) if m.get("role") == "user"]
    content = users[0]["content"] if users else ""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content)
    return str(content)


@dataclass
class CannedModel:
    """Callable as ``reply(request_json) -> str``; thread-safe (the servers answer in threads).
    The answers and knobs are described in the module docstring."""

    fabricate: set[str] = field(default_factory=set)
    invalid: dict[str, int] = field(default_factory=dict)
    think: bool = False
    fence: bool = False
    stray: bool = True
    loose: bool = False
    suggest_names: bool = False
    delay_s: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __call__(self, request: dict[str, Any]) -> str:
        if self.delay_s:
            time.sleep(self.delay_s)
        prompt = first_user_text(request)
        handler = {
            "FunctionExplanation": self.function,
            "PartialSummary": self.partial,
            "ImportCapabilities": self.imports,
            "NotableStrings": self.strings,
            "ProgramSummary": self.program,
        }.get(schema_title(request) or "")
        if handler is None:
            return "pong"
        if self._spend_invalid(function_of_prompt(prompt)):
            return json.dumps({"summary": "", "category": "sorcery", "confidence": 7})
        text = json.dumps(handler(prompt))
        if self.fence:
            text = f"Here is the analysis:\n```json\n{text}\n```"
        if self.think:
            text = f"<think>The user wants JSON. {{not json}} Let me reason.</think>\n{text}"
        return text

    def _spend_invalid(self, function: tuple[str, str] | None) -> bool:
        if function is None:
            return False
        with self._lock:
            left = self.invalid.get(function[0], 0)
            if left:
                self.invalid[function[0]] = left - 1
            return left > 0

    def function(self, prompt: str) -> dict[str, Any]:
        """The ``FunctionExplanation`` answer."""
        name, address = function_of_prompt(prompt) or ("unknown", "0x0")
        evidence = [{"kind": "address", "value": address, "supports": "entry"}]
        imports = section(prompt, "Imports it uses:").splitlines()
        if imports and imports[0] != "(none)":
            evidence.append(
                {"kind": "import", "value": json.loads(imports[0]), "supports": "calls it"}
            )
        for callee in _LISTED.findall(section(prompt, "What it calls")):
            evidence.append({"kind": "callee", "value": json.loads(callee), "supports": "calls it"})
        if self.stray:
            evidence.append({"kind": "callee", "value": "main", "supports": "canned"})
            evidence.append({"kind": "string", "value": ABSENT_STRING, "supports": "canned"})
        if name in self.fabricate:
            evidence.extend(FABRICATED)
        file_io = "fopen" in prompt
        answer: dict[str, Any] = {
            "summary": function_summary(name),
            "explanation": f"{name} runs its steps in order (canned explanation).",
            "category": ("File I/O" if self.loose else "file_io") if file_io else "utility",
            "evidence": evidence,
            "confidence": 80 if self.loose else 0.8,
        }
        if self.suggest_names:
            answer["suggested_name"] = f"{name}_renamed"
        return answer

    def partial(self, prompt: str) -> dict[str, Any]:
        """The ``PartialSummary`` answer, labelled with the function and part numbers."""
        part = _PART.search(prompt)
        function = function_of_prompt(prompt)
        label = " ".join(([function[0]] if function else []) + list(part.groups() if part else "?"))
        return {"summary": f"Part summary ({label}).", "key_points": [f"point of {label}"]}

    def imports(self, prompt: str) -> dict[str, Any]:
        """The ``ImportCapabilities`` answer."""
        listed = section(prompt, "Imports (library: name")
        names = re.findall(r'^"[^"\n]*": "([^"\n]+)"$', listed, re.M) or ["puts"]
        console = "puts" if "puts" in names else names[0]
        kind = "Console" if self.loose else "console"
        capabilities = [{"kind": kind, "imports": [console], "purpose": CAPABILITY_PURPOSE}]
        if self.loose:
            capabilities.append(
                {"kind": "Network", "imports": [*names[1:2], "WSAStartup"], "purpose": "talks TCP"}
            )
        return {"capabilities": capabilities, "summary": "Console output only (canned)."}

    def strings(self, prompt: str) -> dict[str, Any]:
        """The ``NotableStrings`` answer."""
        listed = section(prompt, "Strings (address")
        values = [json.loads(v) for v in re.findall(r'^0x[0-9a-f]+: (".*")$', listed, re.M)]
        notable = [
            {"value": value, "kind": "message", "interpretation": STRING_MEANING}
            for value in values
            if len(value) >= 4
        ][:1]
        if self.loose:
            notable.append(
                {"value": "password=hunter2", "kind": "Credential", "interpretation": "made up"}
            )
        return {"strings": notable}

    def program(self, prompt: str) -> dict[str, Any]:
        """The ``ProgramSummary`` answer."""
        answer: dict[str, Any] = {
            "purpose": PROGRAM_PURPOSE,
            "key_behaviours": ["compares input"],
            "confidence": 70 if self.loose else 0.7,
        }
        if self.loose:
            answer["evidence"] = [
                {"kind": "callee", "value": "main", "supports": "entry"},
                {"kind": "callee", "value": "no_such_function", "supports": "made up"},
            ]
        return answer


canned_reply = CannedModel()
named_reply = CannedModel(suggest_names=True)
slow_canned_reply = CannedModel(delay_s=2.0)
