"""The symbol map: what every export applies, built from a job's analysis result and explanations.

Functions are located by ``offset``: their address minus the image base angr loaded the binary at
(``BinaryInfo.image_base``), so a tool that loaded it elsewhere (IDA maps a PIE ELF at 0, Ghidra
at 0x100000) adds its own base. ``suggested_name`` is the name to give the function: the model's
``suggested_name`` as an identifier every supported tool accepts (see :mod:`.names`), with the
export's prefix, unique in the map; ``None`` when there is none or the model's confidence is below
``min_confidence`` (the comment then says what it suggested). The comment holds the summary and the
security notes; evidence comments sit at the ``address`` evidence the engine verified.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from binscribe.analysis.models import AnalysisResult, Function
from binscribe.explain.report import ExplanationReport, FunctionResult
from binscribe.explain.schemas import FunctionExplanation
from binscribe.exports.names import NameBook, identifier
from binscribe.exports.options import ExportOptions

SYMBOL_MAP_VERSION: Literal["1"] = "1"
COMMENT_TAG = "binscribe"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExportedBinary(_Strict):
    """What a script checks before it changes anything: the file's sha256 and size, and the entry
    point's offset from the image base (``None`` when the binary has no entry point)."""

    file_name: str
    sha256: str
    size: int
    format: str
    arch: str
    image_base: int = Field(description="where angr loaded the binary; offsets are from here")
    entry_offset: int | None


class EvidenceComment(_Strict):
    """A comment at ``offset`` (from the image base) inside the function."""

    offset: int
    text: str


class ExportedFunction(_Strict):
    """One function of the map; see the module docstring for ``suggested_name`` and ``comment``.
    ``confidence``: the model's own 0-1 rating of the explanation (``None``: not explained)."""

    offset: int
    original_name: str
    suggested_name: str | None = None
    confidence: float | None = None
    comment: str | None = None
    evidence: list[EvidenceComment] = Field(default_factory=list)


class SymbolMap(_Strict):
    """Everything an export applies; ``functions`` in address order (the analysis result's)."""

    symbol_map_version: Literal["1"] = SYMBOL_MAP_VERSION
    binary: ExportedBinary
    options: ExportOptions
    model: str | None = Field(default=None, description="the provider type and model explaining")
    functions: list[ExportedFunction] = Field(default_factory=list)

    def counts(self) -> tuple[int, int, int]:
        """(names to apply, function comments, evidence comments)."""
        names = sum(1 for f in self.functions if f.suggested_name is not None)
        comments = sum(1 for f in self.functions if f.comment is not None)
        return names, comments, sum(len(f.evidence) for f in self.functions)


def _comment(
    explanation: FunctionExplanation, kept_suggestion: str | None, model: str | None
) -> str:
    lines = [f"{COMMENT_TAG}: {explanation.summary.strip()}"]
    lines += [f"Security: {note.strip()}" for note in explanation.security_notes if note.strip()]
    if kept_suggestion:
        lines.append(f"Suggested name: {kept_suggestion} (below the confidence threshold)")
    source = f", {model}" if model else ""
    lines.append(f"(confidence {explanation.confidence:.2f}{source})")
    return "\n".join(lines)


def _evidence(
    explanation: FunctionExplanation, function: Function, base: int
) -> list[EvidenceComment]:
    found: dict[int, list[str]] = {}
    for item in explanation.evidence:
        if item.kind != "address":
            continue
        try:
            address = int(item.value.strip().lower().removesuffix("h"), 16)
        except ValueError:
            continue
        if function.address <= address < function.address + max(function.size, 1):
            found.setdefault(address, []).append(item.supports.strip() or "evidence")
    return [
        EvidenceComment(offset=address - base, text=f"{COMMENT_TAG}: " + "; ".join(claims))
        for address, claims in sorted(found.items())
    ]


def _entry(
    function: Function,
    result: FunctionResult | None,
    *,
    base: int,
    options: ExportOptions,
    book: NameBook,
    model: str | None,
) -> ExportedFunction:
    entry = ExportedFunction(offset=function.address - base, original_name=function.name)
    explanation = result.explanation if result is not None else None
    if explanation is None:
        return entry
    entry.confidence = explanation.confidence
    suggestion = identifier(explanation.suggested_name, prefix=options.prefix)
    kept = None
    if suggestion is not None and explanation.confidence < options.min_confidence:
        kept, suggestion = suggestion, None
    if suggestion is not None:
        entry.suggested_name = book.claim(suggestion, own=function.name)
    entry.comment = _comment(explanation, kept, model)
    if options.evidence_comments:
        entry.evidence = _evidence(explanation, function, base)
    return entry


def build_symbol_map(
    analysis: AnalysisResult,
    explanation: ExplanationReport | None,
    options: ExportOptions,
    *,
    file_name: str | None = None,
) -> SymbolMap:
    """The symbol map of one job: every recovered function, with a name and comments where the
    model explained it (none at all for a job without a provider). ``file_name``: the name the
    file was uploaded as (the analysis result knows only its stored name)."""
    binary = analysis.binary
    base = binary.image_base if binary.image_base is not None else 0
    entry_offset = binary.entry_point - base if binary.entry_point is not None else None
    results = {r.address: r for r in explanation.functions} if explanation else {}
    model = f"{explanation.provider_type} {explanation.model}" if explanation else None
    book = NameBook(f.name for f in analysis.functions)
    functions = [
        _entry(f, results.get(f.address), base=base, options=options, book=book, model=model)
        for f in analysis.functions
    ]
    return SymbolMap(
        binary=ExportedBinary(
            file_name=file_name or binary.file_name,
            sha256=binary.sha256,
            size=binary.size,
            format=binary.format,
            arch=binary.arch,
            image_base=base,
            entry_offset=entry_offset,
        ),
        options=options,
        model=model,
        functions=functions,
    )
