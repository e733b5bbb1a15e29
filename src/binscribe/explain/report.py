"""The engine's options and its result document, :class:`ExplanationReport` (JSON-serializable).

Token counts come from the providers' usage reports; costs are USD estimates from
:func:`binscribe.llm.pricing.estimate_cost`: ``None`` when the model is not in the price table
or a provider sent no token counts, never 0 for "unknown".
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from binscribe.explain.schemas import (
    FunctionExplanation,
    ImportCapabilities,
    NotableStrings,
    ProgramSummary,
)
from binscribe.llm.base import EXPLAIN_TEMPERATURE
from binscribe.llm.config import MIN_CONTEXT_TOKENS

REPORT_VERSION: Literal["1"] = "1"

ItemKind = Literal["functions", "imports", "strings", "program"]
ITEM_KINDS: tuple[ItemKind, ...] = ItemKind.__args__  # type: ignore[attr-defined]


class ItemStatus(StrEnum):
    """How one explanation item (a function, the imports, the strings, the program) ended."""

    EXPLAINED = "explained"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TranslationDetail(StrEnum):
    """How long explanations are (answer token limits and wording: ``explain.run.DETAIL``)."""

    BRIEF = "brief"
    STANDARD = "standard"
    COMPREHENSIVE = "comprehensive"


class CoverageReason(StrEnum):
    """Why a function's ``coverage`` is below 1: the job's budget stopped its parts or their
    merging (``budget_exceeded``, also the error code of items the budget left out), some
    parts failed, ``max_parts`` capped them, or its part summaries could not be merged small
    enough (``too_large``)."""

    BUDGET_EXCEEDED = "budget_exceeded"
    PARTS_FAILED = "parts_failed"
    MAX_PARTS = "max_parts"
    TOO_LARGE = "too_large"


BUDGET_EXCEEDED: Final = CoverageReason.BUDGET_EXCEEDED.value
"""The error code of items not explained because the job's budget was used up."""


class ExplainOptions(BaseModel):
    """How to explain.

    ``detail`` sets the explanation length (max_tokens and prompt wording).
    ``include_library`` also explains functions the analysis marked ``is_library``.
    ``max_concurrency``: parallel provider calls; None uses the adapter's
    ``ProviderConfig.max_concurrency`` (default 4). ``context_tokens``: the model's context
    window in tokens; prompts larger than it minus the answer's ``max_tokens`` are split.
    ``max_parts``: None (default) summarizes every part of an oversized function and merges
    the summaries level by level until they fit (coverage 1); a number caps the parts of one
    function (the rest is not covered). ``max_strings``: at most this many strings are offered
    to the model.
    ``max_functions``: explain at most this many functions, the most important first (the
    ranking the analysis uses to pick what to decompile); None: every eligible function.
    ``addresses``: explain exactly the functions at these addresses that have code (library
    ones too); ``max_functions`` and ``include_library`` then do not apply.
    ``budget_tokens`` / ``budget_usd``: stop making provider calls once the run has used this
    many tokens (input + output) or this estimated cost (see :mod:`binscribe.explain.budget`);
    None: no limit.
    """

    model_config = ConfigDict(extra="forbid")

    detail: TranslationDetail = TranslationDetail.STANDARD
    include_library: bool = False
    max_functions: int | None = Field(default=None, ge=1)
    addresses: list[int] | None = None
    explain_imports: bool = True
    explain_strings: bool = True
    summarize_program: bool = True
    max_concurrency: int | None = Field(default=None, ge=1, le=64)
    context_tokens: int = Field(default=16_384, ge=MIN_CONTEXT_TOKENS)
    temperature: float = Field(default=EXPLAIN_TEMPERATURE, ge=0, le=2)
    max_parts: int | None = Field(default=None, ge=1)
    max_strings: int = Field(default=600, ge=1)
    budget_tokens: int | None = Field(default=None, ge=1)
    budget_usd: float | None = Field(default=None, gt=0)


