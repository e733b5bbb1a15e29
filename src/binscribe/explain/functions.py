"""Explaining one function: its prompt, the cache, splitting when it is too large, grounding."""

from __future__ import annotations

import asyncio
import json
import logging

from binscribe.analysis.models import Function
from binscribe.explain.cache import cache_key
from binscribe.explain.calls import ItemFailed
from binscribe.explain.chunks import LinePart, estimate_tokens, group_by_budget, split_lines
from binscribe.explain.parsing import ask
from binscribe.explain.report import FunctionResult, Usage
from binscribe.explain.run import PART_TOKENS, Run, shrinking
from binscribe.explain.schemas import CATEGORIES, FunctionExplanation, PartialSummary
from binscribe.explain.suspicion import function_findings, reasons
from binscribe.explain.templates import PROMPT_VERSION, Data, render
from binscribe.llm.base import ChatMessage

logger = logging.getLogger(__name__)


def _listing(lines: list[str], max_chars: int, empty: str = "(none)") -> str:
    """``lines`` joined, cut to ``max_chars`` with a count of what was left out."""
    if not lines:
        return empty
    shown: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > max_chars and shown:
            shown.append(f"... ({len(lines) - len(shown)} more)")
            break
        shown.append(line)
        size += len(line) + 1
    return "\n".join(shown)


