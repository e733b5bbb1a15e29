"""Run one job: claim it, analyze (or reuse a stored analysis), explain with the job's
provider, store the result document, and leave the row in a final state. On-demand jobs
(``kind`` ``decompile``/``explain``) run :func:`~binscribe.jobs.ondemand_run.run_ondemand`.

Progress on the row: analyze 0-50 % (0-95 % without a provider), explain 50-95 %, store 95-100 %.
With a provider, the analysis is stored as the row's result while the explanations run (a
snapshot without ``explanation``), so its functions, strings and imports can be browsed, and the
explanations finished so far are added to it as they arrive (:mod:`binscribe.jobs.partial`); the
final result replaces it. A job that stops while explaining keeps its last snapshot.
Errors become the row's ``error_code``/``error_message`` (analysis codes, provider codes,
``llm_unavailable`` when every provider call failed, ``internal_error`` for bugs); a cancelled
job keeps ``cancelled``; a process shutdown puts the job back in the queue without counting the
attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
import logging
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from binscribe.analysis.models import AnalysisDepth, AnalysisResult
from binscribe.analysis.options import (
    ANALYSIS_REVISION,
    STANDARD_MAX_DECOMPILED,
    AnalysisOptions,
)
from binscribe.analysis.sandbox import analyze_file
from binscribe.db import jobs as job_repo
from binscribe.db import providers as provider_repo
from binscribe.db.enums import JobKind, JobStage, JobStatus
from binscribe.db.models import Job
from binscribe.errors import BinscribeError, NotFoundError
from binscribe.explain import (
    ExplainOptions,
    ExplanationReport,
    explain_analysis,
    provider_identity,
)
from binscribe.explain.report import TranslationDetail
from binscribe.jobs import caches
from binscribe.jobs.analysis_progress import AnalysisProgress
from binscribe.jobs.context import JobContext
from binscribe.jobs.partial import PartialResults
from binscribe.jobs.progress import JobMonitor, JobStopped
from binscribe.jobs.results import JobResult, save_result
from binscribe.llm.config import ProviderConfig
from binscribe.llm.factory import build_adapter
from binscribe.providers import provider_config
from binscribe.providers.health.jobs import record_job_outcome

log = logging.getLogger(__name__)

ENGINE_VERSION = f"{importlib.metadata.version('angr')}+r{ANALYSIS_REVISION}"
"""The analysis cache key's engine version: angr's version and binscribe's
:data:`~binscribe.analysis.options.ANALYSIS_REVISION` (``"10.0.5+r2"``)."""


@dataclass(frozen=True)
class _Plan:
    """The claimed row's facts the pipeline needs, copied out of the session."""

    id: uuid.UUID
    file_sha256: str
    file_name: str
    depth: str
    detail: TranslationDetail
    function_limit: int | None
    provider_id: uuid.UUID | None
    provider_name: str | None
    attempt: int
    """This claim's number (the row's ``attempts`` when claimed); every write passes it."""
    kind: str = JobKind.ANALYSIS
    parent_job_id: uuid.UUID | None = None
    request: dict[str, Any] | None = None
    budget_tokens: int | None = None
    budget_usd: float | None = None

    @classmethod
    def of(cls, job: Job) -> _Plan:
        return cls(
            job.id,
            job.file_sha256,
            job.file_name,
            job.analysis_depth,
            TranslationDetail(job.translation_detail),
            job.function_limit,
            job.provider_id,
            job.provider_name,
            job.attempts,
            job.kind,
            job.parent_job_id,
            job.request,
            job.budget_tokens,
            job.budget_usd,
        )

    @property
    def max_decompiled(self) -> int:
        """The analysis' function limit, as the analysis cache keys it: 0 for none (``basic``
        decompiles nothing, ``detailed`` without a ``function_limit`` everything)."""
        if self.depth == AnalysisDepth.BASIC:
            return 0
        default = STANDARD_MAX_DECOMPILED if self.depth == AnalysisDepth.STANDARD else 0
        return self.function_limit or default

    @property
    def max_explained(self) -> int | None:
        """Functions to explain: the ``function_limit``, else what the depth decompiles
        (``basic`` explains from disassembly as many as ``standard`` would decompile)."""
        if self.depth == AnalysisDepth.BASIC:
            return self.function_limit or STANDARD_MAX_DECOMPILED
        return self.max_decompiled or None


