"""The explanation engine: an analysis result in, an :class:`ExplanationReport` out.

Entry point (async; imports only ``binscribe.llm``, ``binscribe.analysis.models``, settings and
errors)::

    report = await explain_analysis(
        result,                      # binscribe.analysis.models.AnalysisResult
        adapter=adapter,             # binscribe.llm.base.LLMAdapter (caller builds and closes it)
        model="gpt-4.1-mini",        # the model the adapter asks for (cost table, cache key)
        provider_type="openai",      # cache key and report
        options=ExplainOptions(detail="standard"),
        cache=None,                  # ExplanationCache: get(key) -> dict | None, put(key, dict)
        provider_identity=None,      # required with a cache: provider_identity(id, type, endpoint)
        progress=None,               # callable(message: str, done: int, total: int)
        cancel=None,                 # asyncio.Event, or a callable returning True to stop
    )

What it does: explains every non-library function that has pseudocode (or disassembly when
decompilation failed) bottom-up in call-graph order, callers seeing their callees' summaries;
groups the imports into capabilities; picks out notable strings; then summarizes the whole
program from those (map-reduce when they exceed the context). Provider calls run concurrently
(bounded), failures are recorded per item, evidence the binary does not have is removed and
counted. It never raises for provider failures: ``report.all_failed`` tells the pipeline that
every attempted item failed (job error ``llm_unavailable``); ``report.cancelled`` that ``cancel``
stopped the run. ``progress`` is called in the event loop after each item with a message such as
``"function main"`` and counts over all items (functions + imports + strings + program).

Modules: ``schemas`` (what the model must answer), ``report`` (options and result document),
``cache`` (protocol, key, in-memory cache), ``templates`` (versioned prompt files in
``prompts/``; binary-derived values framed as data blocks), ``suspicion`` (answers that obeyed
prompt-injection text: ``suspect_injection``), ``parsing`` (JSON extraction, validation, one
repair), ``calls`` (bounded, cancellable, metered provider calls), ``evidence`` (grounding
check), ``callgraph`` (bottom-up order), ``chunks`` (token estimates and splitting), ``run``
(shared run state, detail levels), ``functions``, ``parts`` (huge functions: summaries merged
level by level), ``program`` and ``engine``.
"""

from binscribe.explain.cache import ExplanationCache, MemoryCache, cache_key, provider_identity
from binscribe.explain.engine import explain_analysis
from binscribe.explain.report import (
    ExplainOptions,
    ExplanationReport,
    FunctionResult,
    ImportsResult,
    ItemError,
    ProgramResult,
    StringsResult,
    Usage,
)
from binscribe.explain.templates import PROMPT_VERSION

__all__ = [
    "PROMPT_VERSION",
    "ExplainOptions",
    "ExplanationCache",
    "ExplanationReport",
    "FunctionResult",
    "ImportsResult",
    "ItemError",
    "MemoryCache",
    "ProgramResult",
    "StringsResult",
    "Usage",
    "cache_key",
    "explain_analysis",
    "provider_identity",
]
