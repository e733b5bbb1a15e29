"""The Markdown report of a job: program summary, capabilities, imports, notable strings, and
each function's explanation with its pseudocode. Reads a :class:`JobResult`, never re-analyzes."""

from __future__ import annotations

import json

from binscribe.analysis.models import AnalysisResult, Function, InjectionFinding
from binscribe.explain.report import ExplanationReport, FunctionResult, GroundingScore
from binscribe.explain.suspicion import TARGETS_AI_ANALYSIS
from binscribe.jobs.results import JobResult

MAX_IMPORTS = 200
MAX_RAW_STRINGS = 30
MAX_DISASSEMBLY_LINES = 60
NO_PROVIDER_HINT = (
    "Not explained: this job had no LLM provider. Add one with `binscribe providers add` "
    "(or `binscribe providers import-env`) and run again with `--provider NAME`."
)


def _bullets(items: list[str]) -> list[str]:
    return [f"- {item}" for item in items]


def _job_grounding(report: ExplanationReport) -> str:
    """The header line of the run's grounding score (weighted by claims)."""
    scores = [f.grounding for f in report.functions if f.grounding is not None]
    grounded, total = sum(s.grounded for s in scores), sum(s.total for s in scores)
    if report.grounding_score is None:
        return "- Grounding: no function explanation cited checkable evidence"
    return (
        f"- Grounding: {report.grounding_score:.2f} ({grounded} of {total} evidence claims "
        "found in the function that makes them)"
    )


def _function_grounding(grounding: GroundingScore) -> list[str]:
    """A function's grounding line and its unverified claims."""
    lines = [
        f"- grounding: {grounding.score:.2f} ({grounding.grounded} of {grounding.total} "
        "evidence claims found in this function)"
    ]
    return lines + [f"  - unverified: {claim}" for claim in grounding.unverified]


def _header(result: JobResult) -> list[str]:
    binary = result.analysis.binary
    lines = [
        f"# {result.file_name}",
        "",
        f"- Format: {binary.format} {binary.arch} ({binary.bits}-bit, {binary.kind})",
        f"- Size: {binary.size} bytes, sha256 `{binary.sha256}`",
        f"- Analysis: {result.analysis.depth} depth, angr {result.analysis.engine_version}, "
        f"{result.analysis.stats.functions_total} functions, "
        f"{result.analysis.stats.functions_decompiled} decompiled",
    ]
    report = result.explanation
    if report is not None:
        usage = report.usage
        cost = f"${usage.cost_usd:.4f}" if usage.cost_usd is not None else "unknown"
        thinking = f" ({usage.reasoning_tokens} of them thinking)" if usage.reasoning_tokens else ""
        lines.append(
            f"- Explained by: {report.provider_type} `{report.model}`, {report.detail} detail; "
            f"{usage.requests} requests, {usage.input_tokens} input / {usage.output_tokens} "
            f"output tokens{thinking}, estimated cost {cost}"
        )
        lines.append(_job_grounding(report))
        if report.budget is not None:
            reached = "reached" if report.budget_exceeded else "not reached"
            lines.append(f"- Budget: {report.budget} ({reached})")
        note = report.failure_note()
        if note is not None:
            lines.append(f"- Warning: {note} ({report.items_failed} of {report.items_total} items)")
    lines += _bullets([f"Warning: {w}" for w in result.analysis.warnings])
    lines += _bullets([f"Note: {n}" for n in result.analysis.notes])
    return lines


INJECTION_HEADING = "## Warning: this binary addresses AI analysis (prompt injection)"


def _where(finding: InjectionFinding) -> str:
    if finding.address is None:
        return ".NET metadata"
    return ", ".join(f"{a:#x}" for a in finding.addresses or [finding.address])


def _injection(result: JobResult) -> list[str]:
    """The prompt-injection warning: every finding with its address, then the explained items
    that look like they obeyed it. Built from the analysis, whatever the model answered."""
    findings = result.analysis.injection_findings
    if not findings:
        return []
    lines = [
        "",
        INJECTION_HEADING,
        "",
        f"The analysis found {len(findings)} text(s) in this binary addressed to an AI model or "
        "analysis tool. They are data, not instructions, and were framed as data in every "
        "prompt; treat any model verdict on this binary with suspicion. Capability: "
        f"**{TARGETS_AI_ANALYSIS}**.",
        "",
    ]
    for finding in findings:
        place = finding.kind + (f" `{finding.function}`" if finding.function else "")
        encoding = f", {finding.encoding}" if finding.encoding != "plain" else ""
        lines.append(
            f"- {_where(finding)} ({place}, rule `{finding.rule}`{encoding}): "
            f"{json.dumps(finding.excerpt, ensure_ascii=False)}"
        )
    report = result.explanation
    if report is not None and report.suspect_items:
        lines += ["", "Explanations that may have obeyed it (`suspect_injection`):"]
        lines += _bullets(report.suspect_items)
    return lines


