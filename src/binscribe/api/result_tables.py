"""Strings and imports of an indexed job result, filtered, sorted and paginated, each with the
functions that reference it (by address). Plain functions; the routes are in
:mod:`binscribe.api.routes.results`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from binscribe.analysis.models import Import, StringRef
from binscribe.api.result_views import function_ref, page_of
from binscribe.api.schemas.results import (
    ImportRow,
    ImportSort,
    ImportsPage,
    SortOrder,
    StringRow,
    StringSort,
    StringsPage,
)
from binscribe.explain.schemas import CapabilityKind, StringKind
from binscribe.jobs.result_index import ResultIndex

_STRING_KEYS: dict[str, Callable[[StringRef], Any]] = {
    "address": lambda s: s.address,
    "value": lambda s: (s.value.lower(), s.address),
    "length": lambda s: (len(s.value), s.address),
    "references": lambda s: (len(s.referenced_by), s.address),
}


def list_strings(
    index: ResultIndex,
    *,
    search: str | None,
    encoding: str | None,
    kind: StringKind | None,
    sort: StringSort,
    order: SortOrder,
    limit: int,
    offset: int,
) -> StringsPage:
    """Strings matching every given filter; ``search`` is a case-insensitive substring of the
    value or the hex address; ``kind`` is the kind the model gave a notable string."""
    needle = search.strip().lower() if search else ""
    matches = [
        s
        for s in index.strings
        if (not needle or needle in s.value.lower() or needle in f"{s.address:#x}")
        and (encoding is None or s.encoding == encoding)
        and (kind is None or index.string_kinds.get(s.value) == kind)
    ]
    page = page_of(matches, _STRING_KEYS[sort], order, limit, offset)
    rows = [
        StringRow(
            address=s.address,
            value=s.value,
            length=len(s.value),
            encoding=s.encoding,
            section=s.section,
            kind=index.string_kinds.get(s.value),
            interpretation=index.string_meanings.get(s.value),
            referenced_by=[function_ref(index, a) for a in s.referenced_by],
        )
        for s in page
    ]
    return StringsPage(data=rows, count=len(matches))


_IMPORT_KEYS: dict[str, Callable[[Import], Any]] = {
    "name": lambda i: i.name.lower(),
    "library": lambda i: ((i.library or "").lower(), i.name.lower()),
    "address": lambda i: (i.address is None, i.address or 0, i.name.lower()),
    "references": lambda i: (len(i.referenced_by), i.name.lower()),
}


def list_imports(
    index: ResultIndex,
    *,
    search: str | None,
    library: str | None,
    capability: CapabilityKind | None,
    sort: ImportSort,
    order: SortOrder,
    limit: int,
    offset: int,
) -> ImportsPage:
    """Imports matching every given filter; ``search`` is a case-insensitive substring of the
    name; ``library`` matches the library name exactly (case-insensitive); ``capability`` is
    a kind the model grouped the import under."""
    needle = search.strip().lower() if search else ""
    wanted_library = library.lower() if library else None
    matches = [
        i
        for i in index.imports
        if (not needle or needle in i.name.lower())
        and (wanted_library is None or (i.library or "").lower() == wanted_library)
        and (capability is None or capability in index.capabilities.get(i.name, ()))
    ]
    page = page_of(matches, _IMPORT_KEYS[sort], order, limit, offset)
    rows = [
        ImportRow(
            name=i.name,
            library=i.library,
            address=i.address,
            capabilities=index.capabilities.get(i.name, []),
            referenced_by=[function_ref(index, a) for a in i.referenced_by],
        )
        for i in page
    ]
    return ImportsPage(data=rows, count=len(matches))
