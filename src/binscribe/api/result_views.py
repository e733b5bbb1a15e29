"""Slices of an indexed job result (:class:`~binscribe.jobs.result_index.ResultIndex`): the
overview, the filtered/sorted/paginated functions and one function's detail (strings and imports
in :mod:`binscribe.api.result_tables`). Plain functions over the index; the routes are in
:mod:`binscribe.api.routes.results`.

Errors: :class:`FunctionNotFound` (404 ``function_not_found``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from binscribe.analysis.models import Function, Import
from binscribe.api.schemas.results import (
    MAX_OVERVIEW_FINDINGS,
    CallXref,
    ExplanationOverview,
    FunctionDetail,
    FunctionRef,
    FunctionRow,
    FunctionSort,
    FunctionsPage,
    ImportXref,
    ResultCounts,
    ResultOverview,
    SortOrder,
    StringXref,
)
from binscribe.errors import NotFoundError
from binscribe.explain.report import ItemStatus
from binscribe.explain.schemas import Category
from binscribe.jobs.result_index import ResultIndex


class FunctionNotFound(NotFoundError):
    """No function of the result starts at the given address (HTTP 404)."""

    code = "function_not_found"


def overview(index: ResultIndex) -> ResultOverview:
    """The result without its lists (a few KB even for thousands of functions); at most
    :data:`MAX_OVERVIEW_FINDINGS` prompt-injection findings."""
    analysis = index.result.analysis
    report = index.result.explanation
    statuses = [item.status for item in index.explanations.values()]
    explanation = None
    if report is not None:
        explanation = ExplanationOverview(
            **report.model_dump(
                include=set(ExplanationOverview.model_fields) - {"program", "imports", "strings"}
            ),
            program=report.program,
            imports=report.imports,
            strings=report.strings,
        )
    return ResultOverview(
        depth=analysis.depth,
        engine_version=analysis.engine_version,
        binary=analysis.binary,
        counts=ResultCounts(
            functions=len(analysis.functions),
            library_functions=sum(f.is_library for f in analysis.functions),
            decompiled=sum(f.pseudocode is not None for f in analysis.functions),
            decompile_failures=sum(f.decompile_error is not None for f in analysis.functions),
            explained=statuses.count(ItemStatus.EXPLAINED),
            explain_failures=statuses.count(ItemStatus.FAILED),
            strings=len(analysis.strings),
            imports=len(analysis.imports),
            exports=len(analysis.exports),
            sections=len(analysis.sections),
        ),
        sections=analysis.sections,
        warnings=analysis.warnings,
        notes=analysis.notes,
        stats=analysis.stats,
        cfg_cut=analysis.cfg_cut,
        injection_findings=analysis.injection_findings[:MAX_OVERVIEW_FINDINGS],
        injection_findings_total=len(analysis.injection_findings),
        explanation=explanation,
    )


def page_of[T](
    items: Sequence[T], key: Callable[[T], Any], order: SortOrder, limit: int, offset: int
) -> list[T]:
    """``items`` sorted by ``key`` in ``order``, rows ``offset`` to ``offset + limit``."""
    ordered = sorted(items, key=key, reverse=order == "desc")
    return ordered[offset : offset + limit]


_FUNCTION_KEYS: dict[str, Callable[[ResultIndex, Function], Any]] = {
    "address": lambda _, f: f.address,
    "name": lambda _, f: (f.name.lower(), f.address),
    "size": lambda _, f: (f.size, f.address),
    "blocks": lambda _, f: (f.blocks, f.address),
    "instructions": lambda _, f: (f.instructions, f.address),
    "callers": lambda _, f: (len(f.caller_addresses), f.address),
    "callees": lambda _, f: (len({c.target for c in f.calls}), f.address),
    "category": lambda index, f: (_category(index, f) or "~", f.address),
}


def _category(index: ResultIndex, func: Function) -> str | None:
    item = index.explanations.get(func.address)
    return item.explanation.category if item and item.explanation else None


def function_row(index: ResultIndex, func: Function) -> FunctionRow:
    """The list form of ``func``."""
    item = index.explanations.get(func.address)
    explanation = item.explanation if item else None
    return FunctionRow(
        address=func.address,
        name=func.name,
        mangled_name=func.mangled_name,
        size=func.size,
        blocks=func.blocks,
        instructions=func.instructions,
        is_library=func.is_library,
        decompiled=func.pseudocode is not None,
        decompile_error=func.decompile_error,
        explanation_status=item.status if item else None,
        grounding_score=item.grounding.score if item and item.grounding else None,
        category=explanation.category if explanation else None,
        summary=explanation.summary if explanation else None,
        suggested_name=(explanation.suggested_name or None) if explanation else None,
        suspect_injection=item.suspect_injection if item else False,
        injection_reasons=item.injection_reasons if item else [],
        caller_count=len(func.caller_addresses),
        callee_count=len({call.target for call in func.calls}),
        string_count=len(func.strings),
        import_count=len({ref.name for ref in func.import_refs}),
    )


def list_functions(
    index: ResultIndex,
    *,
    search: str | None,
    library: bool | None,
    decompiled: bool | None,
    explained: bool | None,
    failed: bool | None,
    category: Category | None,
    suspect: bool | None,
    sort: FunctionSort,
    order: SortOrder,
    limit: int,
    offset: int,
) -> FunctionsPage:
    """Functions matching every given filter (``suspect``: the explanation is
    ``suspect_injection`` or not); ``search`` is a case-insensitive substring of
    the name, mangled name, hex address (``0x4011c1``) or explanation summary."""
    needle = search.strip().lower() if search else ""

    def keep(position: int, func: Function) -> bool:
        item = index.explanations.get(func.address)
        status = item.status if item else None
        return (
            (not needle or needle in index.search_text[position])
            and (library is None or func.is_library == library)
            and (decompiled is None or (func.pseudocode is not None) == decompiled)
            and (explained is None or (status == ItemStatus.EXPLAINED) == explained)
            and (
                failed is None
                or (func.decompile_error is not None or status == ItemStatus.FAILED) == failed
            )
            and (category is None or _category(index, func) == category)
            and (suspect is None or (item is not None and item.suspect_injection) == suspect)
        )

    matches = [f for i, f in enumerate(index.functions) if keep(i, f)]
    key = _FUNCTION_KEYS[sort]
    page = page_of(matches, lambda f: key(index, f), order, limit, offset)
    return FunctionsPage(data=[function_row(index, f) for f in page], count=len(matches))


def function_detail(index: ResultIndex, address: int) -> FunctionDetail:
    """The function starting at ``address`` with its code, explanation and cross-references.

    Raises :class:`FunctionNotFound`.
    """
    func = index.by_address.get(address)
    if func is None:
        raise FunctionNotFound(
            f"no function starts at {address:#x} in this result",
            details={"address": f"{address:#x}"},
        )
    strings = index.string_by_address
    imports = index.import_by_name
    return FunctionDetail(
        **function_row(index, func).model_dump(),
        pseudocode=func.pseudocode,
        disassembly=func.disassembly,
        bytes_sha256=func.bytes_sha256,
        explanation=index.explanations.get(func.address),
        callers=[function_ref(index, a) for a in func.caller_addresses],
        calls=[
            CallXref(address=call.address, function=function_ref(index, call.target))
            for call in func.calls
        ],
        string_refs=[
            StringXref(address=r.address, string_address=r.target, value=strings[r.target].value)
            for r in func.string_refs
            if r.target in strings
        ],
        import_refs=[
            ImportXref(address=r.address, name=r.name, library=_library(imports.get(r.name)))
            for r in func.import_refs
        ],
    )


def function_ref(index: ResultIndex, address: int) -> FunctionRef:
    """The function at ``address`` with its name (``sub_<hex>`` when none starts there) and its
    explanation's suggested name, if any."""
    item = index.explanations.get(address)
    explanation = item.explanation if item else None
    suggested = (explanation.suggested_name or None) if explanation else None
    return FunctionRef(address=address, name=index.name_of(address), suggested_name=suggested)


def _library(item: Import | None) -> str | None:
    return item.library if item is not None else None
