"""Run a claimed on-demand job (see :mod:`binscribe.jobs.ondemand`): decompile or explain what
it asks on the parent's stored result, merge the outcome into that result (a new result blob),
add its tokens and cost to the parent's totals, and finish the row.

The merge is optimistic: it reads the parent's current result, merges, stores the new blob and
swaps ``result_sha256`` only when it is still the one read; when another on-demand job merged
first, it merges again on top of that. The outcome itself is computed once.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from binscribe.analysis.ondemand import Outcome, decompile_functions
from binscribe.analysis.options import AnalysisOptions
from binscribe.db import jobs as job_repo
from binscribe.db.enums import JobKind, JobStage, JobStatus
from binscribe.db.models import Job
from binscribe.errors import NotFoundError
from binscribe.explain import explain_analysis, provider_identity
from binscribe.explain.report import ExplanationReport, ItemStatus
from binscribe.jobs import caches
from binscribe.jobs.context import JobContext
from binscribe.jobs.ondemand import ExplainScope, explain_targets, retried_extras
from binscribe.jobs.progress import JobMonitor
from binscribe.jobs.results import JobResult, finished_result, load_result, save_result
from binscribe.llm.factory import build_adapter

if TYPE_CHECKING:
    from binscribe.jobs.pipeline import _Plan

MERGE_ATTEMPTS = 20
"""Times a merge is redone when other on-demand jobs of the same parent keep merging first."""


async def run_ondemand(ctx: JobContext, plan: _Plan, stopping: threading.Event | None) -> None:
    """Do the on-demand job ``plan`` (claimed) to its end; raises like the analysis pipeline
    (BinscribeError codes become the row's error; JobStopped for cancel/shutdown)."""
    from binscribe.jobs.pipeline import _finish, _outcome

    monitor = JobMonitor(ctx, plan.id, attempt=plan.attempt, stopping=stopping)
    watcher = asyncio.create_task(monitor.run())
    try:
        assert plan.parent_job_id is not None
        with ctx.sessions() as session:
            parent = job_repo.get_job(session, plan.parent_job_id)
            result = finished_result(ctx.blobs, parent)
        request = plan.request or {}
        values: dict[str, object] = {}
        merge: Callable[[JobResult], JobResult]
        if plan.kind == JobKind.DECOMPILE:
            outcomes = await asyncio.to_thread(
                _decompile, ctx, plan, result, request["addresses"], monitor
            )
            merge = lambda current: merge_decompiled(current, outcomes)  # noqa: E731
            decompiled = sum(1 for pseudo, _ in outcomes.values() if pseudo is not None)
            values["functions_decompiled"] = decompiled
            failure = next((error for _, error in outcomes.values() if error), None)
            if not decompiled and failure:
                values["error_code"] = "decompile_failed"
                values["error_message"] = failure
        else:
            report = await _explain(ctx, plan, result, request, monitor)
            merge = lambda current: merge_explained(current, report)  # noqa: E731
            values = _outcome(report)
        monitor.check()
        monitor.report(stage=JobStage.STORE, progress=95, message="merging into the job's result")
        await asyncio.to_thread(_commit, ctx, plan.parent_job_id, merge, values)
        status = JobStatus.FAILED if values.get("error_code") else JobStatus.COMPLETED
        await asyncio.to_thread(monitor.flush, force=True)
        await asyncio.to_thread(_finish, ctx, plan, status, progress=100, **values)
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher


def _decompile(
    ctx: JobContext, plan: _Plan, result: JobResult, addresses: list[int], monitor: JobMonitor
) -> dict[int, Outcome]:
    path = ctx.blobs.path(plan.file_sha256)
    if not path.is_file():
        raise NotFoundError(
            "the uploaded file is no longer stored (retention period); upload it again",
            code="upload_missing",
        )
    functions = [f for f in result.analysis.functions if f.address in set(addresses)]
    monitor.report(
        stage=JobStage.ANALYZE, progress=5, message=f"decompiling {len(functions)} function(s)"
    )
    return decompile_functions(path, functions, options=AnalysisOptions(), check=monitor.check)


async def _explain(
    ctx: JobContext, plan: _Plan, result: JobResult, request: dict[str, Any], monitor: JobMonitor
) -> ExplanationReport:
    from binscribe.jobs.pipeline import _explain_options, _provider_config

    config = await asyncio.to_thread(_provider_config, ctx, plan)
    assert config is not None
    scope = ExplainScope(request.get("scope", ExplainScope.SELECTION))
    targets = explain_targets(result, scope, request.get("addresses"))
    options = _explain_options(plan, config).model_copy(
        update={
            "addresses": targets,
            "max_functions": None,
            **retried_extras(result.explanation, scope),
        }
    )
    monitor.report(
        stage=JobStage.EXPLAIN, progress=5, message="explaining", items_total=len(targets)
    )

    def progress(message: str, done: int, total: int) -> None:
        monitor.report(
            check=False,
            progress=5 + 90 * done // max(total, 1),
            message=message,
            items_done=done,
            items_total=total,
        )

    adapter = build_adapter(config, allow_private_endpoints=ctx.settings.allow_private_endpoints)
    try:
        report = await explain_analysis(
            result.analysis,
            adapter=adapter,
            model=config.model_name,
            provider_type=config.provider_type.value,
            options=options,
            cache=caches.DatabaseExplanationCache(ctx.sessions),
            provider_identity=provider_identity(
                provider_id=str(plan.provider_id),
                provider_type=config.provider_type.value,
                endpoint=config.base_url,
            ),
            progress=progress,
            cancel=monitor.cancelled,
        )
    finally:
        await adapter.aclose()
    monitor.check()
    monitor.report(items_failed=report.failed)
    return report


def merge_decompiled(result: JobResult, outcomes: dict[int, Outcome]) -> JobResult:
    """A copy of ``result`` with the functions' new pseudocode (or decompile error); functions
    that already have pseudocode keep it."""
    copy = result.model_copy(deep=True)
    functions = []
    for func in copy.analysis.functions:
        if func.address in outcomes and func.pseudocode is None:
            pseudocode, error = outcomes[func.address]
            func = func.model_copy(update={"pseudocode": pseudocode, "decompile_error": error})
        functions.append(func)
    stats = copy.analysis.stats.model_copy(
        update={
            "functions_decompiled": sum(1 for f in functions if f.pseudocode),
            "decompile_failures": sum(
                1 for f in functions if f.pseudocode is None and f.decompile_error
            ),
        }
    )
    analysis = copy.analysis.model_copy(update={"functions": functions, "stats": stats})
    return copy.model_copy(update={"analysis": analysis})


def merge_explained(result: JobResult, report: ExplanationReport) -> JobResult:
    """A copy of ``result`` whose explanation report has ``report``'s items in place of the
    same functions' (and of imports, strings, program when ``report`` ran them), counts
    recomputed and usage added. The report's header names the latest provider and model."""
    merged = result.model_copy(deep=True)
    current = merged.explanation
    if current is None:
        merged.explanation = report.model_copy(deep=True)
        return merged
    fresh = {item.address: item for item in report.functions}
    kept = [item for item in current.functions if item.address not in fresh]
    order = {f.address: i for i, f in enumerate(merged.analysis.functions)}
    functions = sorted([*kept, *fresh.values()], key=lambda i: order.get(i.address, -1))
    current.functions = functions
    for name in ("imports", "strings", "program"):
        if getattr(report, name) is not None:
            setattr(current, name, getattr(report, name))
    current.provider_type, current.model = report.provider_type, report.model
    current.explained = sum(f.status == ItemStatus.EXPLAINED for f in functions)
    current.failed = sum(f.status == ItemStatus.FAILED for f in functions)
    current.cached = sum(f.cached for f in functions)
    current.usage.add(report.usage)
    current.all_failed = current.explained == 0 and current.failed > 0
    current.error = report.error if current.all_failed else None
    current.suspect_items = list(dict.fromkeys([*current.suspect_items, *report.suspect_items]))
    current.functions_skipped = len(merged.analysis.functions) - len(functions)
    return merged


def _count(values: dict[str, object], name: str) -> int:
    value = values.get(name)
    return value if isinstance(value, int) else 0


def _commit(
    ctx: JobContext,
    parent_id: uuid.UUID,
    merge: Callable[[JobResult], JobResult],
    values: dict[str, object],
) -> None:
    """Merge into the parent's current result and swap it in (see the module docstring)."""
    for _ in range(MERGE_ATTEMPTS):
        with ctx.sessions() as session:
            expected = job_repo.get_job(session, parent_id).result_sha256
        assert expected is not None
        try:
            merged = merge(load_result(ctx.blobs, expected))
        except FileNotFoundError:  # replaced (and deleted) by another merge meanwhile
            continue
        sha256 = save_result(ctx.blobs, merged)
        report = merged.explanation
        totals: dict[str, Any] = {
            "functions_decompiled": merged.analysis.stats.functions_decompiled,
            "input_tokens": Job.input_tokens + _count(values, "input_tokens"),
            "output_tokens": Job.output_tokens + _count(values, "output_tokens"),
            "reasoning_tokens": Job.reasoning_tokens + _count(values, "reasoning_tokens"),
        }
        if report is not None:
            totals["items_failed"] = report.failed
            if not report.all_failed:  # a retry that succeeded clears llm_unavailable
                with ctx.sessions() as session:
                    parent = job_repo.get_job(session, parent_id)
                    if parent.error_code == "llm_unavailable":
                        totals |= {
                            "status": JobStatus.COMPLETED,
                            "error_code": None,
                            "error_message": None,
                        }
        cost = values.get("estimated_cost_usd")
        with ctx.sessions.begin() as session:
            swapped = job_repo.replace_result(
                session,
                parent_id,
                expected_sha256=expected,
                result_sha256=sha256,
                cost_usd=float(cost) if isinstance(cost, int | float) else None,
                **totals,
            )
        if swapped:
            with ctx.sessions() as session:
                unused = not job_repo.jobs_using_blob(session, expected)
            if unused:
                ctx.blobs.delete(expected)
            return
        if sha256 != expected:
            with ctx.sessions() as session:
                unused = not job_repo.jobs_using_blob(session, sha256)
            if unused:
                ctx.blobs.delete(sha256)
    raise RuntimeError(f"could not merge into job {parent_id}'s result: it kept changing")
