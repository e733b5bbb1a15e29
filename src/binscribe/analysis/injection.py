"""Detecting prompt injection: text in a binary addressed to an AI model or analysis tool.

:func:`detect_injection` reads an :class:`AnalysisResult` (strings, function and export
names, import names, .NET metadata, pseudocode and disassembly) and returns
:class:`InjectionFinding` facts. It is pure (no I/O, no model) and fast (regular expressions
over text already extracted; well under a second for thousands of strings). The rules are in
:mod:`binscribe.analysis.injection_rules`.

What it covers: plain text in any string literal (ASCII, UTF-8, UTF-16LE as extracted), text
split across adjacent string literals or across the literals one function uses, base64 and hex
encoded text inside a string, symbol names (``ignore_previous_instructions``, camelCase), and
text in decompiled code not already found in a string or name. What it does not: text built at
run time (stack strings, XOR or other encryption, compression), text in resources or overlays
the string extractor does not read, paraphrases no rule anticipates.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from binscribe.analysis.injection_rules import RULES, Rule
from binscribe.analysis.models import (
    AnalysisResult,
    InjectionEncoding,
    InjectionFinding,
    InjectionKind,
    StringRef,
)

EXCERPT_CHARS = 160
ADJACENT_GAP = 32
"""Bytes between the end of one string literal and the start of the next for the two to be
read as one text (string tables pad literals to alignment)."""
_WINDOW = 3
_ZERO_WIDTH = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_ANY_KEYWORD = re.compile("|".join(sorted({re.escape(k) for r in RULES for k in r.keywords})))
_GAPS = re.compile(r"[\s_\-]+")
_HEX = re.compile(r"\b(?:[0-9a-fA-F]{2}){12,}\b")


def normalize(text: str) -> str:
    """``text`` as the rules read it: NFKC (full-width letters become ASCII), zero-width
    characters removed, runs of spaces/tabs as one space, blank-line runs as one blank line."""
    if not text.isascii():
        text = _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))
    return _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", text))


def _symbol_words(name: str) -> str:
    """A symbol name as words: ``ignorePreviousInstructions`` -> ``ignore Previous
    Instructions``, ``_`` and ``::`` as spaces."""
    return _CAMEL.sub(" ", name).replace("::", " ").replace("_", " ").strip()


@dataclass(frozen=True)
class _Match:
    rule: Rule
    start: int
    end: int
    excerpt: str
    phrase: str
    """The matched text, case-folded, word gaps as single spaces (to compare matches)."""


def _excerpt(text: str, start: int, end: int) -> str:
    room = max(EXCERPT_CHARS - (end - start), 0) // 2
    left, right = max(start - room, 0), min(end + room, len(text))
    shown = text[left:right].replace("\n", " ").strip()
    return ("…" if left else "") + shown[:EXCERPT_CHARS] + ("…" if right < len(text) else "")


def scan(text: str) -> list[_Match]:
    """Each rule's first match in ``text`` (normalized first)."""
    text = normalize(text)
    folded = text.casefold()
    if not _ANY_KEYWORD.search(folded):
        return []
    found = []
    for rule in RULES:
        if not any(keyword in folded for keyword in rule.keywords):
            continue
        match = rule.pattern.search(text)
        if match:
            phrase = _GAPS.sub(" ", match.group()).casefold().strip()
            excerpt = _excerpt(text, *match.span())
            found.append(_Match(rule, match.start(), match.end(), excerpt, phrase))
    return found


