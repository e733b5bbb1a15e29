"""The entry point: :func:`explain_analysis` (see the package docstring)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from binscribe.analysis.models import AnalysisResult
from binscribe.errors import NotImplementedYet
from binscribe.explain.cache import ExplanationCache
from binscribe.explain.report import ExplainOptions, ExplanationReport
from binscribe.llm.base import LLMAdapter

Progress = Callable[[str, int, int], None]
Cancel = asyncio.Event | Callable[[], bool]


async def explain_analysis(
    result: AnalysisResult,
    *,
    adapter: LLMAdapter,
    model: str,
    provider_type: str,
    options: ExplainOptions,
    cache: ExplanationCache | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ExplanationReport:
    """Explain ``result`` with ``adapter``; see the package docstring."""
    raise NotImplementedYet("The explanation engine is being built.")
