"""Oversized functions: the code split into parts, each part summarized, and the summaries
merged level by level until they fit the function prompt. Coverage is 1 unless the job's
budget stops the parts or the merging, parts fail, or ``ExplainOptions.max_parts`` caps the
parts; the function's ``coverage_reason`` then says which."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

from binscribe.analysis.models import Function
from binscribe.explain.calls import ItemFailed
from binscribe.explain.chunks import CHARS_PER_TOKEN, estimate_tokens, group_by_budget, split_lines
from binscribe.explain.parsing import ask
from binscribe.explain.report import BUDGET_EXCEEDED, CoverageReason, Usage
from binscribe.explain.run import PART_TOKENS, Run
from binscribe.explain.schemas import PartialSummary
from binscribe.explain.templates import Data, render
from binscribe.llm.base import ChatMessage
from binscribe.llm.errors import LLMErrorCode


def identity(func: Function) -> Data:
    """The function's name (JSON-quoted) and address, as a data block."""
    return Data(f"name: {json.dumps(func.name)}\naddress: 0x{func.address:x}")


@dataclass(frozen=True)
class Summary:
    """A summary of lines ``first``..``last`` (1-based) of the code, resting on ``covered`` of
    them (parts that failed inside the span are not covered)."""

    first: int
    last: int
    covered: int
    text: str


@dataclass(frozen=True)
class PartsOutcome:
    """What :func:`explain_parts` gives the function prompt: the summaries ``text``, the share
    of lines it rests on (``coverage``), the parts asked and why coverage is below 1."""

    text: str
    coverage: float
    parts: int
    reason: CoverageReason | None


async def explain_parts(
    run: Run, func: Function, label: str, code: str, usage: Usage, max_tokens: int
) -> PartsOutcome:
    """Summaries of ``code`` split into parts, merged until they fit ``max_tokens``. Parts
    the budget stops or that fail are not covered; when the budget stops the merging, the
    leading summaries that fit are kept and the rest is not covered.

    Raises:
        ItemFailed: every part failed (the first part's failure: ``budget_exceeded`` when the
            budget was used up before any part), or a part was too long for the model
            (``context_too_long``: the caller retries with smaller parts).
    """
    probe = render(
        "function_part",
        function=identity(func),
        part=1,
        parts=1,
        first_line=1,
        last_line=1,
        total_lines=1,
        code_label=label,
        code=Data(""),
    )
    fixed = sum(estimate_tokens(m.content) for m in probe)
    parts = split_lines(code, max_tokens=run.budget(fixed, PART_TOKENS))
    total_lines = max(sum(part.lines for part in parts), 1)
    reasons: set[CoverageReason] = set()
    if run.options.max_parts is not None and len(parts) > run.options.max_parts:
        parts = parts[: run.options.max_parts]
        reasons.add(CoverageReason.MAX_PARTS)

    async def one(index: int) -> PartialSummary:
        part = parts[index]
        messages = render(
            "function_part",
            function=identity(func),
            part=index + 1,
            parts=len(parts),
            first_line=part.first,
            last_line=part.last,
            total_lines=total_lines,
            code_label=label,
            code=Data(part.text),
        )
        return await ask(run.caller, messages, PartialSummary, max_tokens=PART_TOKENS, usage=usage)

    outcomes = await asyncio.gather(
        *(one(index) for index in range(len(parts))), return_exceptions=True
    )
    summaries: list[Summary] = []
    for part, outcome in zip(parts, outcomes, strict=True):
        if isinstance(outcome, ItemFailed) and outcome.code == LLMErrorCode.CONTEXT_TOO_LONG:
            raise outcome  # a part too long for the model: all again in smaller parts
        if isinstance(outcome, ItemFailed):
            reasons.add(_reason(outcome))
            continue
        if isinstance(outcome, BaseException):
            raise outcome
        text = _summary_text(part.first, part.last, outcome)
        summaries.append(Summary(part.first, part.last, part.lines, text))
    if not summaries:
        failure = outcomes[0]
        assert isinstance(failure, ItemFailed)
        raise failure
    merged, stopped = await _merge(run, func, summaries, total_lines, max_tokens, usage)
    if stopped:
        reasons.add(CoverageReason.BUDGET_EXCEEDED)
    kept = _fitting(merged, max_tokens)
    if len(kept) < len(merged) and not stopped:
        reasons.add(CoverageReason.TOO_LARGE)
    coverage = sum(s.covered for s in kept) / total_lines
    reason = _first_reason(reasons) if coverage < 1 else None
    return PartsOutcome("\n".join(s.text for s in kept), coverage, len(parts), reason)


