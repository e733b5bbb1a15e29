"""A scripted stand-in for a model, used as the ``reply`` callback of the protocol servers in
``tests.llm_servers``: it reads the request the engine sent (OpenAI or Anthropic wire JSON),
finds which output schema was asked for and answers with JSON built from the prompt, so the
answers are grounded in what the engine actually sent.

Knobs (per function name): ``fabricate`` adds evidence the binary does not have; ``invalid``
counts replies that break the schema before valid ones; ``think``/``fence`` wrap replies in a
``<think>`` block / a json code fence.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any

FABRICATED = [
    {"kind": "address", "value": "0xdeadbeef", "supports": "made up"},
    {"kind": "string", "value": "http://evil.example/upload", "supports": "made up"},
    {"kind": "import", "value": "CryptEncrypt", "supports": "made up"},
    {"kind": "callee", "value": "exfiltrate_data", "supports": "made up"},
]
_FUNCTION = re.compile(r'^name: ("(?:[^"\\]|\\.)*")\naddress: (0x[0-9a-f]+)$', re.M)
_PART = re.compile(r"part (\d+) of (\d+)")
_SLICE = re.compile(r"slice (\d+) of (\d+)")
_BLOCK = re.compile(r"<<<(DATA-[0-9a-f]{16})\n(.*?)\n\1>>>", re.S)


def data_blocks(prompt: str) -> list[str]:
    """The contents of the prompt's data blocks, in order."""
    return [match.group(2) for match in _BLOCK.finditer(prompt)]


def function_of_prompt(prompt: str) -> tuple[str, str] | None:
    """(name, hex address) of the function a function or function-part prompt is about."""
    match = _FUNCTION.search(prompt)
    return (json.loads(match.group(1)), match.group(2)) if match else None


def section(prompt: str, heading: str) -> str:
    """The data block that follows ``heading`` in the prompt ("" when there is none)."""
    start = prompt.find(heading)
    if start < 0:
        return ""
    blocks = data_blocks(prompt[start:])
    return blocks[0] if blocks else ""


def summary_of(name: str) -> str:
    """The summary the fake model gives function ``name``."""
    return f"{name} does the work its callees set up (fake summary #{len(name)})."


def schema_title(request: dict[str, Any]) -> str | None:
    """The title of the JSON schema the request asks for (OpenAI response_format, Anthropic
    output_config.format or the forced tool's input schema)."""
    response_format = request.get("response_format") or {}
    if response_format:
        return response_format.get("json_schema", {}).get("schema", {}).get("title")
    output_format = (request.get("output_config") or {}).get("format") or {}
    if output_format:
        return output_format.get("schema", {}).get("title")
    for tool in request.get("tools") or []:
        return tool.get("input_schema", {}).get("title")
    return None


def prompt_text(request: dict[str, Any]) -> str:
    """The last user message's text."""
    users = [m for m in request.get("messages", []) if m.get("role") == "user"]
    content = users[-1]["content"] if users else ""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content)
    return str(content)


def first_user_text(request: dict[str, Any]) -> str:
    """The first user message's text (the prompt before any repair turn)."""
    users = [m for m in request.get("messages", []) if m.get("role") == "user"]
    return str(users[0]["content"]) if users else ""