def _context(run: Run, func: Function, max_chars: int) -> dict[str, Data]:
    """The call-graph context of ``func`` as data blocks: names JSON-quoted, callee summaries
    (earlier model answers) too."""
    imports = {i.name for i in run.result.imports}
    callees = []
    for name in func.callees:
        if name in run.summaries:
            callees.append(f"- {json.dumps(name)}: {json.dumps(run.summaries[name])}")
        elif name in imports:
            callees.append(f"- {json.dumps(name)} (imported)")
        else:
            callees.append(f"- {json.dumps(name)}")
    strings = {s.address: s.value for s in run.result.strings}
    literals = [
        f"- 0x{address:x}: {json.dumps(strings[address])}"
        for address in func.strings
        if address in strings
    ]
    share = max_chars // 3
    return {
        "callers": Data(_listing([json.dumps(n) for n in func.callers], share // 2)),
        "callees": Data(_listing(callees, share)),
        "imports": Data(_listing([json.dumps(n) for n in func.imports], share // 2)),
        "strings": Data(_listing(literals, share)),
    }


def _code(func: Function, *, cil: bool = False) -> tuple[str, str, str]:
    """(source kind, code label, code) for ``func``; ``cil``: a .NET method, whose
    disassembly is CIL bytecode rather than native instructions. A decompilation error is the
    code's first line (it may quote names from the binary)."""
    if func.pseudocode:
        return "pseudocode", "Decompiled pseudocode", func.pseudocode
    if cil:
        return "disassembly", "CIL disassembly (.NET bytecode, not native code)", func.disassembly
    if func.decompile_error:
        code = f"; decompilation failed: {func.decompile_error}\n{func.disassembly}"
        return "disassembly", "Disassembly (decompilation failed)", code
    return "disassembly", "Disassembly", func.disassembly


def _identity(func: Function) -> Data:
    """The function's name (JSON-quoted) and address, as a data block."""
    return Data(f"name: {json.dumps(func.name)}\naddress: 0x{func.address:x}")


def _messages(run: Run, func: Function, context: dict[str, Data], label: str, code: str) -> list:
    return render(
        "function",
        detail_instruction=run.detail.function_wording,
        categories=", ".join(CATEGORIES),
        function=_identity(func),
        code_label=label,
        code=Data(code),
        **context,
    )


async def _explain_parts(
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
        function=_identity(func),
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
            function=_identity(func),
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
        if isinstance(outcome, ItemFailed) and outcome.code == "context_too_long":
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
                if exc.code in ("cancelled", "context_too_long"):
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
        function=_identity(func),
        first_line=span.first,
        last_line=span.last,
        total_lines=total_lines,
        summaries=Data(span.text),
    )


def _from_cache(run: Run, key: str | None) -> tuple[FunctionExplanation, float, int] | None:
    if run.cache is None or key is None:
        return None
    stored = run.cache.get(key)
    if stored is None:
        return None
    try:
        explanation = FunctionExplanation.model_validate(stored["explanation"])
        return explanation, float(stored["coverage"]), int(stored["parts"])
    except (KeyError, TypeError, ValueError):
        # Not what this version stores (ValidationError is a ValueError): a miss.
        logger.warning("ignoring an unreadable explanation cache entry %s", key[:12])
        return None


async def explain_function(run: Run, func: Function) -> FunctionResult:
    """Explain ``func``, from the cache when it holds this function's explanation.

    Never raises for provider or output failures: they become a ``failed`` result with the
    error (``cancelled`` status when the run was cancelled). Successful explanations are
    stored in the cache before grounding (grounding depends on the binary, not the function's
    bytes), then scored against the function (``grounding``); ``run.summaries`` gets the
    summary.
    """
    source, label, code = _code(func, cil=run.result.binary.dotnet is not None)
    usage = Usage()
    base = {"name": func.name, "address": func.address, "source": source}
    key = None
    if run.provider_identity is not None:
        key = cache_key(
            bytes_sha256=func.bytes_sha256,
            provider=run.provider_identity,
            model=run.model,
            prompt_version=PROMPT_VERSION,
            detail=run.options.detail,
        )
    cached = _from_cache(run, key)
    try:
        if cached is not None:
            explanation, coverage, parts = cached
        else:
            explanation, coverage, parts = await shrinking(
                run, lambda fitted: _explain_uncached(fitted, func, label, code, usage)
            )
            if run.cache is not None and key is not None:
                run.cache.put(
                    key,
                    {
                        "explanation": explanation.model_dump(mode="json"),
                        "coverage": coverage,
                        "parts": parts,
                    },
                )
    except ItemFailed as exc:
        status = "cancelled" if exc.code == "cancelled" else "failed"
        return FunctionResult(**base, status=status, error=exc.to_error(), usage=usage)
    evidence, removed = run.grounding.keep_grounded(explanation.evidence)
    grounding = run.grounding.score(func, explanation.evidence)
    run.summaries[func.name] = explanation.summary
    reaching = function_findings(run.result, func)
    reaching += [f for name in func.callees for f in run.tainted.get(name, ()) if f not in reaching]
    suspect = reasons(_answer_text(explanation), reaching, func.imports)
    if suspect:
        run.tainted[func.name] = reaching
    return FunctionResult(
        **base,
        status="explained",
        suspect_injection=bool(suspect),
        injection_reasons=suspect,
        explanation=explanation.model_copy(update={"evidence": evidence}),
        unverified_evidence=removed,
        grounding=grounding,
        coverage=coverage,
        parts=parts,
        cached=cached is not None,
        usage=usage,
    )


def _answer_text(explanation: FunctionExplanation) -> list[str]:
    return [
        explanation.summary,
        explanation.explanation,
        explanation.return_value,
        explanation.suggested_name,
        *explanation.side_effects,
        *explanation.security_notes,
    ]


async def _explain_uncached(
    run: Run, func: Function, label: str, code: str, usage: Usage
) -> tuple[FunctionExplanation, float, int]:
    answer_tokens = run.detail.function_tokens
    bare = _messages(run, func, _context(run, func, 0), label, "")
    budget = run.budget(sum(estimate_tokens(m.content) for m in bare), answer_tokens)
    # The call-graph context may take a third of the budget (``budget`` characters).
    context = _context(run, func, budget)
    fixed = sum(estimate_tokens(m.content) for m in _messages(run, func, context, label, ""))
    code_budget = run.budget(fixed, answer_tokens)
    coverage, parts = 1.0, 1
    if estimate_tokens(code) > code_budget:
        code, coverage, parts = await _explain_parts(run, func, label, code, usage, code_budget)
        label = f"Summaries of the parts of the {label.split(' (')[0].lower()} (too long to show)"
        code = code[: code_budget * 3]
    messages: list[ChatMessage] = _messages(run, func, context, label, code)
    explanation = await ask(
        run.caller, messages, FunctionExplanation, max_tokens=answer_tokens, usage=usage
    )
    return explanation, coverage, parts
