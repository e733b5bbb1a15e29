"""Small, paginated views of a job's stored result for the MCP tools: addresses as hex strings,
long texts cut to a stated length, every list with ``count`` and ``next_offset``.

They read a :class:`~binscribe.jobs.results.JobResult` (the analysis and its explanations as the
pipeline stored them) and never re-analyze.
"""

from __future__ import annotations

from typing import Any

from binscribe.analysis.models import Function
from binscribe.errors import NotFoundError
from binscribe.explain.report import FunctionResult
from binscribe.jobs.results import JobResult

MAX_CODE_LINES = 400
"""Pseudocode and disassembly longer than this many lines are cut (the rest is reported)."""


def hex_address(value: int | None) -> str | None:
    """``0x401126``, or ``None``."""
    return None if value is None else f"0x{value:x}"


def page(items: list[Any], offset: int, limit: int) -> dict[str, Any]:
    """``{"count", "offset", "items", "next_offset"}``; ``next_offset`` is None at the end."""
    chunk = items[offset : offset + limit]
    more = offset + limit < len(items)
    return {
        "count": len(items),
        "offset": offset,
        "items": chunk,
        "next_offset": offset + limit if more else None,
    }


def _explained(result: JobResult) -> dict[int, FunctionResult]:
    report = result.explanation
    return {f.address: f for f in report.functions} if report else {}


def program_summary(result: JobResult) -> dict[str, Any]:
    """What the program is and does: file facts, counts, the model's program summary."""
    analysis, binary = result.analysis, result.analysis.binary
    summary: dict[str, Any] = {
        "job_id": str(result.job_id),
        "file_name": result.file_name,
        "sha256": binary.sha256,
        "size": binary.size,
        "format": binary.format,
        "arch": binary.arch,
        "bits": binary.bits,
        "kind": binary.kind,
        "language": binary.language,
        "stripped": binary.stripped,
        "entry_point": hex_address(binary.entry_point),
        "image_base": hex_address(binary.image_base),
        "functions": len(analysis.functions),
        "imports": len(analysis.imports),
        "strings": len(analysis.strings),
        "warnings": analysis.warnings,
        "notes": analysis.notes,
        "explained": None,
    }
    report = result.explanation
    if report is not None:
        program = report.program.result if report.program else None
        summary["explained"] = {
            "provider_type": report.provider_type,
            "model": report.model,
            "functions_explained": report.explained,
            "functions_failed": report.failed,
            "purpose": program.purpose if program else None,
            "key_behaviours": program.key_behaviours if program else [],
            "security_considerations": program.security_considerations if program else [],
        }
    return summary


def _function_row(function: Function, explained: FunctionResult | None) -> dict[str, Any]:
    explanation = explained.explanation if explained else None
    return {
        "name": function.name,
        "address": hex_address(function.address),
        "size": function.size,
        "is_library": function.is_library,
        "suggested_name": explanation.suggested_name if explanation else None,
        "category": explanation.category if explanation else None,
        "summary": explanation.summary if explanation else None,
    }


def list_functions(
    result: JobResult, *, query: str, explained_only: bool, offset: int, limit: int
) -> dict[str, Any]:
    """Functions in address order whose name, suggested name or summary contains ``query``
    (case-insensitive; empty matches all)."""
    explained = _explained(result)
    needle = query.strip().lower()
    rows = []
    for function in result.analysis.functions:
        if explained_only and function.address not in explained:
            continue
        row = _function_row(function, explained.get(function.address))
        text = " ".join(str(row[k] or "") for k in ("name", "suggested_name", "summary"))
        if needle in text.lower():
            rows.append(row)
    return page(rows, offset, limit)


def _cut(text: str | None) -> tuple[str | None, int]:
    if text is None:
        return None, 0
    lines = text.splitlines()
    return "\n".join(lines[:MAX_CODE_LINES]), max(0, len(lines) - MAX_CODE_LINES)


def find_function(result: JobResult, name_or_address: str) -> Function:
    """The function at a hex address (``0x401126``) or with a name; NotFoundError
    ``function_not_found`` otherwise."""
    wanted = name_or_address.strip()
    address = None
    if wanted.lower().startswith("0x"):
        try:
            address = int(wanted, 16)
        except ValueError:
            address = None
    for function in result.analysis.functions:
        if function.address == address or wanted in (function.name, function.mangled_name):
            return function
    raise NotFoundError(
        f"no function {wanted!r} in job {result.job_id}",
        code="function_not_found",
        details={"function": wanted},
    )


def function_detail(result: JobResult, function: Function) -> dict[str, Any]:
    """One function: code (cut at :data:`MAX_CODE_LINES` lines), explanation, and what it
    touches by address."""
    strings = {s.address: s for s in result.analysis.strings}
    explained = _explained(result).get(function.address)
    pseudocode, pseudo_cut = _cut(function.pseudocode)
    disassembly, disasm_cut = _cut(function.disassembly)
    return {
        **_function_row(function, explained),
        "pseudocode": pseudocode,
        "pseudocode_lines_cut": pseudo_cut,
        "decompile_error": function.decompile_error,
        "disassembly": disassembly,
        "disassembly_lines_cut": disasm_cut,
        "explanation": explained.explanation.model_dump()
        if explained and explained.explanation
        else None,
        "explanation_error": explained.error.model_dump()
        if explained and explained.error
        else None,
        "callers": function.callers,
        "callees": function.callees,
        "imports": function.imports,
        "strings": [
            {"address": hex_address(a), "value": strings[a].value if a in strings else None}
            for a in function.strings
        ],
    }


def list_imports(result: JobResult, *, capability: str) -> dict[str, Any]:
    """Imports grouped by the capabilities the model found (``capability`` filters by kind),
    and every import with its library and address."""
    report = result.explanation
    found = report.imports.result if report and report.imports else None
    groups = [c.model_dump() for c in found.capabilities] if found else []
    if capability:
        groups = [g for g in groups if g["kind"] == capability]
    imports = [
        {"name": i.name, "library": i.library, "address": hex_address(i.address)}
        for i in result.analysis.imports
    ]
    return {"capabilities": groups, "summary": found.summary if found else None, "imports": imports}


def search_strings(result: JobResult, *, query: str, offset: int, limit: int) -> dict[str, Any]:
    """String literals containing ``query`` (case-insensitive), with the functions using them."""
    needle = query.lower()
    rows = [
        {
            "address": hex_address(s.address),
            "value": s.value,
            "encoding": s.encoding,
            "section": s.section,
            "referenced_by": [hex_address(a) for a in s.referenced_by],
        }
        for s in result.analysis.strings
        if needle in s.value.lower()
    ]
    return page(rows, offset, limit)