@dataclass
class FakeModel:
    """Callable as ``reply(request_json) -> str``; thread-safe (servers answer in threads)."""

    fabricate: set[str] = field(default_factory=set)
    invalid: dict[str, int] = field(default_factory=dict)
    think: bool = False
    fence: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: dict[str, Any]) -> str:
        title = schema_title(request)
        prompt = first_user_text(request)
        handler = {
            "FunctionExplanation": self._function,
            "PartialSummary": self._partial,
            "ImportCapabilities": self._imports,
            "NotableStrings": self._strings,
            "ProgramSummary": self._program,
        }.get(title or "")
        if handler is None:
            return "pong"
        text = json.dumps(handler(prompt))
        function = function_of_prompt(prompt)
        if function:
            with self._lock:
                left = self.invalid.get(function[0], 0)
                if left:
                    self.invalid[function[0]] = left - 1
                    return json.dumps({"summary": "", "category": "sorcery", "confidence": 7})
        if self.fence:
            text = f"Here is the analysis:\n```json\n{text}\n```"
        if self.think:
            text = f"<think>The user wants JSON. {{not json}} Let me reason.</think>\n{text}"
        return text

    def _function(self, prompt: str) -> dict[str, Any]:
        function = function_of_prompt(prompt)
        assert function, prompt[:200]
        name, address = function
        evidence: list[dict[str, str]] = [
            {"kind": "address", "value": address, "supports": "entry"}
        ]
        imports = section(prompt, "Imports it uses:").strip()
        if imports and imports != "(none)":
            first = json.loads(imports.splitlines()[0])
            evidence.append({"kind": "import", "value": first, "supports": "calls it"})
        literal = re.search(r'- 0x[0-9a-f]+: ("(?:[^"\\]|\\.)*")', prompt)
        if literal:
            value = json.loads(literal.group(1))
            evidence.append({"kind": "string", "value": value, "supports": "uses it"})
        callees = section(prompt, "summaries of callees")
        for callee in re.findall(r'^- "(\w+)": ', callees, re.M):
            evidence.append({"kind": "callee", "value": callee, "supports": "delegates"})
        if name in self.fabricate:
            evidence.extend(FABRICATED)
        return {
            "summary": summary_of(name),
            "explanation": f"{name} explained from {len(prompt.splitlines())} prompt lines.",
            "category": "File I/O" if "fopen" in prompt else "utility",
            "parameters": [{"name": "a0", "type": "int", "description": "first argument"}],
            "return_value": "an integer status",
            "side_effects": [],
            "security_notes": [],
            "suggested_name": f"do_{name}",
            "evidence": evidence,
            "confidence": 0.75,
        }

    def _partial(self, prompt: str) -> dict[str, Any]:
        part = _PART.search(prompt) or _SLICE.search(prompt)
        function = function_of_prompt(prompt)
        label = " ".join(([function[0]] if function else []) + list(part.groups() if part else "?"))
        return {"summary": f"Part summary ({label}).", "key_points": [f"point of {label}"]}

    def _imports(self, prompt: str) -> dict[str, Any]:
        listed = section(prompt, "Imports (library: name")
        names = re.findall(r'^"[^"\n]*": "(\w+)"$', listed, re.M)
        files = [n for n in names if n.startswith("f")]
        others = [n for n in names if not n.startswith("f")]
        capabilities = [{"kind": "file", "imports": files, "purpose": "reads and writes files"}]
        capabilities.append(
            {"kind": "Network", "imports": [*others, "WSAStartup"], "purpose": "talks TCP"}
        )
        return {"capabilities": capabilities, "summary": f"{len(names)} imports."}

    def _strings(self, prompt: str) -> dict[str, Any]:
        listed = section(prompt, "Strings (address")
        values = [json.loads(v) for v in re.findall(r'^0x[0-9a-f]+: (".*")$', listed, re.M)]
        notable = [
            {
                "value": v,
                "kind": "ip_address" if v.count(".") == 3 else "message",
                "interpretation": f"means {v!r}",
            }
            for v in values[:3]
        ]
        notable.append(
            {"value": "password=hunter2", "kind": "credential", "interpretation": "made up"}
        )
        return {"strings": notable}

    def _program(self, prompt: str) -> dict[str, Any]:
        return {
            "purpose": f"A program described by {prompt.count(chr(10))} lines of summaries.",
            "key_behaviours": ["copies a file", "sends a report"],
            "capabilities": ["file", "network"],
            "security_considerations": ["sends data to a hard-coded address"],
            "evidence": [
                {"kind": "callee", "value": "main", "supports": "entry"},
                {"kind": "callee", "value": "no_such_function", "supports": "made up"},
            ],
            "confidence": 80,
        }