def run_job(
    ctx: JobContext, job_id: uuid.UUID, *, stopping: threading.Event | None = None
) -> str | None:
    """Run the queued job ``job_id`` to a final state in this thread; returns its status when
    this run ends, or None when it was not queued (another worker has it, or it was
    cancelled). Never raises for job failures: they are written to the row. When the job was
    taken over meanwhile (re-queued after this worker's heartbeat went stale, then claimed
    again), nothing of this run is written and a warning is logged."""
    with ctx.sessions.begin() as session:
        job = job_repo.claim_job(session, job_id)
        plan = _Plan.of(job) if job is not None else None
    if plan is None:
        return None
    ctx.notifier.publish(job_id)
    log.info("job %s started", job_id)
    try:
        if plan.kind == JobKind.ANALYSIS:
            asyncio.run(_run(ctx, plan, stopping))
        else:
            from binscribe.jobs.ondemand_run import run_ondemand

            asyncio.run(run_ondemand(ctx, plan, stopping))
    except JobStopped as exc:
        if exc.code == "shutdown":
            _requeue(ctx, plan)
    except BinscribeError as exc:
        _finish(ctx, plan, JobStatus.FAILED, error_code=exc.code, error_message=exc.message)
    except Exception:
        log.exception("job %s failed on an unexpected error", job_id)
        _finish(
            ctx,
            plan,
            JobStatus.FAILED,
            error_code="internal_error",
            error_message="an unexpected error stopped the job; the server log has details",
        )
    with ctx.sessions() as session:
        job = session.get(Job, job_id, populate_existing=True)
        status, attempts = (job.status, job.attempts) if job else (None, plan.attempt)
    if attempts > plan.attempt:
        log.warning(
            "job %s was taken over by attempt %d while attempt %d ran here (its heartbeat went "
            "stale); this attempt's outcome was not written",
            job_id,
            attempts,
            plan.attempt,
        )
    log.info("job %s ended %s", job_id, status)
    return status


def _finish(ctx: JobContext, plan: _Plan, status: JobStatus, **values: object) -> None:
    with ctx.sessions.begin() as session:
        job_repo.finish_job(session, plan.id, attempt=plan.attempt, status=status, **values)
    ctx.notifier.publish(plan.id)


def _requeue(ctx: JobContext, plan: _Plan) -> None:
    with ctx.sessions.begin() as session:
        job_repo.update_running(
            session,
            plan.id,
            attempt=plan.attempt,
            status=JobStatus.QUEUED,
            stage=JobStage.UPLOAD,
            progress=0,
            message=None,
            result_sha256=None,
            attempts=Job.attempts - 1,
        )
    ctx.notifier.publish(plan.id)