def _printable(raw: bytes) -> str | None:
    """``raw`` as text when it is valid UTF-8 and mostly printable, else None."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    shown = sum(c.isprintable() or c in "\n\t" for c in text)
    return text if len(text) >= 8 and shown >= 0.9 * len(text) else None


def decoded(text: str) -> Iterator[tuple[InjectionEncoding, str]]:
    """Texts hidden in ``text`` as base64 (standard or URL-safe) or hex, decoded."""
    for token in _BASE64.findall(text):
        if token.isalpha() or token.isdigit():
            continue  # a long word or number, not base64
        padded = token + "=" * (-len(token) % 4)
        try:
            raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        except (binascii.Error, ValueError):
            continue
        plain = _printable(raw)
        if plain is not None:
            yield "base64", plain
    for token in _HEX.findall(text):
        plain = _printable(bytes.fromhex(token))
        if plain is not None:
            yield "hex", plain


class _Findings:
    """Findings collected so far, one per (rule, kind, address)."""

    def __init__(self) -> None:
        self.items: list[InjectionFinding] = []
        self._seen: set[tuple[str, str, int | None]] = set()
        self.phrases: set[tuple[str, str]] = set()

    def add(
        self,
        match: _Match,
        *,
        kind: InjectionKind,
        address: int | None,
        addresses: Iterable[int] = (),
        function: str | None = None,
        encoding: InjectionEncoding = "plain",
    ) -> None:
        key = (match.rule.id, kind, address)
        if key in self._seen:
            return
        self._seen.add(key)
        self.phrases.add((match.rule.id, match.phrase))
        self.items.append(
            InjectionFinding(
                kind=kind,
                address=address,
                addresses=list(addresses) or ([address] if address is not None else []),
                function=function,
                rule=match.rule.id,
                category=match.rule.category,
                language=match.rule.language,
                encoding=encoding,
                excerpt=match.excerpt,
                verdict=match.rule.verdict,
            )
        )


def _byte_length(ref: StringRef) -> int:
    units = 2 if ref.encoding == "utf-16le" else 1
    return len(ref.value.encode("utf-8")) * units + units  # + the terminator


def _runs(strings: list[StringRef]) -> Iterator[list[StringRef]]:
    """Windows of up to three adjacent literals (same section, at most ``ADJACENT_GAP``
    bytes apart), starting at each literal."""
    ordered = sorted(strings, key=lambda s: s.address)
    for index, first in enumerate(ordered):
        window = [first]
        for ref in ordered[index + 1 : index + _WINDOW]:
            last = window[-1]
            gap = ref.address - (last.address + _byte_length(last))
            if ref.section != last.section or not 0 <= gap <= ADJACENT_GAP:
                break
            window.append(ref)
        if len(window) > 1:
            yield window


def _spanning(findings: _Findings, window: list[StringRef]) -> None:
    """Matches in ``window`` joined that span more than its first literal."""
    first = normalize(window[0].value)
    for match in scan(" ".join(s.value for s in window)):
        if match.end <= len(first) or match.start >= len(first):
            continue
        ends, covered = 0, []
        for ref in window:
            covered.append(ref.address)
            ends += len(normalize(ref.value)) + 1
            if ends >= match.end:
                break
        findings.add(match, kind="string", address=window[0].address, addresses=covered)


def _strings(findings: _Findings, result: AnalysisResult) -> None:
    for ref in result.strings:
        for match in scan(ref.value):
            findings.add(match, kind="string", address=ref.address)
        for encoding, plain in decoded(ref.value):
            for match in scan(plain):
                findings.add(match, kind="string", address=ref.address, encoding=encoding)
    for window in _runs(result.strings):
        _spanning(findings, window)
    by_address = {s.address: s for s in result.strings}
    for func in result.functions:
        used = [by_address[a] for a in func.strings if a in by_address]
        for index in range(len(used) - 1):
            _spanning(findings, used[index : index + _WINDOW])


def _symbols(findings: _Findings, result: AnalysisResult) -> None:
    for func in result.functions:
        for name in {func.name, func.mangled_name or func.name}:
            for match in scan(_symbol_words(name)):
                findings.add(match, kind="symbol", address=func.address, function=func.name)
    for export in result.exports:
        for match in scan(_symbol_words(export.name)):
            findings.add(match, kind="symbol", address=export.address, function=export.name)
    for item in result.imports:
        for match in scan(_symbol_words(item.name)):
            findings.add(match, kind="import", address=item.address, function=item.name)
    dotnet = result.binary.dotnet
    if dotnet is not None:
        names = [dotnet.assembly_name or "", dotnet.entry_method or ""]
        for name in names + [r.name for r in dotnet.references]:
            for match in scan(_symbol_words(name)):
                findings.add(match, kind="metadata", address=None)


def _code(findings: _Findings, result: AnalysisResult) -> None:
    """Matches in pseudocode (or disassembly) whose text no string or name finding has."""
    for func in result.functions:
        for match in scan(func.pseudocode or func.disassembly):
            if (match.rule.id, match.phrase) in findings.phrases:
                continue
            findings.add(match, kind="code", address=func.address, function=func.name)


def detect_injection(result: AnalysisResult) -> list[InjectionFinding]:
    """Every text in ``result`` addressed to an AI model or analysis tool, strings first, then
    symbols, imports and metadata, then code; at most one finding per rule and place."""
    findings = _Findings()
    _strings(findings, result)
    _symbols(findings, result)
    _code(findings, result)
    return findings.items