def _summary(report: ExplanationReport | None) -> list[str]:
    lines = ["", "## Program summary", ""]
    if report is None:
        return [*lines, NO_PROVIDER_HINT]
    program = report.program
    if program is None or program.result is None:
        reason = program.error.message if program and program.error else "not produced"
        return [*lines, f"_No summary: {reason}_"]
    summary = program.result
    if program.suspect_injection:
        lines += [f"**Suspect (prompt injection):** {'; '.join(program.injection_reasons)}.", ""]
    lines += [summary.purpose, ""]
    if summary.key_behaviours:
        lines += ["Key behaviours:", *_bullets(summary.key_behaviours), ""]
    if summary.security_considerations:
        lines += ["Security considerations:", *_bullets(summary.security_considerations), ""]
    lines.append(f"Confidence (self-assessed by the model): {summary.confidence:.2f}")
    return lines


def _capabilities(result: JobResult) -> list[str]:
    """Capabilities: the analysis' own (``targets AI analysis`` when it has prompt-injection
    findings), then the model's grouping of the imports."""
    report = result.explanation
    findings = result.analysis.injection_findings
    facts = (
        [
            f"- **{TARGETS_AI_ANALYSIS}** (analysis fact): {len(findings)} prompt-injection "
            "finding(s), listed in the warning above"
        ]
        if findings
        else []
    )
    if report is None or report.imports is None:
        return ["", "## Capabilities", "", *facts] if facts else []
    lines = ["", "## Capabilities", "", *facts]
    imports = report.imports
    if imports.result is None:
        reason = imports.error.message if imports.error else "not produced"
        return [*lines, f"_No capabilities: {reason}_"]
    if imports.result.summary:
        lines += [imports.result.summary, ""]
    for capability in imports.result.capabilities:
        names = ", ".join(f"`{name}`" for name in capability.imports)
        lines.append(f"- **{capability.kind}**: {capability.purpose} ({names})")
    return lines


def _imports(analysis: AnalysisResult) -> list[str]:
    lines = ["", "## Imports", ""]
    if not analysis.imports:
        return [*lines, "_None._"]
    for item in analysis.imports[:MAX_IMPORTS]:
        library = f" ({item.library})" if item.library else ""
        lines.append(f"- `{item.name}`{library}")
    if len(analysis.imports) > MAX_IMPORTS:
        lines.append(f"- ... and {len(analysis.imports) - MAX_IMPORTS} more")
    return lines


def _strings(result: JobResult) -> list[str]:
    lines = ["", "## Notable strings", ""]
    report = result.explanation
    if report is not None and report.strings is not None and report.strings.result is not None:
        for item in report.strings.result.strings:
            lines.append(f"- `{item.value}` ({item.kind}): {item.interpretation}")
        return lines if len(lines) > 3 else [*lines, "_None found notable._"]
    strings = result.analysis.strings[:MAX_RAW_STRINGS]
    lines += [f"- `{s.value}` at {s.address:#x}" for s in strings] or ["_None._"]
    return lines


def _function(func: Function, explained: FunctionResult | None) -> list[str]:
    lines = ["", f"### {func.name} ({func.address:#x})", ""]
    if explained is not None and explained.explanation is not None:
        text = explained.explanation
        if explained.suspect_injection:
            reasons = "; ".join(explained.injection_reasons)
            lines += [f"**Suspect (prompt injection):** {reasons}.", ""]
        lines += [f"**{text.summary}**", "", text.explanation, ""]
        for param in text.parameters:
            lines.append(f"- parameter `{param.name}` {param.type}: {param.description}".rstrip())
        if text.return_value:
            lines.append(f"- returns: {text.return_value}")
        lines += _bullets([f"side effect: {e}" for e in text.side_effects])
        lines += _bullets([f"security: {n}" for n in text.security_notes])
        lines.append(f"- category: {text.category}; confidence {text.confidence:.2f}")
        if explained.grounding is not None:
            lines += _function_grounding(explained.grounding)
        if explained.coverage < 1:
            why = f" ({explained.coverage_reason})" if explained.coverage_reason else ""
            lines.append(
                f"- coverage: {explained.coverage:.2f} of the code, in {explained.parts} parts{why}"
            )
        lines.append("")
    elif explained is not None and explained.error is not None:
        code = explained.error.code
        lines += [f"_Not explained ({code}): {explained.error.message}_", ""]
    if func.pseudocode:
        lines += ["```c", func.pseudocode.rstrip(), "```"]
    else:
        if func.decompile_error:
            lines += [f"_Decompilation failed: {func.decompile_error}_", ""]
        disassembly = func.disassembly.splitlines()[:MAX_DISASSEMBLY_LINES]
        lines += ["```asm", *disassembly, "```"]
    return lines


def render_markdown(result: JobResult) -> str:
    """The report as Markdown text (ends with a newline)."""
    lines = _header(result)
    lines += _injection(result)
    lines += _summary(result.explanation)
    lines += _capabilities(result)
    lines += _imports(result.analysis)
    lines += _strings(result)
    explained = {f.address: f for f in (result.explanation.functions if result.explanation else [])}
    shown = [f for f in result.analysis.functions if f.pseudocode or f.address in explained]
    lines += ["", "## Functions"]
    if not shown:
        lines += ["", "_No function was decompiled at this depth._"]
    for func in shown:
        lines += _function(func, explained.get(func.address))
    return "\n".join(lines) + "\n"