def _reason(failure: ItemFailed) -> CoverageReason:
    if failure.code == BUDGET_EXCEEDED:
        return CoverageReason.BUDGET_EXCEEDED
    return CoverageReason.PARTS_FAILED


def _first_reason(reasons: set[CoverageReason]) -> CoverageReason | None:
    """The reason to report when several apply: the budget first (the user can raise it)."""
    return next((r for r in CoverageReason if r in reasons), None)


def _fitting(summaries: list[Summary], max_tokens: int) -> list[Summary]:
    """The leading ``summaries`` whose joined text fits ``max_tokens`` (at least the first,
    cut to the budget: its lines count as covered)."""
    kept: list[Summary] = []
    size = 0
    for summary in summaries:
        size += len(summary.text) + 1
        if kept and size > max_tokens * CHARS_PER_TOKEN:
            break
        kept.append(summary)
    first = kept[0]
    cut = first.text[: max_tokens * CHARS_PER_TOKEN]
    kept[0] = Summary(first.first, first.last, first.covered, cut)
    return kept


def _summary_text(first: int, last: int, summary: PartialSummary) -> str:
    points = "".join(f"\n  - {json.dumps(point)}" for point in summary.key_points)
    return f"part lines {first}-{last}: {json.dumps(summary.summary)}{points}"


async def _merge(
    run: Run,
    func: Function,
    summaries: list[Summary],
    total_lines: int,
    max_tokens: int,
    usage: Usage,
) -> tuple[list[Summary], bool]:
    """Part summaries merged level by level (consecutive groups that fit one prompt become one
    summary each) until they fit ``max_tokens`` together or one is left: (summaries, whether
    the budget stopped the merging). A failed merge keeps its group's summaries as they are,
    cut to the budget (their lines stay covered); a merge the budget refuses keeps them whole
    and no further level is merged."""
    probe = _merge_messages(func, 1, 1, "", total_lines)
    group_budget = run.budget(sum(estimate_tokens(m.content) for m in probe), PART_TOKENS)
    stopped = False
    while (
        not stopped
        and len(summaries) > 1
        and estimate_tokens("\n".join(s.text for s in summaries)) > max_tokens
    ):
        groups = _groups(summaries, group_budget)
        if len(groups) == len(summaries):  # every summary alone fills a prompt: no merge helps
            break

        async def one(group: list[Summary]) -> list[Summary]:
            nonlocal stopped
            if len(group) == 1:
                return group
            first, last = group[0].first, group[-1].last
            covered = sum(s.covered for s in group)
            text = "\n".join(s.text for s in group)
            try:
                messages = _merge_messages(func, first, last, text, total_lines)
                merged = await ask(
                    run.caller, messages, PartialSummary, max_tokens=PART_TOKENS, usage=usage
                )
            except ItemFailed as exc:
                if exc.code in ("cancelled", LLMErrorCode.CONTEXT_TOO_LONG):
                    raise
                if exc.code == BUDGET_EXCEEDED:
                    stopped = True
                    return group
                return [Summary(first, last, covered, text[: group_budget * 3])]
            return [Summary(first, last, covered, _summary_text(first, last, merged))]

        levels = await asyncio.gather(*(one(group) for group in groups))
        summaries = [summary for level in levels for summary in level]
    return summaries, stopped


def _groups(summaries: list[Summary], budget: int) -> list[list[Summary]]:
    """``summaries`` in consecutive groups whose joined text fits ``budget`` tokens."""
    groups = group_by_budget([s.text for s in summaries], max_tokens=budget)
    out, start = [], 0
    for group in groups:
        out.append(summaries[start : start + len(group)])
        start += len(group)
    return out


def _merge_messages(
    func: Function, first: int, last: int, text: str, total_lines: int
) -> list[ChatMessage]:
    return render(
        "function_merge",
        function=identity(func),
        first_line=first,
        last_line=last,
        total_lines=total_lines,
        summaries=Data(text),
    )
