"""``AnalysisOptions``: what to analyze and within which limits."""

from __future__ import annotations

import os

from pydantic import BaseModel, ConfigDict, Field

from binscribe.analysis.models import AnalysisDepth, Arch
from binscribe.settings import Settings, get_settings

STANDARD_MAX_DECOMPILED = 50
ANALYSIS_REVISION = 6
"""Bumped whenever binscribe's own analysis changes what a result holds for the same angr
version (2: .NET methods, Go/Rust library marking, function pieces, ELF import libraries, UTF-8
strings; 3: CFG recovery under a time budget, ``cfg_cut``; 4: prompt-injection findings; 5:
cross-references by address: call sites, callers, string and import references; 6: untyped ELF
imports, exported thunks as functions, PE functions named after exports, Mach-O import
libraries and bundles, lone trap pieces dropped, ``call_weak_fn`` library, no entry point for
libraries); part of the stored-analysis cache key, so an upgrade does not reuse stale results."""
CFG_SHARE_OF_TOTAL = 0.5
"""CFG recovery never gets more than this share of ``total_timeout_s``: the rest is for
finishing the partial model, describing functions and decompiling."""


class AnalysisOptions(BaseModel):
    """Depth and limits of one analysis.

    ``depth``: ``basic`` (no decompilation), ``standard`` (the ``max_decompiled`` most important
    non-library functions, default ``STANDARD_MAX_DECOMPILED``), ``detailed`` (every non-library
    function, or the ``max_decompiled`` most important when it is set).
    ``only_functions``: when set, decompile exactly these names (any depth but ``basic``).
    ``memory_limit_mb``: address-space limit of the analysis process and of each worker.
    ``workers``: decompiler processes; ``None`` = ``BINSCRIBE_ANALYSIS_WORKERS``, else CPU count.
    ``fat_arch``: slice of a fat Mach-O to analyze (default arm64, else x86-64, else the first).
    ``cfg_budget_s``: seconds CFG recovery may scan; ``None`` = :meth:`cfg_budget`'s default.
    ``max_strings``: strings kept in the result (longest-referenced first is not attempted:
    the first found in address order).
    """

    model_config = ConfigDict(extra="forbid")

    depth: AnalysisDepth = AnalysisDepth.STANDARD
    max_decompiled: int | None = Field(default=None, ge=1)
    only_functions: list[str] | None = None
    function_timeout_s: float = Field(default=20.0, gt=0)
    total_timeout_s: float = Field(default=900.0, gt=0)
    cfg_budget_s: float | None = Field(default=None, gt=0)
    memory_limit_mb: int = Field(default=4096, ge=256)
    workers: int | None = Field(default=None, ge=1)
    fat_arch: Arch | None = None
    min_string_length: int = Field(default=4, ge=2)
    max_strings: int = Field(default=20000, ge=0)

    def decompile_limit(self) -> int | None:
        """How many ranked functions to decompile: ``None`` for all (``detailed`` without a
        ``max_decompiled``), 0 at ``basic``."""
        if self.depth == AnalysisDepth.BASIC:
            return 0
        if self.max_decompiled is not None:
            return self.max_decompiled
        return STANDARD_MAX_DECOMPILED if self.depth == AnalysisDepth.STANDARD else None

    def resolved_workers(self, settings: Settings | None = None) -> int:
        """Number of decompiler processes to use (at least 1)."""
        if self.workers is not None:
            return self.workers
        configured = (settings or get_settings()).analysis_workers
        return configured or os.cpu_count() or 1

    def cfg_budget(self, settings: Settings | None = None) -> float:
        """Seconds CFG recovery may scan before it stops with the functions found so far.

        ``cfg_budget_s`` when set, else ``BINSCRIBE_ANALYSIS_CFG_BUDGET_S`` scaled by what is
        asked: x1 at ``basic`` (nothing decompiled), x2 when decompiling at most
        ``STANDARD_MAX_DECOMPILED`` functions, x4 for more or all of them. Never more than
        ``CFG_SHARE_OF_TOTAL`` of ``total_timeout_s``.
        """
        budget = self.cfg_budget_s
        if budget is None:
            limit = self.decompile_limit()
            if limit == 0:
                factor = 1
            elif limit is not None and limit <= STANDARD_MAX_DECOMPILED:
                factor = 2
            else:
                factor = 4
            budget = (settings or get_settings()).analysis_cfg_budget_s * factor
        return min(budget, self.total_timeout_s * CFG_SHARE_OF_TOTAL)
