"""The entry point: :func:`explain_analysis` (see the package docstring).

Scheduling: one task per function, created in bottom-up order; each waits for its callees'
tasks (finished or failed) and then for a slot of the run's semaphore in :class:`Caller`, so up
to ``max_concurrency`` calls are in flight while callers still see their callees' summaries.
The imports and strings items run alongside; the program summary runs last.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Callable, Coroutine
from typing import Any

from binscribe.analysis.models import AnalysisResult, Function
from binscribe.analysis.recover import rank_for_decompilation
from binscribe.explain.budget import Budget
from binscribe.explain.cache import ExplanationCache
from binscribe.explain.callgraph import bottom_up
from binscribe.explain.calls import Caller
from binscribe.explain.evidence import Grounding
from binscribe.explain.functions import explain_function
from binscribe.explain.program import explain_imports, explain_strings, summarize_program
from binscribe.explain.report import (
    BUDGET_EXCEEDED,
    ITEM_KINDS,
    ExplainOptions,
    ExplanationReport,
    FunctionResult,
    ImportsResult,
    ItemError,
    ProgramResult,
    StringsResult,
    item_kind,
)
from binscribe.explain.run import Run
from binscribe.explain.templates import PROMPT_VERSION
from binscribe.llm.base import LLMAdapter

Progress = Callable[[str, int, int], None]
Item = FunctionResult | ImportsResult | StringsResult | ProgramResult
OnItem = Callable[[Item], None]
Cancel = asyncio.Event | Callable[[], bool]

_CANCEL_POLL_S = 0.05
_CANCELLED = ItemError(code="cancelled", message="The run was cancelled before this item ran.")


class _State:
    """Results gathered so far; survives cancellation of the tasks that fill it."""

    def __init__(self, count: int) -> None:
        self.functions: list[FunctionResult | None] = [None] * count
        self.imports: ImportsResult | None = None
        self.strings: StringsResult | None = None
        self.program: ProgramResult | None = None


async def _watch(cancel: Cancel) -> None:
    if isinstance(cancel, asyncio.Event):
        await cancel.wait()
        return
    while not cancel():
        await asyncio.sleep(_CANCEL_POLL_S)


def _concurrency(adapter: LLMAdapter, options: ExplainOptions) -> int:
    if options.max_concurrency is not None:
        return options.max_concurrency
    return adapter.max_concurrency


async def explain_analysis(
    result: AnalysisResult,
    *,
    adapter: LLMAdapter,
    model: str,
    provider_type: str,
    options: ExplainOptions,
    cache: ExplanationCache | None = None,
    provider_identity: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    on_item: OnItem | None = None,
) -> ExplanationReport:
    """Explain ``result`` with ``adapter``; see the package docstring.

    ``on_item`` is called (in this event loop) with each item as soon as it is finished
    (explained, failed or cached), before the report exists: the job pipeline stores partial
    results from it.

    ``max_concurrency``: ``options.max_concurrency``, else the adapter's
    ``max_concurrency``. Provider failures never raise:
    they are recorded per item. ``cache`` needs ``provider_identity``
    (:func:`~binscribe.explain.cache.provider_identity`): cached explanations are only ever
    served to the provider that wrote them. Raises only programming errors (``ValueError`` for
    a cache without an identity; ``CancelledError`` when the caller cancels this coroutine).
    """
    if cache is not None and provider_identity is None:
        raise ValueError("an explanation cache needs the provider_identity it is keyed by")
    stop = asyncio.Event()
    caller = Caller(
        adapter,
        model=model,
        max_concurrency=_concurrency(adapter, options),
        temperature=options.temperature,
        stop=stop,
        budget=Budget(tokens=options.budget_tokens, usd=options.budget_usd),
    )
    run = Run(
        result=result,
        caller=caller,
        options=options,
        grounding=Grounding(result),
        provider_type=provider_type,
        model=model,
        cache=cache,
        provider_identity=provider_identity,
    )
    targets = _targets(result, options)
    state = _State(len(targets))
    with_imports = options.explain_imports and bool(result.imports)
    with_strings = options.explain_strings and bool(result.strings)
    with_program = options.summarize_program and bool(targets or with_imports or with_strings)
    total = len(targets) + with_imports + with_strings + with_program
    done = 0

    def tick(message: str, item: Item | None) -> None:
        nonlocal done
        done += 1
        if on_item is not None and item is not None:
            on_item(item)
        if progress is not None:
            progress(message, done, total)

    async def work() -> None:
        order, dependencies = bottom_up(targets)
        finished = [asyncio.Event() for _ in targets]

        async def one_function(index: int) -> None:
            try:
                for dependency in dependencies[index]:
                    await finished[dependency].wait()
                state.functions[index] = await explain_function(run, targets[index])
            finally:
                finished[index].set()
            tick(f"function {targets[index].name}", state.functions[index])

        async def imports() -> None:
            state.imports = await explain_imports(run)
            tick("imports", state.imports)

        async def strings() -> None:
            state.strings = await explain_strings(run)
            tick("strings", state.strings)

        jobs = [imports()] if with_imports else []
        jobs += [strings()] if with_strings else []
        jobs += [one_function(index) for index in order]
        await asyncio.gather(*jobs)
        if with_program:
            functions = [f for f in state.functions if f is not None]
            state.program = await summarize_program(run, functions, state.imports, state.strings)
            tick("program", state.program)

    cancelled = await _run_cancellable(work(), cancel, stop)
    skipped = len(result.functions) - len(targets)
    return _report(run, targets, state, cancelled=cancelled, skipped=skipped, planned=total)


async def _run_cancellable(
    work: Coroutine[Any, Any, None], cancel: Cancel | None, stop: asyncio.Event
) -> bool:
    """Await ``work``; when ``cancel`` fires first, set ``stop`` and cancel it. True when
    cancelled."""
    task = asyncio.ensure_future(work)
    if cancel is None:
        await task
        return False
    watcher = asyncio.ensure_future(_watch(cancel))
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()
            return False
        stop.set()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return True
    finally:
        watcher.cancel()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher


def _report(
    run: Run, targets: list[Function], state: _State, *, cancelled: bool, skipped: int, planned: int
) -> ExplanationReport:
    """The report of the run; ``planned``: the items it set out to explain (every kind)."""
    functions = [
        item
        if item is not None
        else FunctionResult(
            name=func.name,
            address=func.address,
            source="pseudocode" if func.pseudocode else "disassembly",
            status="cancelled",
            error=_CANCELLED,
        )
        for func, item in zip(targets, state.functions, strict=True)
    ]
    items: list[FunctionResult | ImportsResult | StringsResult | ProgramResult] = [*functions]
    items += [i for i in (state.imports, state.strings, state.program) if i is not None]
    report = ExplanationReport(
        prompt_version=PROMPT_VERSION,
        provider_type=run.provider_type,
        model=run.model,
        detail=run.options.detail,
        functions=functions,
        functions_skipped=skipped,
        imports=state.imports,
        strings=state.strings,
        program=state.program,
        explained=sum(f.status == "explained" for f in functions),
        failed=sum(f.status == "failed" for f in functions),
        cached=sum(f.cached for f in functions),
        unverified_evidence=sum(i.unverified_evidence for i in items),
        cancelled=cancelled,
        suspect_items=[_label(i) for i in items if i.suspect_injection],
    )
    for item in items:
        report.usage.add(item.usage)
    report.items_total = planned
    report.items_failed = sum(i.status == "failed" for i in items)
    failed = {item_kind(i) for i in items if i.status == "failed"}
    report.failed_parts = [kind for kind in ITEM_KINDS if kind in failed]
    report.grounding_score = job_grounding_score(functions)
    budget = run.caller.budget
    if budget.limited:
        report.budget = budget.describe()
        report.budget_exceeded = any(
            i.error is not None and i.error.code == BUDGET_EXCEEDED for i in items
        ) or any(f.coverage_reason == BUDGET_EXCEEDED for f in functions)
    failures = [i.error for i in items if i.status == "failed" and i.error is not None]
    if not cancelled and failures and not any(i.status == "explained" for i in items):
        report.all_failed = True
        # The provider's own failure explains the job better than the budget it left unused.
        real = [e for e in failures if e.code != BUDGET_EXCEEDED] or failures
        code = Counter(error.code for error in real).most_common(1)[0][0]
        report.error = next(error for error in real if error.code == code)
    return report


def job_grounding_score(functions: list[FunctionResult]) -> float | None:
    """The share of all the functions' evidence grounded in its own function, weighted by
    claims (``sum(grounded) / sum(total)``); None when no explanation cited any."""
    scores = [f.grounding for f in functions if f.grounding is not None]
    claims = sum(score.total for score in scores)
    return sum(score.grounded for score in scores) / claims if claims else None


def _label(item: FunctionResult | ImportsResult | StringsResult | ProgramResult) -> str:
    """How the report names an item: ``function main (0x401126)``, ``imports``, ..."""
    if isinstance(item, FunctionResult):
        return f"function {item.name} (0x{item.address:x})"
    return {ImportsResult: "imports", StringsResult: "strings"}.get(type(item), "program")


def _targets(result: AnalysisResult, options: ExplainOptions) -> list[Function]:
    """The functions to explain, in address order: those with code, library code only with
    ``include_library``, and at most ``max_functions`` of them (the most important: the
    analysis' ranking, so they are the ones it decompiled when it had the same limit)."""
    if options.addresses is not None:
        chosen = set(options.addresses)
        return [
            f for f in result.functions if f.address in chosen and (f.pseudocode or f.disassembly)
        ]
    eligible = [
        f
        for f in result.functions
        if (options.include_library or not f.is_library) and (f.pseudocode or f.disassembly)
    ]
    if options.max_functions is None or len(eligible) <= options.max_functions:
        return eligible
    program = [f for f in eligible if not f.is_library]
    library = [f for f in eligible if f.is_library]
    ranked = rank_for_decompilation(program) + sorted(library, key=lambda f: -f.size)
    keep = {f.address for f in ranked[: options.max_functions]}
    return [f for f in eligible if f.address in keep]
