"""Binary-level items: import capabilities, notable strings and the whole-program summary.

Imports and strings larger than one prompt are split into slices asked separately and merged
without the model (capabilities by kind, strings concatenated). The program summary is built
from the function summaries; when they exceed the context it is map-reduced: slices of
summaries are condensed (``program_part``) until the condensed text fits one prompt.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

from binscribe.explain.calls import ItemFailed
from binscribe.explain.chunks import estimate_tokens, group_by_budget
from binscribe.explain.parsing import ask
from binscribe.explain.report import (
    FunctionResult,
    ImportsResult,
    ProgramResult,
    StringsResult,
    Usage,
)
from binscribe.explain.run import PART_TOKENS, Run, shrinking
from binscribe.explain.schemas import (
    CAPABILITY_KINDS,
    STRING_KINDS,
    Capability,
    ImportCapabilities,
    NotableString,
    NotableStrings,
    PartialSummary,
    ProgramSummary,
)
from binscribe.explain.suspicion import findings_listing, mark_program, program_text, reasons
from binscribe.explain.templates import Data, render
from binscribe.llm.errors import LLMErrorCode

LIST_TOKENS = 2_000
_MAX_REDUCE_ROUNDS = 4


async def _slices[T](
    entries: list[str], budget: int, ask_one: Callable[[str, int, int], Awaitable[T]]
) -> list[T]:
    """``ask_one(text, part, parts)`` for each budget-sized slice of ``entries``, concurrently;
    the successful answers in slice order.

    Raises:
        ItemFailed: every slice failed (the first failure), or one was too long for the
            model's context (``context_too_long``, so the caller can slice smaller).
    """
    groups = group_by_budget(entries, max_tokens=budget)
    outcomes = await asyncio.gather(
        *(ask_one("\n".join(g), i + 1, len(groups)) for i, g in enumerate(groups)),
        return_exceptions=True,
    )
    answers = [o for o in outcomes if not isinstance(o, BaseException)]
    for outcome in outcomes:
        if isinstance(outcome, BaseException) and not isinstance(outcome, ItemFailed):
            raise outcome
        if isinstance(outcome, ItemFailed) and outcome.code == LLMErrorCode.CONTEXT_TOO_LONG:
            raise outcome  # a slice too long for the model: all again in smaller slices
    if not answers:
        failure = outcomes[0]
        assert isinstance(failure, ItemFailed)
        raise failure
    return answers


def _fixed(prompt: str, /, **values: object) -> int:
    return sum(estimate_tokens(m.content) for m in render(prompt, **values))


async def explain_imports(run: Run) -> ImportsResult:
    """Group the binary's imports into capabilities; imports the binary lacks are removed from
    the answer and counted in ``unverified_evidence``."""
    usage = Usage()
    entries = [f"{json.dumps(i.library or '?')}: {json.dumps(i.name)}" for i in run.result.imports]
    kinds = ", ".join(CAPABILITY_KINDS)
    binary = Data(run.binary_line)
    fixed = _fixed("imports", binary=binary, imports=Data(""), kinds=kinds)

    async def one(text: str, part: int, parts: int) -> ImportCapabilities:
        messages = render("imports", binary=binary, imports=Data(text), kinds=kinds)
        return await ask(
            run.caller, messages, ImportCapabilities, max_tokens=LIST_TOKENS, usage=usage
        )

    try:
        answers = await shrinking(
            run, lambda fitted: _slices(entries, fitted.budget(fixed, LIST_TOKENS), one)
        )
    except ItemFailed as exc:
        return ImportsResult(status=_status(exc), error=exc.to_error(), usage=usage)
    merged: dict[str, Capability] = {}
    removed = 0
    for answer in answers:
        for capability in answer.capabilities:
            known = [name for name in capability.imports if run.grounding.has_import(name)]
            removed += len(capability.imports) - len(known)
            if not known:
                continue
            if capability.kind in merged:
                held = merged[capability.kind]
                held.imports.extend(n for n in known if n not in held.imports)
                if capability.purpose not in held.purpose:
                    held.purpose = f"{held.purpose} {capability.purpose}"
            else:
                merged[capability.kind] = capability.model_copy(update={"imports": known})
    summary = " ".join(a.summary for a in answers if a.summary)
    result = ImportCapabilities(capabilities=list(merged.values()), summary=summary)
    flagged = [f for f in run.result.injection_findings if f.kind == "import"]
    suspect = reasons([summary, *(c.purpose for c in result.capabilities)], flagged)
    return ImportsResult(
        status="explained",
        result=result,
        unverified_evidence=removed,
        usage=usage,
        suspect_injection=bool(suspect),
        injection_reasons=suspect,
    )


async def explain_strings(run: Run) -> StringsResult:
    """Pick out and interpret notable strings (at most ``options.max_strings`` offered, those
    referenced by code first); values the binary lacks are removed and counted."""
    usage = Usage()
    ranked = sorted(run.result.strings, key=lambda s: (not s.referenced_by, s.address))
    entries = [f"0x{s.address:x}: {json.dumps(s.value)}" for s in ranked[: run.options.max_strings]]
    kinds = ", ".join(STRING_KINDS)
    binary = Data(run.binary_line)
    fixed = _fixed("strings", binary=binary, strings=Data(""), kinds=kinds)

    async def one(text: str, part: int, parts: int) -> NotableStrings:
        messages = render("strings", binary=binary, strings=Data(text), kinds=kinds)
        return await ask(run.caller, messages, NotableStrings, max_tokens=LIST_TOKENS, usage=usage)

    try:
        answers = await shrinking(
            run, lambda fitted: _slices(entries, fitted.budget(fixed, LIST_TOKENS), one)
        )
    except ItemFailed as exc:
        return StringsResult(status=_status(exc), error=exc.to_error(), usage=usage)
    kept: dict[str, NotableString] = {}
    removed = 0
    for answer in answers:
        for item in answer.strings:
            if not run.grounding.has_string(item.value):
                removed += 1
            else:
                kept.setdefault(item.value, item)
    flagged = [f for f in run.result.injection_findings if f.kind == "string"]
    suspect = reasons([s.interpretation for s in kept.values()], flagged)
    return StringsResult(
        status="explained",
        result=NotableStrings(strings=list(kept.values())),
        unverified_evidence=removed,
        usage=usage,
        suspect_injection=bool(suspect),
        injection_reasons=suspect,
    )


def _status(exc: ItemFailed) -> str:
    return "cancelled" if exc.code == "cancelled" else "failed"


async def summarize_program(
    run: Run,
    functions: list[FunctionResult],
    imports: ImportsResult | None,
    strings: StringsResult | None,
) -> ProgramResult:
    """The whole-program summary from the explained functions, imports and strings.

    Fails with ``no_input`` when nothing was explained to build it from.
    """
    usage = Usage()
    lines = [
        f"- {json.dumps(f.name)} (0x{f.address:x}): {json.dumps(f.explanation.summary)}"
        for f in functions
        if f.explanation is not None
    ]
    capabilities = imports.result.capabilities if imports and imports.result else []
    notable = strings.result.strings if strings and strings.result else []
    if not lines and not capabilities and not notable:
        error = ItemFailed("no_input", "Nothing was explained, so the program has no summary.")
        return ProgramResult(status="failed", error=error.to_error())
    values: dict[str, object] = {
        "binary": Data(run.binary_line),
        "detail_instruction": run.detail.program_wording,
        "imports": Data(
            "\n".join(
                f"- {c.kind}: {json.dumps(c.imports)} ({json.dumps(c.purpose)})"
                for c in capabilities
            )
            or "(none)"
        ),
        "strings": Data(
            "\n".join(
                f"- {json.dumps(s.value)} ({s.kind}): {json.dumps(s.interpretation)}"
                for s in notable
            )
            or "(none)"
        ),
        "findings": Data(findings_listing(run.result.injection_findings)),
    }
    answer_tokens = run.detail.program_tokens
    label = "Function summaries"
    budget = run.budget(
        _fixed("program", **values, functions_label=label, functions=Data("")), answer_tokens
    )
    reduced = False
    try:
        for _ in range(_MAX_REDUCE_ROUNDS):
            if estimate_tokens("\n".join(lines)) <= budget:
                break
            lines = await _condense(run, lines, usage)
            label, reduced = "Condensed summaries of slices of the program's functions", True
        messages = render(
            "program",
            **values,
            functions_label=label,
            functions=Data(_fit("\n".join(lines), budget) or "(none)"),
        )
        summary = await ask(
            run.caller, messages, ProgramSummary, max_tokens=answer_tokens, usage=usage
        )
    except ItemFailed as exc:
        return ProgramResult(
            status=_status(exc), error=exc.to_error(), usage=usage, reduced=reduced
        )
    evidence, removed = run.grounding.keep_grounded(summary.evidence)
    findings = run.result.injection_findings
    suspect = reasons(program_text(summary), findings, (i.name for i in run.result.imports))
    summary = mark_program(summary.model_copy(update={"evidence": evidence}), findings)
    return ProgramResult(
        status="explained",
        result=summary,
        unverified_evidence=removed,
        usage=usage,
        reduced=reduced,
        suspect_injection=bool(suspect),
        injection_reasons=suspect,
    )


def _fit(text: str, budget: int) -> str:
    return text[: budget * 3]


async def _condense(run: Run, lines: list[str], usage: Usage) -> list[str]:
    """One map round: each budget-sized slice of ``lines`` condensed to one summary line."""
    binary = Data(run.binary_line)
    budget = run.budget(
        _fixed("program_part", binary=binary, part=1, parts=1, summaries=Data("")),
        PART_TOKENS,
    )

    async def one(text: str, part: int, parts: int) -> PartialSummary:
        messages = render(
            "program_part", binary=binary, part=part, parts=parts, summaries=Data(text)
        )
        return await ask(run.caller, messages, PartialSummary, max_tokens=PART_TOKENS, usage=usage)

    digests = await _slices(lines, budget, one)
    return [
        f"- {json.dumps(d.summary)}" + "".join(f"\n  - {json.dumps(p)}" for p in d.key_points)
        for d in digests
    ]
