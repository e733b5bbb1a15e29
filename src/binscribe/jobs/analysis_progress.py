"""``AnalysisProgress``: the analysis process's progress (see
:func:`~binscribe.analysis.sandbox.analyze_file`) as the job row's progress, message and
counters, with no silent phase: when the analysis reports nothing for :data:`QUIET_AFTER_S`
seconds, the message gets the phase's elapsed time, refreshed about once a second.

Progress: 1 % while loading, 2-10 % while recovering the control flow (by the share of code
scanned), 10-15 % describing functions, 15 % to ``span`` decompiling (by functions done of the
functions chosen).
"""

from __future__ import annotations

import time
from typing import Any

from binscribe.db.enums import JobStage
from binscribe.jobs.progress import JobMonitor

QUIET_AFTER_S = 5.0
"""A phase silent this long (seconds) shows its elapsed time."""


class AnalysisProgress:
    """Reports one analysis of a job through ``monitor``; ``span`` is the job's progress at the
    end of the analysis (percent); ``budget_s`` the CFG recovery's time budget."""

    def __init__(self, monitor: JobMonitor, *, span: int, budget_s: float) -> None:
        self.monitor = monitor
        self.span = span
        self.budget_s = budget_s
        self._message = ""
        self._since = self._heard = time.monotonic()

    def start(self) -> None:
        """Enter the analyze stage (the child process starts and loads the binary)."""
        self.monitor.report(stage=JobStage.ANALYZE)
        self._phase(1, "loading the binary")

    def _phase(self, percent: int, message: str, **counts: Any) -> None:
        self._message = message
        self._since = self._heard = time.monotonic()
        self.monitor.report(progress=min(percent, self.span), message=message, **counts)

    def __call__(self, stage: str, done: int, total: int) -> None:
        """The analysis' ``progress(stage, done, total)`` callback (raises JobStopped)."""
        if stage == "load":
            self._phase(2, f"recovering the control flow (time budget {self.budget_s:g} s)")
        elif stage == "scan":
            self._heard = time.monotonic()
            elapsed = self._heard - self._since
            self.monitor.report(
                progress=min(2 + 8 * done // max(total, 1), self.span),
                message=f"recovering the control flow: {done}% of the code scanned in "
                f"{elapsed:.0f} s (time budget {self.budget_s:g} s)",
            )
        elif stage == "cfg":
            self._phase(10, "describing functions")
        elif stage == "functions":
            self._phase(15, "finishing the analysis")
        elif stage == "decompile":
            share = 15 + (self.span - 15) * done // max(total, 1)
            message = f"decompiled {done} of {total} functions" if total else self._message
            self._phase(share, message, functions_decompiled=done, functions_selected=total)

    def check(self) -> None:
        """The analysis' ``check()``, called about once a second while the child is quiet:
        raises JobStopped when the job must stop, else refreshes a quiet phase's elapsed
        time."""
        self.monitor.check()
        now = time.monotonic()
        if now - self._heard >= QUIET_AFTER_S:
            elapsed = now - self._since
            self.monitor.report(check=False, message=f"{self._message} ({elapsed:.0f} s)")