class Usage(BaseModel):
    """Provider calls made, tokens used and estimated cost (USD; None when unknown).
    ``reasoning_tokens`` is the part of ``output_tokens`` spent thinking."""

    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    cost_usd: float | None = None

    def add(self, other: Usage) -> None:
        """Add ``other`` in place; the cost stays known only while every part's cost is."""
        known = self.requests == 0 or self.cost_usd is not None
        other_known = other.requests == 0 or other.cost_usd is not None
        self.requests += other.requests
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.reasoning_tokens += other.reasoning_tokens
        if self.requests == 0:
            self.cost_usd = None
        elif known and other_known:
            self.cost_usd = (self.cost_usd or 0.0) + (other.cost_usd or 0.0)
        else:
            self.cost_usd = None


class ItemError(BaseModel):
    """Why an item failed: an LLM error code (``auth_failed``, ``server_error``, ...),
    ``invalid_output`` (no valid JSON after one repair), ``no_input``, ``cancelled``,
    ``budget_exceeded`` (the job's token or cost budget was used up before this item) or
    ``internal_error`` (a bug in a provider call, logged with its trace)."""

    code: str
    message: str


class _Item(BaseModel):
    status: ItemStatus
    error: ItemError | None = None
    unverified_evidence: int = Field(
        default=0, description="evidence entries removed because the binary has no such thing"
    )
    usage: Usage = Field(default_factory=Usage)
    suspect_injection: bool = Field(
        default=False,
        description="the answer looks like it obeyed text the binary addressed to AI analysis",
    )
    injection_reasons: list[str] = Field(
        default_factory=list, description="why the answer is suspect_injection"
    )


class GroundingScore(BaseModel):
    """How much of a function explanation's evidence the function itself has (computed by
    :meth:`binscribe.explain.evidence.Grounding.score`, never by the model).

    ``total``: the evidence entries (claims) the model cited; ``grounded``: those found in the
    function's facts (its address range and instructions, the strings and imports it
    references, its callees and callers); ``score``: ``grounded / total`` (0.0 for an
    explanation that cites nothing, as nothing of it can be checked). ``unverified``: each
    other claim, as ``kind "value" (where it was found)`` and what it was cited for.
    """

    score: float = Field(ge=0, le=1)
    grounded: int = Field(ge=0)
    total: int = Field(ge=0)
    unverified: list[str] = Field(default_factory=list)


class FunctionResult(_Item):
    """One function's explanation. ``source``: what the model read (``pseudocode``, or
    ``disassembly`` when decompilation failed). ``coverage``: fraction of those lines the
    explanation rests on (below 1 when a split function's parts failed or were cut;
    ``coverage_reason`` then says why, e.g. ``budget_exceeded``).
    ``cached``: taken from the explanation cache (no provider call). ``grounding``: the
    explanation's evidence checked against this function (None when not explained)."""

    name: str
    address: int
    source: Literal["pseudocode", "disassembly"]
    explanation: FunctionExplanation | None = None
    coverage: float = 0.0
    coverage_reason: CoverageReason | None = None
    parts: int = 1
    cached: bool = False
    grounding: GroundingScore | None = None


class ImportsResult(_Item):
    """The imports grouped into capabilities."""

    result: ImportCapabilities | None = None


class StringsResult(_Item):
    """The notable strings."""

    result: NotableStrings | None = None


class ProgramResult(_Item):
    """The whole-program summary; ``reduced`` when it was built by map-reduce."""

    result: ProgramSummary | None = None
    reduced: bool = False


