"""CFG recovery under a time budget: :class:`ScanBudget` stops angr's CFGFast scan when the
budget is spent, :class:`EntryFirstCFGFast` scans the entry points before the other seeds.

CFGFast seeds its work queue with the entry point, the symbols and the function starts the
formats record (in address order), follows calls and jumps from them, and only then scans the rest
of the executable regions for code. It calls its ``progress_callback`` between jobs (at most every
50 ms); calling ``cfg.abort()`` there stops the scan at the next job, and CFGFast still finishes
the partial model (functions, normalization) without concluding anything from the missing part.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from typing import Any

from angr.analyses.cfg.cfg_fast import CFGFast

from binscribe.analysis.models import CfgCut

_SCANNING = "Analysis (Stage 1)"
"""CFGFast's ``stage`` while it scans; its progress is then 0-50 for 0-100 % of the regions."""
REPORT_EVERY_S = 1.0
"""The scan's progress is forwarded at most this often (seconds)."""


class ScanBudget:
    """CFGFast ``progress_callback`` that aborts the scan ``budget_s`` seconds after creation.

    ``report(scanned_percent)`` (0-100 % of the regions) is called at most every
    :data:`REPORT_EVERY_S` seconds while the scan runs. After the analysis, :meth:`cut` tells
    whether the budget stopped it, and what the scan had covered.
    """

    def __init__(self, budget_s: float, report: Callable[[float], None] | None = None) -> None:
        self.budget_s = budget_s
        self._report = report
        self._started = time.monotonic()
        self._last_report = self._started
        self._scanned = 0.0
        self._stopped_at: float | None = None

    def __call__(self, percentage: float, text: str | None = None, **kwargs: Any) -> None:
        cfg = kwargs.get("cfg")
        if cfg is None or cfg.should_abort or getattr(cfg, "stage", None) != _SCANNING:
            return
        self._scanned = min(percentage * 2, 100.0)
        now = time.monotonic()
        if self._report is not None and now - self._last_report >= REPORT_EVERY_S:
            self._last_report = now
            self._report(self._scanned)
        if now - self._started >= self.budget_s:
            self._stopped_at = self._scanned
            cfg.abort()

    def cut(self, cfg: Any) -> CfgCut | None:
        """What the budget cut from ``cfg`` (the finished CFGFast), or None when the scan ended
        on its own."""
        if self._stopped_at is None or not cfg.should_abort:
            return None
        return CfgCut(
            budget_s=self.budget_s,
            functions_found=len(cfg.kb.functions),
            scanned_percent=round(self._stopped_at, 1),
        )


class EntryFirstCFGFast(CFGFast):
    """CFGFast whose first jobs are the ``first`` addresses (entry point, ``main``, exports), so
    a scan stopped early has recovered them; the other seeds follow in CFGFast's own order."""

    def __init__(self, *args: Any, first: Collection[int] = (), **kwargs: Any) -> None:
        self._first = frozenset(first)
        super().__init__(*args, **kwargs)

    def _pre_analysis(self) -> None:
        super()._pre_analysis()
        queue = self._job_info_queue
        ordered = sorted(queue, key=lambda info: info.job.addr not in self._first)
        queue.clear()
        queue.extend(ordered)
