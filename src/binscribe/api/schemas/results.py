"""Result slices: the small job document (``JobOverview``), one page of functions, strings or
imports (``{data, count}``), and one function's detail with its cross-references.

Addresses are integers (virtual addresses, as in the analysis document); a function's detail
is addressed by its hex address in the URL.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from binscribe.analysis.models import (
    AnalysisDepth,
    AnalysisStats,
    BinaryInfo,
    CfgCut,
    InjectionFinding,
    Section,
    StringEncoding,
)
from binscribe.api.schemas.jobs import JobPublic
from binscribe.explain.report import (
    FunctionResult,
    ImportsResult,
    ItemError,
    ItemKind,
    ItemStatus,
    ProgramResult,
    StringsResult,
    TranslationDetail,
    Usage,
)
from binscribe.explain.schemas import CapabilityKind, Category, StringKind

SortOrder = Literal["asc", "desc"]
FunctionSort = Literal[
    "address", "name", "size", "blocks", "instructions", "callers", "callees", "category"
]
StringSort = Literal["address", "value", "length", "references"]
ImportSort = Literal["name", "library", "address", "references"]
MAX_PAGE = 500
DEFAULT_PAGE = 100
MAX_OVERVIEW_FINDINGS = 50
"""Prompt-injection findings the overview carries (all of them are in the full result)."""


class ResultCounts(BaseModel):
    """How much the result holds: functions (all, library, decompiled, failed to decompile,
    explained, failed to explain), strings, imports, exports and sections."""

    functions: int
    library_functions: int
    decompiled: int
    decompile_failures: int
    explained: int
    explain_failures: int
    strings: int
    imports: int
    exports: int
    sections: int


class ExplanationOverview(BaseModel):
    """The explanation run without its per-function items: provider, model, totals, the
    program summary, the import capabilities and the notable strings. ``items_total`` /
    ``items_failed`` count every item kind, ``failed_parts`` names the kinds with failures;
    ``grounding_score``: the share of the functions' evidence claims found in their own
    function (weighted by claims; None when none cited evidence). ``budget``: the job's budget in
    words (None without one); ``budget_exceeded``: it was reached (items failed with
    ``budget_exceeded``, or functions were explained from part of their code)."""

    prompt_version: str
    provider_type: str
    model: str
    detail: TranslationDetail
    usage: Usage
    explained: int
    failed: int
    cached: int
    items_total: int
    items_failed: int
    failed_parts: list[ItemKind]
    grounding_score: float | None
    functions_skipped: int
    program: ProgramResult | None
    imports: ImportsResult | None
    strings: StringsResult | None
    all_failed: bool
    cancelled: bool
    error: ItemError | None
    suspect_items: list[str]
    budget: str | None = None
    budget_exceeded: bool = False


class ResultOverview(BaseModel):
    """The result document without its lists: binary facts, counts, sections, warnings, notes,
    analysis statistics, ``cfg_cut`` (CFG recovery stopped at its time budget), the first
    :data:`MAX_OVERVIEW_FINDINGS` prompt-injection findings (``injection_findings_total``: all
    of them) and the explanation overview."""

    depth: AnalysisDepth
    engine_version: str
    binary: BinaryInfo
    counts: ResultCounts
    sections: list[Section]
    warnings: list[str]
    notes: list[str]
    stats: AnalysisStats
    cfg_cut: CfgCut | None
    injection_findings: list[InjectionFinding]
    injection_findings_total: int
    explanation: ExplanationOverview | None


class JobOverview(JobPublic):
    """A job with its result overview once it has one (the UI's first load)."""

    result: ResultOverview | None = None


class FunctionRef(BaseModel):
    """A function by address, with its name for display and the name its explanation suggests
    (``None`` when it has no explanation or the model suggested none)."""

    address: int
    name: str
    suggested_name: str | None = None


class FunctionRow(BaseModel):
    """One function in a list: facts, decompilation state, explanation state and summary
    (``suspect_injection`` and ``injection_reasons`` when the answer looks like it obeyed
    prompt-injection text; ``grounding_score``: the share of its explanation's evidence found in
    the function, the detail's ``explanation.grounding`` lists the rest), and how many callers,
    callees, strings and imports it has."""

    address: int
    name: str
    mangled_name: str | None
    size: int
    blocks: int
    instructions: int
    is_library: bool
    decompiled: bool
    decompile_error: str | None
    explanation_status: ItemStatus | None
    grounding_score: float | None
    category: Category | None
    summary: str | None
    suggested_name: str | None
    suspect_injection: bool
    injection_reasons: list[str]
    caller_count: int
    callee_count: int
    string_count: int
    import_count: int


class FunctionsPage(BaseModel):
    """One page of functions and the number matching the filters."""

    data: list[FunctionRow]
    count: int


class CallXref(BaseModel):
    """A call site: the instruction at ``address`` calls ``function``."""

    address: int
    function: FunctionRef


class StringXref(BaseModel):
    """The instruction at ``address`` loads the string at ``string_address``."""

    address: int
    string_address: int
    value: str


class ImportXref(BaseModel):
    """The instruction at ``address`` calls the import ``name`` (of ``library``)."""

    address: int
    name: str
    library: str | None


class FunctionDetail(FunctionRow):
    """One function: its code (pseudocode when decompiled, disassembly), its explanation item
    and its cross-references by address: ``callers`` (functions calling it), ``calls`` (call
    sites to other functions), ``string_refs`` and ``import_refs`` (with instruction
    addresses)."""

    pseudocode: str | None
    disassembly: str
    bytes_sha256: str
    explanation: FunctionResult | None
    callers: list[FunctionRef]
    calls: list[CallXref]
    string_refs: list[StringXref]
    import_refs: list[ImportXref]


class StringRow(BaseModel):
    """One string literal: where it is, its text and encoding, its kind and meaning when the
    model listed it among the notable strings, and the functions that reference it."""

    address: int
    value: str
    length: int
    encoding: StringEncoding
    section: str | None
    kind: StringKind | None
    interpretation: str | None
    referenced_by: list[FunctionRef]


class StringsPage(BaseModel):
    """One page of strings and the number matching the filters."""

    data: list[StringRow]
    count: int


class ImportRow(BaseModel):
    """One imported symbol, the capabilities the model grouped it under, and the functions
    that call it."""

    name: str
    library: str | None
    address: int | None
    capabilities: list[CapabilityKind]
    referenced_by: list[FunctionRef]


class ImportsPage(BaseModel):
    """One page of imports and the number matching the filters."""

    data: list[ImportRow]
    count: int
