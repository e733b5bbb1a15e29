"""Grounding: evidence a model cites is kept only when the analyzed binary has it.

An ``address`` must fall inside a section, a function or name a string or import address; a
``string`` must be (part of) a string literal the analysis found; an ``import`` one of the
binary's imports; a ``callee`` a function or import of the binary. Names are compared without
decorations models copy from tools (``@plt``, ``@@GLIBC_2.2.5``, ``__imp_``, ``sym.imp.``).
"""

from __future__ import annotations

import re

from binscribe.analysis.models import AnalysisResult
from binscribe.explain.schemas import Evidence

_MIN_STRING_FRAGMENT = 3
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


class Grounding:
    """What one analysis result contains, for checking evidence (built once per run)."""

    def __init__(self, result: AnalysisResult) -> None:
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
        if text in self._string_set:
            return True
        return len(text) >= _MIN_STRING_FRAGMENT and any(text in s for s in self._strings)

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