class ExplanationReport(BaseModel):
    """Everything the engine produced for one analysis result.

    ``functions`` follow the analysis result's order (not the order they were explained).
    ``functions_skipped``: library/runtime functions left out (``include_library`` off) and
    functions with no code. ``all_failed``: items were attempted and none succeeded (the
    pipeline fails the job with ``llm_unavailable``); ``error`` then holds the most common
    failure. ``cancelled``: the run was stopped; unfinished items have status ``cancelled``.
    ``suspect_items``: the items marked ``suspect_injection`` (``function main (0x401126)``,
    ``strings``, ``imports``, ``program``).

    ``items_total``: the items attempted, of every kind (functions, imports, strings,
    program); ``items_failed``: those that failed; ``failed_parts``: the kinds with failures
    (:data:`ITEM_KINDS` order). ``grounding_score``: the share of all function explanations'
    claims grounded in their own function (weighted by claims: ``sum(grounded) /
    sum(total)``); None when no explanation cited evidence.

    ``budget``: the run's limit in words (``20,000 tokens``; None without one);
    ``budget_exceeded``: it was reached, so items failed with ``budget_exceeded`` or functions
    were explained from part of their code (``coverage_reason``).
    """

    report_version: Literal["1"] = REPORT_VERSION
    prompt_version: str
    provider_type: str
    model: str
    detail: TranslationDetail
    functions: list[FunctionResult] = Field(default_factory=list)
    functions_skipped: int = 0
    imports: ImportsResult | None = None
    strings: StringsResult | None = None
    program: ProgramResult | None = None
    usage: Usage = Field(default_factory=Usage)
    explained: int = 0
    failed: int = 0
    cached: int = 0
    unverified_evidence: int = 0
    all_failed: bool = False
    cancelled: bool = False
    error: ItemError | None = None
    suspect_items: list[str] = Field(default_factory=list)
    items_total: int = 0
    items_failed: int = 0
    failed_parts: list[ItemKind] = Field(default_factory=list)
    grounding_score: float | None = Field(default=None, ge=0, le=1)
    budget: str | None = None
    budget_exceeded: bool = False

    def failure_note(self) -> str | None:
        """A one-line status message: what the budget left out (``budget of 20,000 tokens
        reached: not explained: 3 of 10 functions, program; 1 function explained from part of
        its code``), then the parts whose explanations failed otherwise and the first failure
        (``explanations failed for imports, strings, program (every item besides the
        functions): server_error: ...``); None when nothing failed or was left out."""
        others = [i for i in (self.imports, self.strings, self.program) if i is not None]
        items: list[_Item] = [*self.functions, *others]
        notes = [self._budget_note()] if self.budget_exceeded else []
        failed = [
            i
            for i in items
            if i.status == "failed"
            and i.error
            and i.error.code != BUDGET_EXCEEDED
            and item_kind(i) in self.failed_parts
        ]
        if failed:
            functions = sum(isinstance(i, FunctionResult) for i in failed)
            kinds = {item_kind(i) for i in failed}
            parts = [
                f"{functions} of {len(self.functions)} functions" if kind == "functions" else kind
                for kind in ITEM_KINDS
                if kind in kinds
            ]
            note = f"explanations failed for {', '.join(parts)}"
            if others and all(i.status == "failed" for i in others):
                note += " (every item besides the functions)"
            error = failed[0].error
            assert error is not None
            notes.append(f"{note}: {error.code}: {error.message}")
        return "; ".join(notes) or None

    def _budget_note(self) -> str:
        others = [i for i in (self.imports, self.strings, self.program) if i is not None]
        items: list[_Item] = [*self.functions, *others]
        left = [i for i in items if i.error and i.error.code == BUDGET_EXCEEDED]
        functions = sum(isinstance(i, FunctionResult) for i in left)
        kinds = {item_kind(i) for i in left}
        parts = [
            f"{functions} of {len(self.functions)} functions" if kind == "functions" else kind
            for kind in ITEM_KINDS
            if kind in kinds
        ]
        note = f"budget of {self.budget} reached"
        if parts:
            note += f": not explained ({BUDGET_EXCEEDED}): {', '.join(parts)}"
        partial = sum(f.coverage_reason == BUDGET_EXCEEDED for f in self.functions)
        if partial:
            note += f"; {partial} function{'s' if partial > 1 else ''} explained from part of " + (
                "their code" if partial > 1 else "its code"
            )
        return note


def item_kind(item: _Item) -> ItemKind:
    """The item's kind, as :data:`ITEM_KINDS` names it."""
    kinds: dict[type, ItemKind] = {
        FunctionResult: "functions",
        ImportsResult: "imports",
        StringsResult: "strings",
    }
    return kinds.get(type(item), "program")
