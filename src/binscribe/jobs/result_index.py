"""Stored results prepared for slicing: a job's result document loaded once and indexed by
address, kept in a small in-process LRU keyed by the result blob's sha256.

Why not rows in the database: a result blob is written once and never changes, and it is
content-addressed, so an entry can never go stale (a running job's partial results are
successive blobs, :mod:`binscribe.jobs.partial`, each indexed when first asked for). The API
process pays one load per result (for /usr/bin/ssh at basic depth: 1,236 functions, 3,016
strings, a 6.9 MB document, 0.3 s to load and index, about 25 MB in memory); every list request
after that filters a few thousand Python objects in 2-25 ms, serialization included (see
docs/api.md). Rows per function would double the storage of every result, need a migration and
a second write path (the Celery workers write results, the API reads them), and buy nothing at
this scale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from binscribe.analysis.models import Function, Import, StringRef
from binscribe.explain.report import FunctionResult
from binscribe.jobs.blobs import BlobStore
from binscribe.jobs.results import JobResult, load_result

CACHE_SIZE = 8
"""Results kept in memory per process (ssh at basic depth takes about 25 MB)."""


@dataclass
class ResultIndex:
    """One job result with lookups by address and per-row facts for filtering.

    ``functions``/``strings``/``imports``: the analysis lists (address order, import order).
    ``explanations``: function address -> its explanation item. ``string_kinds``: string value ->
    the kind the model gave it among the notable strings; ``capabilities``: import name -> the
    capability kinds it was grouped under. ``search_text``: per function, its lower-case name,
    mangled name, hex address and summary, joined, for substring search.
    """

    result: JobResult
    functions: list[Function]
    by_address: dict[int, Function]
    explanations: dict[int, FunctionResult]
    strings: list[StringRef]
    string_by_address: dict[int, StringRef]
    imports: list[Import]
    import_by_name: dict[str, Import]
    string_kinds: dict[str, str] = field(default_factory=dict)
    string_meanings: dict[str, str] = field(default_factory=dict)
    capabilities: dict[str, list[str]] = field(default_factory=dict)
    search_text: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, result: JobResult) -> ResultIndex:
        """Index ``result`` (linear in its size)."""
        analysis = result.analysis
        functions = sorted(analysis.functions, key=lambda f: f.address)
        explanations: dict[int, FunctionResult] = {}
        string_kinds: dict[str, str] = {}
        string_meanings: dict[str, str] = {}
        capabilities: dict[str, list[str]] = {}
        report = result.explanation
        if report is not None:
            explanations = {item.address: item for item in report.functions}
            if report.strings is not None and report.strings.result is not None:
                for notable in report.strings.result.strings:
                    string_kinds.setdefault(notable.value, notable.kind)
                    string_meanings.setdefault(notable.value, notable.interpretation)
            if report.imports is not None and report.imports.result is not None:
                for capability in report.imports.result.capabilities:
                    for name in capability.imports:
                        kinds = capabilities.setdefault(name, [])
                        if capability.kind not in kinds:
                            kinds.append(capability.kind)
        index = cls(
            result=result,
            functions=functions,
            by_address={f.address: f for f in functions},
            explanations=explanations,
            strings=analysis.strings,
            string_by_address={s.address: s for s in analysis.strings},
            imports=analysis.imports,
            import_by_name={i.name: i for i in reversed(analysis.imports)},
            string_kinds=string_kinds,
            string_meanings=string_meanings,
            capabilities=capabilities,
        )
        index.search_text = [index._search_text(f) for f in functions]
        return index

    def name_of(self, address: int) -> str:
        """The name of the function at ``address`` (``sub_<hex>`` when none is there)."""
        func = self.by_address.get(address)
        return func.name if func is not None else f"sub_{address:x}"

    def summary_of(self, address: int) -> str | None:
        """The explanation summary of the function at ``address``, if it was explained."""
        item = self.explanations.get(address)
        return item.explanation.summary if item and item.explanation else None

    def _search_text(self, func: Function) -> str:
        parts = [
            func.name,
            func.mangled_name or "",
            f"{func.address:#x}",
            self.summary_of(func.address) or "",
        ]
        return "\n".join(parts).lower()


class ResultCache:
    """A thread-safe LRU of :class:`ResultIndex` by result sha256 over one blob store."""

    def __init__(self, blobs: BlobStore, *, size: int = CACHE_SIZE) -> None:
        self._blobs = blobs
        self._size = size
        self._entries: OrderedDict[str, ResultIndex] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sha256: str) -> ResultIndex:
        """The indexed result stored under ``sha256``, loaded on first use.

        Raises ``FileNotFoundError`` when the blob is gone.
        """
        with self._lock:
            entry = self._entries.get(sha256)
            if entry is not None:
                self._entries.move_to_end(sha256)
                return entry
        entry = ResultIndex.build(load_result(self._blobs, sha256))
        with self._lock:
            self._entries[sha256] = entry
            self._entries.move_to_end(sha256)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return entry