async def _run(ctx: JobContext, plan: _Plan, stopping: threading.Event | None) -> None:
    monitor = JobMonitor(ctx, plan.id, attempt=plan.attempt, stopping=stopping)
    watcher = asyncio.create_task(monitor.run())
    partial: PartialResults | None = None
    try:
        config = await asyncio.to_thread(_provider_config, ctx, plan)
        analysis, reused = await asyncio.to_thread(_analyze, ctx, plan, monitor, config is not None)
        monitor.report(
            analysis_reused=reused,
            functions_total=analysis.stats.functions_total,
            functions_decompiled=analysis.stats.functions_decompiled,
            functions_selected=sum(
                f.pseudocode is not None or f.decompile_error is not None
                for f in analysis.functions
            ),
        )
        if config is not None:  # the analysis is browsable while the explanations run
            snapshot = await asyncio.to_thread(
                save_result,
                ctx.blobs,
                JobResult(job_id=plan.id, file_name=plan.file_name, analysis=analysis),
            )
            monitor.report(result_sha256=snapshot)
            partial = PartialResults(
                ctx,
                monitor,
                job_id=plan.id,
                file_name=plan.file_name,
                analysis=analysis,
                first_sha256=snapshot,
                provider_type=config.provider_type.value,
                model=config.model_name,
                detail=plan.detail,
            )
            if ctx.settings.partial_results_s > 0:
                partial.start()
        try:
            report = (
                await _explain(ctx, plan, config, analysis, monitor, partial) if config else None
            )
        finally:
            if partial is not None:
                await partial.stop()
        monitor.report(stage=JobStage.STORE, progress=95, message="storing the result")
        result = JobResult(
            job_id=plan.id, file_name=plan.file_name, analysis=analysis, explanation=report
        )
        sha256 = await asyncio.to_thread(save_result, ctx.blobs, result)
        values = _outcome(report)
        status = JobStatus.FAILED if values.get("error_code") else JobStatus.COMPLETED
        monitor.check()
        await asyncio.to_thread(monitor.flush, force=True)
        await asyncio.to_thread(
            _finish,
            ctx,
            plan,
            status,
            result_sha256=sha256,
            progress=100,
            message=_final_message(analysis, report),
            **values,
        )
    finally:
        if partial is not None:  # the snapshots the final result (or nothing) replaced
            await asyncio.to_thread(partial.drop)
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher


def _provider_config(ctx: JobContext, plan: _Plan) -> ProviderConfig | None:
    """The job's provider configuration with its key decrypted, or None without a provider."""
    if plan.provider_name is None:
        return None
    with ctx.sessions() as session:
        if plan.provider_id is None:
            raise NotFoundError(
                f"provider '{plan.provider_name}' was deleted before the job started",
                code="provider_not_found",
            )
        row = provider_repo.get_provider(session, plan.provider_id)
        return provider_config(row, ctx.cipher)


def _analyze(
    ctx: JobContext, plan: _Plan, monitor: JobMonitor, explaining: bool
) -> tuple[AnalysisResult, bool]:
    """The analysis result and whether it came from the cache (runs in a worker thread).

    The CFG budget comes from the job's settings. A result whose CFG recovery was cut is cached
    under its budget (:func:`cut_engine_version`), so a job asking for more runs again."""
    asked = AnalysisOptions(depth=plan.depth, max_decompiled=plan.max_decompiled or None)
    budget = asked.cfg_budget(ctx.settings)
    options = asked.model_copy(update={"cfg_budget_s": budget})
    key: dict[str, Any] = {
        "file_sha256": plan.file_sha256,
        "depth": plan.depth,
        "max_decompiled": plan.max_decompiled,
    }
    for version in (ENGINE_VERSION, cut_engine_version(budget)):
        with ctx.sessions() as session:
            stored = caches.find_analysis(session, engine_version=version, **key)
        if stored is not None and ctx.blobs.exists(stored):
            monitor.report(
                stage=JobStage.ANALYZE, progress=5, message="reusing the stored analysis"
            )
            return AnalysisResult.model_validate_json(ctx.blobs.read_json(stored)), True
    path = ctx.blobs.path(plan.file_sha256)
    if not path.is_file():
        raise NotFoundError(
            "the uploaded file is no longer stored (retention period); upload it again",
            code="upload_missing",
        )
    tracker = AnalysisProgress(monitor, span=50 if explaining else 95, budget_s=budget)
    tracker.start()
    result = analyze_file(path, options=options, progress=tracker, check=tracker.check)
    sha256 = ctx.blobs.put_json(result.model_dump_json()).sha256
    cut = result.cfg_cut
    version = ENGINE_VERSION if cut is None else cut_engine_version(cut.budget_s)
    with ctx.sessions.begin() as session:
        caches.remember_analysis(session, result_sha256=sha256, engine_version=version, **key)
    return result, False


