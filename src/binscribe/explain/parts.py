"""Oversized functions: the code split into parts, each part summarized, and the summaries
merged level by level until they fit the function prompt (so coverage is 1 unless
``ExplainOptions.max_parts`` caps the parts)."""

from __future__ import annotations

import asyncio
import json

from binscribe.analysis.models import Function
from binscribe.explain.calls import ItemFailed
from binscribe.explain.chunks import LinePart, estimate_tokens, group_by_budget, split_lines
from binscribe.explain.parsing import ask
from binscribe.explain.report import Usage
from binscribe.explain.run import PART_TOKENS, Run
from binscribe.explain.schemas import PartialSummary
from binscribe.explain.templates import Data, render
from binscribe.llm.base import ChatMessage
from binscribe.llm.errors import LLMErrorCode


def identity(func: Function) -> Data:
    """The function's name (JSON-quoted) and address, as a data block."""
    return Data(f"name: {json.dumps(func.name)}\naddress: 0x{func.address:x}")


async def explain_parts(
    run: Run, func: Function, label: str, code: str, usage: Usage, max_tokens: int
) -> tuple[str, float, int]:
    """Summaries of ``code`` split into parts, merged until they fit ``max_tokens``: (summaries
    text, coverage, parts asked). Every part is summarized unless ``options.max_parts`` caps
    them (coverage is then below 1).

    Raises:
        ItemFailed: every part failed (the first part's failure).
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
    if run.options.max_parts is not None:
        parts = parts[: run.options.max_parts]

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
    texts: list[tuple[LinePart, str]] = []
    covered = 0
    for part, outcome in zip(parts, outcomes, strict=True):
        if isinstance(outcome, ItemFailed) and outcome.code == LLMErrorCode.CONTEXT_TOO_LONG:
            raise outcome  # a part too long for the model: all again in smaller parts
        if isinstance(outcome, ItemFailed):
            continue
        if isinstance(outcome, BaseException):
            raise outcome
        texts.append((part, _summary_text(part, outcome)))
        covered += part.lines
    if not texts:
        failure = outcomes[0]
        assert isinstance(failure, ItemFailed)
        raise failure
    merged = await _merge(run, func, texts, total_lines, max_tokens, usage)
    return "\n".join(text for _, text in merged), covered / total_lines, len(parts)


def _summary_text(part: LinePart, summary: PartialSummary) -> str:
    points = "".join(f"\n  - {json.dumps(point)}" for point in summary.key_points)
    return f"part lines {part.first}-{part.last}: {json.dumps(summary.summary)}{points}"


async def _merge(
    run: Run,
    func: Function,
    texts: list[tuple[LinePart, str]],
    total_lines: int,
    max_tokens: int,
    usage: Usage,
) -> list[tuple[LinePart, str]]:
    """Part summaries merged level by level (consecutive groups that fit one prompt become one
    summary each) until they fit ``max_tokens`` together or one is left. A failed merge keeps
    its group's summaries as they are, cut to the budget (their lines stay covered)."""
    probe = _merge_messages(func, LinePart(1, 1, ""), total_lines)
    group_budget = run.budget(sum(estimate_tokens(m.content) for m in probe), PART_TOKENS)
    while len(texts) > 1 and estimate_tokens("\n".join(t for _, t in texts)) > max_tokens:
        groups = _groups(texts, group_budget)
        if len(groups) == len(texts):  # every summary alone fills a prompt: no merge can help
            break

        async def one(group: list[tuple[LinePart, str]]) -> tuple[LinePart, str]:
            span = LinePart(group[0][0].first, group[-1][0].last, "\n".join(t for _, t in group))
            if len(group) == 1:
                return group[0]
            try:
                messages = _merge_messages(func, span, total_lines)
                merged = await ask(
                    run.caller, messages, PartialSummary, max_tokens=PART_TOKENS, usage=usage
                )
            except ItemFailed as exc:
                if exc.code in ("cancelled", LLMErrorCode.CONTEXT_TOO_LONG):
                    raise
                return span, span.text[: group_budget * 3]
            return span, _summary_text(span, merged)

        texts = list(await asyncio.gather(*(one(group) for group in groups)))
    return texts


def _groups(texts: list[tuple[LinePart, str]], budget: int) -> list[list[tuple[LinePart, str]]]:
    """``texts`` in consecutive groups whose joined text fits ``budget`` tokens."""
    groups = group_by_budget([text for _, text in texts], max_tokens=budget)
    out, start = [], 0
    for group in groups:
        out.append(texts[start : start + len(group)])
        start += len(group)
    return out


def _merge_messages(func: Function, span: LinePart, total_lines: int) -> list[ChatMessage]:
    return render(
        "function_merge",
        function=identity(func),
        first_line=span.first,
        last_line=span.last,
        total_lines=total_lines,
        summaries=Data(span.text),
    )
