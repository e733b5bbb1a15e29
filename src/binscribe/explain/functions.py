"""Explaining one function: its prompt, the cache, parts when it is too large (``parts``),
grounding."""

from __future__ import annotations

import json
import logging
from typing import NamedTuple

from binscribe.analysis.models import Function
from binscribe.explain.cache import cache_key
from binscribe.explain.calls import ItemFailed
from binscribe.explain.chunks import estimate_tokens
from binscribe.explain.parsing import ask
from binscribe.explain.parts import explain_parts, identity
from binscribe.explain.report import BUDGET_EXCEEDED, CoverageReason, FunctionResult, Usage
from binscribe.explain.run import Run, shrinking
from binscribe.explain.schemas import CATEGORIES, FunctionExplanation
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


def _messages(run: Run, func: Function, context: dict[str, Data], label: str, code: str) -> list:
    return render(
        "function",
        detail_instruction=run.detail.function_wording,
        categories=", ".join(CATEGORIES),
        function=identity(func),
        code_label=label,
        code=Data(code),
        **context,
    )


class _Explained(NamedTuple):
    explanation: FunctionExplanation
    coverage: float
    parts: int
    reason: CoverageReason | None


def _from_cache(run: Run, key: str | None) -> _Explained | None:
    if run.cache is None or key is None:
        return None
    stored = run.cache.get(key)
    if stored is None:
        return None
    try:
        explanation = FunctionExplanation.model_validate(stored["explanation"])
        reason = stored.get("coverage_reason")
        return _Explained(
            explanation,
            float(stored["coverage"]),
            int(stored["parts"]),
            CoverageReason(reason) if reason is not None else None,
        )
    except (KeyError, TypeError, ValueError):
        # Not what this version stores (ValidationError is a ValueError): a miss.
        logger.warning("ignoring an unreadable explanation cache entry %s", key[:12])
        return None


async def explain_function(run: Run, func: Function) -> FunctionResult:
    """Explain ``func``, from the cache when it holds this function's explanation.

    Never raises for provider or output failures: they become a ``failed`` result with the
    error (``cancelled`` status when the run was cancelled). Successful explanations are
    stored in the cache before grounding (grounding depends on the binary, not the function's
    bytes; an explanation the job's budget cut short is not stored), then scored against the
    function (``grounding``); ``run.summaries`` gets the summary.
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
            explanation, coverage, parts, reason = cached
        else:
            explanation, coverage, parts, reason = await shrinking(
                run, lambda fitted: _explain_uncached(fitted, func, label, code, usage)
            )
            if run.cache is not None and key is not None and reason != BUDGET_EXCEEDED:
                run.cache.put(
                    key,
                    {
                        "explanation": explanation.model_dump(mode="json"),
                        "coverage": coverage,
                        "coverage_reason": reason,
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
        coverage_reason=reason,
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
) -> _Explained:
    answer_tokens = run.detail.function_tokens
    bare = _messages(run, func, _context(run, func, 0), label, "")
    budget = run.budget(sum(estimate_tokens(m.content) for m in bare), answer_tokens)
    # The call-graph context may take a third of the budget (``budget`` characters).
    context = _context(run, func, budget)
    fixed = sum(estimate_tokens(m.content) for m in _messages(run, func, context, label, ""))
    code_budget = run.budget(fixed, answer_tokens)
    coverage, parts, reason, split = 1.0, 1, None, False
    if estimate_tokens(code) > code_budget:
        outcome = await explain_parts(run, func, label, code, usage, code_budget)
        code, coverage, parts, reason, split = (
            outcome.text,
            outcome.coverage,
            outcome.parts,
            outcome.reason,
            True,
        )
        label = f"Summaries of the parts of the {label.split(' (')[0].lower()} (too long to show)"
    messages: list[ChatMessage] = _messages(run, func, context, label, code)
    # A split function's last call is made even past the budget: its parts are paid for.
    explanation = await ask(
        run.caller,
        messages,
        FunctionExplanation,
        max_tokens=answer_tokens,
        usage=usage,
        finishing=split,
    )
    return _Explained(explanation, coverage, parts, reason)