def cut_engine_version(cfg_budget_s: float) -> str:
    """The analysis cache's engine version of a result whose CFG recovery stopped at a budget of
    ``cfg_budget_s`` seconds (``"10.0.5+r3~cfg60s"``): only a job with the same budget reuses
    it; a complete result (:data:`ENGINE_VERSION`) serves every budget."""
    return f"{ENGINE_VERSION}~cfg{cfg_budget_s:g}s"


def _explain_options(plan: _Plan, config: ProviderConfig) -> ExplainOptions:
    """The job's explanation settings (its budget too); the provider's ``context_tokens`` when
    it sets one."""
    options = ExplainOptions(
        detail=plan.detail,
        max_functions=plan.max_explained,
        budget_tokens=plan.budget_tokens,
        budget_usd=plan.budget_usd,
    )
    if config.context_tokens is not None:
        options = options.model_copy(update={"context_tokens": config.context_tokens})
    return options


async def _explain(
    ctx: JobContext,
    plan: _Plan,
    config: ProviderConfig,
    analysis: AnalysisResult,
    monitor: JobMonitor,
    partial: PartialResults | None = None,
) -> ExplanationReport:
    monitor.report(stage=JobStage.EXPLAIN, progress=50, message="explaining")

    def progress(message: str, done: int, total: int) -> None:
        monitor.report(
            check=False,
            progress=50 + 45 * done // max(total, 1),
            message=f"explained {done} of {total} items (last: {message})",
            items_done=done,
            items_total=total,
        )

    adapter = build_adapter(config, allow_private_endpoints=ctx.settings.allow_private_endpoints)
    try:
        report = await explain_analysis(
            analysis,
            adapter=adapter,
            model=config.model_name,
            provider_type=config.provider_type.value,
            options=_explain_options(plan, config),
            cache=caches.DatabaseExplanationCache(ctx.sessions),
            provider_identity=provider_identity(
                provider_id=str(plan.provider_id),
                provider_type=config.provider_type.value,
                endpoint=config.base_url,
            ),
            progress=progress,
            cancel=monitor.cancelled,
            on_item=partial.add if partial is not None else None,
        )
    finally:
        await adapter.aclose()
    monitor.check()
    await asyncio.to_thread(
        record_job_outcome,
        ctx.engine,
        ctx.cipher,
        provider_id=plan.provider_id,
        used=config,
        report=report,
        job_id=plan.id,
    )
    monitor.report(items_failed=report.items_failed, items_total=report.items_total)
    return report


def _final_message(analysis: AnalysisResult, report: ExplanationReport | None) -> str | None:
    """The finished job's message: a CFG cut (``partial result: ...``) and the parts whose
    explanations failed (:meth:`ExplanationReport.failure_note`), or None."""
    notes = [f"partial result: {analysis.cfg_cut.describe()}"] if analysis.cfg_cut else []
    note = report.failure_note() if report is not None else None
    return "; ".join([*notes, note] if note else notes) or None


def _outcome(report: ExplanationReport | None) -> dict[str, object]:
    """Token usage, cost and, when every provider call failed, the ``llm_unavailable`` error."""
    if report is None:
        return {}
    values: dict[str, object] = {
        "input_tokens": report.usage.input_tokens,
        "output_tokens": report.usage.output_tokens,
        "reasoning_tokens": report.usage.reasoning_tokens,
        "estimated_cost_usd": report.usage.cost_usd,
    }
    if report.all_failed:
        reason = report.error.message if report.error else "no provider call succeeded"
        values["error_code"] = "llm_unavailable"
        values["error_message"] = f"every LLM call failed: {reason}"
    return values
