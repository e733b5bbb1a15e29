"""Partial results of a running job: while the explanations run, the explanation items finished
so far are stored with the analysis as the job's result, so the result endpoints serve them
before the job ends (functions first, then their explanations as they arrive, the program
summary last).

The explain engine hands every finished item to :meth:`PartialResults.add` (in its event loop);
the task started by :meth:`PartialResults.start` stores a snapshot (a whole :class:`JobResult`
blob with a partial :class:`ExplanationReport`) when items were added, then pauses at least
``Settings.partial_results_s`` seconds and at least :data:`SNAPSHOT_COST_FACTOR` times what
storing it took (a large result is stored less often); each snapshot becomes the row's
``result_sha256`` at once and the change is published (event streams tell pages to refetch).
Snapshots replaced two writes ago are deleted; :meth:`PartialResults.drop` deletes every
snapshot no job references. The final result does not depend on the snapshots: it is built from
the engine's report exactly as without them.

Why whole snapshots rather than rows per item: results are content-addressed blobs that the API
indexes once per sha256 (:mod:`binscribe.jobs.result_index`); a snapshot is one more such blob,
so both runners (the Celery workers share the blob store and the database) and every result
endpoint serve partial results with no second storage format and no migration.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid

from binscribe.analysis.models import AnalysisResult
from binscribe.db import jobs as job_repo
from binscribe.explain.engine import Item
from binscribe.explain.report import (
    ITEM_KINDS,
    ExplanationReport,
    FunctionResult,
    ImportsResult,
    ItemKind,
    ProgramResult,
    StringsResult,
    TranslationDetail,
)
from binscribe.explain.templates import PROMPT_VERSION
from binscribe.jobs.context import JobContext
from binscribe.jobs.progress import JobMonitor
from binscribe.jobs.results import JobResult, save_result

log = logging.getLogger(__name__)

SNAPSHOT_COST_FACTOR = 10
"""The pause after a snapshot is at least this many times its storing time (ssh at basic depth,
a 3 MB result: 0.8 s to store on a loaded 2-core machine, so one snapshot every 8 s at most;
``make bench-results``)."""


class PartialResults:
    """Collects one job's finished explanation items and stores them as snapshots.

    ``first_sha256``: the analysis-only snapshot the pipeline stored when explaining started.
    ``provider_type``/``model``/``detail`` label the partial report as the final one will be.
    """

    def __init__(
        self,
        ctx: JobContext,
        monitor: JobMonitor,
        *,
        job_id: uuid.UUID,
        file_name: str,
        analysis: AnalysisResult,
        first_sha256: str,
        provider_type: str,
        model: str,
        detail: TranslationDetail,
    ) -> None:
        self._ctx = ctx
        self._monitor = monitor
        self._job_id = job_id
        self._file_name = file_name
        self._analysis = analysis
        self._labels = (provider_type, model, detail)
        self._order = {f.address: i for i, f in enumerate(analysis.functions)}
        self._functions: dict[int, FunctionResult] = {}
        self._imports: ImportsResult | None = None
        self._strings: StringsResult | None = None
        self._program: ProgramResult | None = None
        self._dirty = asyncio.Event()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.stored: list[str] = [first_sha256]
        """The snapshots written and not deleted yet, oldest first."""

    def add(self, item: Item) -> None:
        """Record a finished item (the engine's ``on_item`` callback; event loop only)."""
        if isinstance(item, FunctionResult):
            self._functions[item.address] = item
        elif isinstance(item, ImportsResult):
            self._imports = item
        elif isinstance(item, StringsResult):
            self._strings = item
        else:
            self._program = item
        self._dirty.set()

    def report(self) -> ExplanationReport:
        """The partial report: the finished items, counted as the final report counts them."""
        functions = sorted(self._functions.values(), key=lambda f: self._order.get(f.address, 0))
        imports, strings, program = self._imports, self._strings, self._program
        items = [*functions, *(i for i in (imports, strings, program) if i is not None)]
        failed = {_kind(i) for i in items if i.status == "failed"}
        provider_type, model, detail = self._labels
        report = ExplanationReport(
            prompt_version=PROMPT_VERSION,
            provider_type=provider_type,
            model=model,
            detail=detail,
            functions=functions,
            imports=imports,
            strings=strings,
            program=program,
            explained=sum(f.status == "explained" for f in functions),
            failed=sum(f.status == "failed" for f in functions),
            cached=sum(f.cached for f in functions),
            unverified_evidence=sum(i.unverified_evidence for i in items),
            suspect_items=[_label(i) for i in items if i.suspect_injection],
            items_total=len(items),
            items_failed=sum(i.status == "failed" for i in items),
            failed_parts=[kind for kind in ITEM_KINDS if kind in failed],
        )
        for item in items:
            report.usage.add(item.usage)
        return report

    def start(self) -> None:
        """Start storing snapshots as items arrive (in the running event loop)."""
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while not self._stop.is_set():
            await self._dirty.wait()
            if self._stop.is_set():
                return
            self._dirty.clear()
            started = time.monotonic()
            try:  # partial results are a convenience: the job goes on without them
                await asyncio.to_thread(self._store, self.report())
            except Exception:
                log.warning(
                    "could not store a partial result of job %s", self._job_id, exc_info=True
                )
            cost = time.monotonic() - started
            pause = max(self._ctx.settings.partial_results_s, SNAPSHOT_COST_FACTOR * cost)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), pause)

    async def stop(self) -> None:
        """Stop storing snapshots; returns once the one being stored (if any) is written."""
        self._stop.set()
        self._dirty.set()
        if self._task is not None:
            await self._task

    def _store(self, report: ExplanationReport) -> None:
        result = JobResult(
            job_id=self._job_id,
            file_name=self._file_name,
            analysis=self._analysis,
            explanation=report,
        )
        sha256 = save_result(self._ctx.blobs, result)
        if sha256 == self.stored[-1]:
            return
        self.stored.append(sha256)
        self._monitor.report(check=False, result_sha256=sha256)
        self._monitor.flush(force=True)
        if len(self.stored) > 2:  # a reader may still load the one replaced just now
            self._drop(self.stored.pop(0))

    def drop(self) -> None:
        """Delete the snapshots no job references (after :meth:`stop`, once the final result
        is on the row or the job stopped; the row's current snapshot stays)."""
        for sha256 in self.stored:
            self._drop(sha256)

    def _drop(self, sha256: str) -> None:
        with self._ctx.sessions() as session:
            unused = not job_repo.jobs_using_blob(session, sha256)
        if unused:
            self._ctx.blobs.delete(sha256)


def _kind(item: Item) -> ItemKind:
    kinds: dict[type, ItemKind] = {
        FunctionResult: "functions",
        ImportsResult: "imports",
        StringsResult: "strings",
    }
    return kinds.get(type(item), "program")


def _label(item: Item) -> str:
    """How the report names an item (as the engine's report does)."""
    if isinstance(item, FunctionResult):
        return f"function {item.name} (0x{item.address:x})"
    return {ImportsResult: "imports", StringsResult: "strings"}.get(type(item), "program")
