"""Grounding: evidence a model cites is kept only when the analyzed binary has it, and each
function explanation is scored by how much of its evidence the function itself has.

In the binary: an ``address`` must fall inside a section, a function or name a string or
import address; a ``string`` must be (part of) a string literal the analysis found; an
``import`` one of the binary's imports; a ``callee`` a function or import of the binary.

In the function (:meth:`Grounding.score`): an ``address`` inside the function's range, one of
its instructions, a string it loads, a function it calls or that calls it, or one of its
imports; a ``string`` (part of) a literal it references; an ``import`` one it calls or
references; a ``callee`` a function or import it calls. Names are compared without decorations
models copy from tools (``@plt``, ``@@GLIBC_2.2.5``, ``__imp_``, ``sym.imp.``).
"""

from __future__ import annotations

import json
import re

from binscribe.analysis.models import AnalysisResult, Function
from binscribe.explain.report import GroundingScore
from binscribe.explain.schemas import Evidence

_MIN_STRING_FRAGMENT = 3
_INSTRUCTION = re.compile(r"^\s*0x([0-9a-fA-F]+):", re.M)
IN_BINARY = "elsewhere in the binary, not in this function"
NOT_IN_BINARY = "not in the binary"
_ESCAPES = (("\\n", "\n"), ("\\t", "\t"), ("\\r", "\r"), ('\\"', '"'), ("\\\\", "\\"))


def _name(value: str) -> str:
    value = value.strip().strip("`'\"").removesuffix("()")
    for prefix in ("sym.imp.", "sym.", "__imp_", "imp."):
        value = value.removeprefix(prefix)
    return re.split(r"@", value, maxsplit=1)[0]


def _text(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    for escaped, plain in _ESCAPES:
        value = value.replace(escaped, plain)
    return value.strip()


def _address(value: str) -> int | None:
    text = value.strip().lower().removesuffix("h")
    hex_digits = text.startswith("0x") or any(c in "abcdef" for c in text)
    try:
        return int(text.removeprefix("0x"), 16) if hex_digits else int(text, 10)
    except ValueError:
        return None


def _contains(strings: list[str], text: str) -> bool:
    """Whether ``text`` is one of ``strings`` or a 3+ character part of one."""
    return text in strings or (
        len(text) >= _MIN_STRING_FRAGMENT and any(text in s for s in strings)
    )


class FunctionFacts:
    """What one function has, for checking the evidence of its explanation."""

    def __init__(self, result: AnalysisResult, func: Function) -> None:
        self.start, self.end = func.address, func.address + max(func.size, 1)
        strings = {s.address: s.value for s in result.strings}
        imports = set(func.imports) | {ref.name for ref in func.import_refs}
        self.points = (
            {int(match, 16) for match in _INSTRUCTION.findall(func.disassembly)}
            | set(func.strings)
            | {ref.target for ref in func.string_refs}
            | {call.target for call in func.calls}
            | set(func.caller_addresses)
            | {i.address for i in result.imports if i.address is not None and i.name in imports}
        )
        self.strings = [_text(strings[a]) for a in func.strings if a in strings]
        self.imports = {_name(name) for name in imports}
        self.callees = {_name(name) for name in func.callees} | self.imports

    def check(self, evidence: Evidence) -> bool:
        """Whether this function has what ``evidence`` names."""
        match evidence.kind:
            case "address":
                address = _address(evidence.value)
                return address is not None and (
                    self.start <= address < self.end or address in self.points
                )
            case "string":
                return _contains(self.strings, _text(evidence.value))
            case "import":
                return _name(evidence.value) in self.imports
            case "callee":
                return _name(evidence.value) in self.callees


def describe(evidence: Evidence, where: str) -> str:
    """One unverified claim for a reader: ``import "strcpy" (not in the binary): copies it``."""
    claim = f"{evidence.kind} {json.dumps(evidence.value, ensure_ascii=False)} ({where})"
    return f"{claim}: {evidence.supports}" if evidence.supports.strip() else claim


class Grounding:
    """What one analysis result contains, for checking evidence (built once per run)."""

    def __init__(self, result: AnalysisResult) -> None:
        self._result = result
        self._ranges = sorted(
            [(s.address, s.address + max(s.size, 1)) for s in result.sections]
            + [(f.address, f.address + max(f.size, 1)) for f in result.functions]
        )
        self._points = {s.address for s in result.strings} | {
            i.address for i in result.imports if i.address is not None
        }
        self._strings = [_text(s.value) for s in result.strings]
        self._string_set = set(self._strings)
        self._imports = {_name(i.name) for i in result.imports}
        functions = {_name(f.name) for f in result.functions} | {
            _name(f.mangled_name) for f in result.functions if f.mangled_name
        }
        self._callables = functions | self._imports

    def has_address(self, value: str) -> bool:
        """Whether ``value`` (hex or decimal) is an address of the binary."""
        address = _address(value)
        if address is None:
            return False
        if address in self._points:
            return True
        return any(start <= address < end for start, end in self._ranges)

    def has_string(self, value: str) -> bool:
        """Whether ``value`` is a string literal of the binary (or a 3+ character part of one)."""
        text = _text(value)
        return text in self._string_set or _contains(self._strings, text)

    def has_import(self, value: str) -> bool:
        """Whether the binary imports ``value``."""
        return _name(value) in self._imports

    def has_callable(self, value: str) -> bool:
        """Whether ``value`` names a function or an import of the binary."""
        return _name(value) in self._callables

    def check(self, evidence: Evidence) -> bool:
        """Whether the binary has what ``evidence`` names."""
        match evidence.kind:
            case "address":
                return self.has_address(evidence.value)
            case "string":
                return self.has_string(evidence.value)
            case "import":
                return self.has_import(evidence.value)
            case "callee":
                return self.has_callable(evidence.value)

    def keep_grounded(self, evidence: list[Evidence]) -> tuple[list[Evidence], int]:
        """(the entries the binary has, number removed)."""
        kept = [item for item in evidence if self.check(item)]
        return kept, len(evidence) - len(kept)

    def score(self, func: Function, evidence: list[Evidence]) -> GroundingScore:
        """The grounding of ``func``'s explanation: each entry of ``evidence`` (all the model
        cited, before :meth:`keep_grounded`) checked against the function, and the others
        against the binary to say where they were found."""
        facts = FunctionFacts(self._result, func)
        unverified = [
            describe(item, IN_BINARY if self.check(item) else NOT_IN_BINARY)
            for item in evidence
            if not facts.check(item)
        ]
        grounded = len(evidence) - len(unverified)
        return GroundingScore(
            score=grounded / len(evidence) if evidence else 0.0,
            grounded=grounded,
            total=len(evidence),
            unverified=unverified,
        )
