"""Run an evaluation: analyze each stripped input once, explain it with every provider, score.

The same analysis (and so the same functions, picked by the analysis's importance ranking up to
``function_limit``) goes to every provider, so their figures compare like with like. Only
functions are explained (no imports, strings or program summary) and no explanation cache is
used: every figure comes from a fresh provider call. Functions that cannot be scored are marked
library code and skipped: C runtime start-up code
(:data:`~binscribe.evaluation.corpus.RUNTIME_SYMBOLS`) and functions the analysis found where
the reference has no function symbol (pieces of other functions, padding).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from binscribe.analysis import AnalysisOptions, AnalysisResult, analyze_file
from binscribe.evaluation.corpus import (
    RUNTIME_SYMBOLS,
    ReferenceSymbols,
    reference_symbols,
    stripped_input,
)
from binscribe.evaluation.metrics import (
    BinaryRun,
    EvaluationReport,
    FunctionScore,
    overall_of,
    summarize,
)
from binscribe.evaluation.names import score_name
from binscribe.explain import ExplainOptions, FunctionResult, explain_analysis
from binscribe.explain.report import TranslationDetail
from binscribe.llm.base import ChatMessage, Completion, LLMAdapter, ProbeResult
from binscribe.llm.config import ProviderConfig
from binscribe.llm.factory import build_adapter


@dataclass(frozen=True)
class ProviderTarget:
    """A provider to evaluate: ``label`` (its name) and its adapter configuration."""

    label: str
    config: ProviderConfig


class MeteredAdapter:
    """Wraps an adapter and records each answered request's latency (ms, retries included)."""

    def __init__(self, inner: LLMAdapter) -> None:
        self._inner = inner
        self.model = inner.model
        self.max_concurrency = inner.max_concurrency
        self.prices = inner.prices
        self.latencies_ms: list[int] = []

    async def complete(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        """The inner adapter's answer; its ``latency_ms`` is recorded."""
        completion = await self._inner.complete(
            messages, max_tokens=max_tokens, temperature=temperature, json_schema=json_schema
        )
        self.latencies_ms.append(completion.latency_ms)
        return completion

    async def list_models(self) -> list[str]:
        """As the inner adapter."""
        return await self._inner.list_models()

    async def probe(self, *, completion: bool = True) -> ProbeResult:
        """As the inner adapter."""
        return await self._inner.probe(completion=completion)

    async def aclose(self) -> None:
        """Close the inner adapter."""
        await self._inner.aclose()


def _grounding(result: FunctionResult) -> tuple[float | None, int | None, int | None]:
    """(score, grounded, total) from the ``grounding`` field when the engine reports one."""
    dumped = result.model_dump()
    found = dumped.get("grounding") or (dumped.get("explanation") or {}).get("grounding")
    if not isinstance(found, dict):
        return None, None, None
    return found.get("score"), found.get("grounded"), found.get("total")


def score_function(result: FunctionResult, true_name: str | None) -> FunctionScore:
    """The :class:`FunctionScore` of one engine result against its reference name."""
    explanation = result.explanation
    suggested = explanation.suggested_name if explanation is not None else None
    named_in_input = true_name is not None and result.name == true_name
    counts = score_name(suggested or "", true_name) if true_name and suggested is not None else None
    expected_requests = 1 if result.parts <= 1 else result.parts + 1
    score, grounded, grounding_total = _grounding(result)
    return FunctionScore(
        address=result.address,
        input_name=result.name,
        true_name=true_name,
        suggested_name=suggested,
        status=result.status,
        error_code=result.error.code if result.error else None,
        named_in_input=named_in_input,
        matched=counts.matched if counts else 0,
        predicted=counts.predicted if counts else 0,
        actual=counts.actual if counts else 0,
        repaired=result.usage.requests > expected_requests,
        coverage=result.coverage,
        input_tokens=result.usage.input_tokens,
        output_tokens=result.usage.output_tokens,
        cost_usd=result.usage.cost_usd,
        grounding=score,
        grounded=grounded,
        grounding_total=grounding_total,
    )


def true_names(analysis: AnalysisResult, symbols: ReferenceSymbols) -> dict[int, str]:
    """Reference name by analysis address (the analysis may map a PIE at another base)."""
    delta = (analysis.binary.image_base or 0) - symbols.image_base
    return {address + delta: name for address, name in symbols.names.items()}


def _with_reference_only(analysis: AnalysisResult, names: dict[int, str]) -> AnalysisResult:
    """``analysis`` with every function that cannot be scored marked library code (skipped)."""

    def unscorable(address: int) -> bool:
        name = names.get(address)
        return name is None or name in RUNTIME_SYMBOLS

    functions = [
        f.model_copy(update={"is_library": True}) if unscorable(f.address) else f
        for f in analysis.functions
    ]
    return analysis.model_copy(update={"functions": functions})


async def explain_binary(
    binary: str,
    analysis: AnalysisResult,
    names: dict[int, str],
    target: ProviderTarget,
    *,
    function_limit: int,
    detail: TranslationDetail,
    allow_private_endpoints: bool,
) -> BinaryRun:
    """Explain ``analysis``'s functions with ``target`` and score them."""
    config = target.config
    adapter = MeteredAdapter(build_adapter(config, allow_private_endpoints=allow_private_endpoints))
    options = ExplainOptions(
        detail=detail,
        max_functions=function_limit,
        explain_imports=False,
        explain_strings=False,
        summarize_program=False,
        **({"context_tokens": config.context_tokens} if config.context_tokens else {}),
    )
    started = time.perf_counter()
    try:
        report = await explain_analysis(
            analysis,
            adapter=adapter,
            model=config.model_name,
            provider_type=config.provider_type.value,
            options=options,
        )
    finally:
        await adapter.aclose()
    wall = time.perf_counter() - started
    scores = [score_function(f, names.get(f.address)) for f in report.functions]
    return BinaryRun(
        binary=binary,
        provider=target.label,
        model=config.model_name,
        wall_s=round(wall, 3),
        summary=summarize(scores, adapter.latencies_ms),
        functions=scores,
        latencies_ms=adapter.latencies_ms,
    )


async def evaluate(
    references: list[Path],
    targets: list[ProviderTarget],
    *,
    function_limit: int,
    detail: TranslationDetail = TranslationDetail.STANDARD,
    allow_private_endpoints: bool = False,
    progress: Callable[[str], None] | None = None,
) -> EvaluationReport:
    """Evaluate every provider in ``targets`` on every reference binary.

    Raises:
        ValidationFailed: a reference without symbols or an input that cannot be made.
        AnalysisError: the analysis of an input failed.
    """
    runs: list[BinaryRun] = []
    for reference in references:
        symbols = reference_symbols(reference)
        with stripped_input(reference) as path:
            if progress:
                progress(f"analyzing {path.name}")
            analysis = analyze_file(
                path, options=AnalysisOptions(depth="standard", max_decompiled=2 * function_limit)
            )
        names = true_names(analysis, symbols)
        analysis = _with_reference_only(analysis, names)
        for target in targets:
            if progress:
                progress(f"explaining {reference.name} with {target.label}")
            runs.append(
                await explain_binary(
                    reference.name,
                    analysis,
                    names,
                    target,
                    function_limit=function_limit,
                    detail=detail,
                    allow_private_endpoints=allow_private_endpoints,
                )
            )
    return EvaluationReport(
        binaries=[r.name for r in references],
        providers=[t.label for t in targets],
        function_limit=function_limit,
        runs=runs,
        overall=[overall_of(runs, t.label, t.config.model_name) for t in targets],
    )
