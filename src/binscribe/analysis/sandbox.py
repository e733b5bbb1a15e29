"""``analyze_file``: the analysis in a child process with an address-space limit and a budget.

The parent triages the file first (bad input never starts a process), then starts the child
from a ``forkserver`` that has angr preloaded (the first call pays angr's import, ~8 s; later
calls fork in milliseconds). The child runs in its own process group with ``RLIMIT_AS`` set; it
stops decompiling at 90 % of the budget and returns partial results with a note. The parent
kills the whole group (child and decompiler workers) when the budget is spent or when the
progress callback raises (which is how a caller cancels).
"""

from __future__ import annotations

import errno
import logging
import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from binscribe.analysis.errors import AnalysisError
from binscribe.analysis.models import AnalysisResult
from binscribe.analysis.options import AnalysisOptions
from binscribe.analysis.triage import detect_format

log = logging.getLogger(__name__)

_PRELOAD = ["binscribe.analysis._quiet", "binscribe.analysis.engine"]
_SOFT_BUDGET = 0.9
_EXIT_OUT_OF_MEMORY = 3
Progress = Any  # Callable[[str, int, int], None]; kept loose so lambdas and methods both fit


def analyze_file(
    path: str | Path,
    *,
    options: AnalysisOptions,
    progress: Progress | None = None,
    check: Callable[[], None] | None = None,
) -> AnalysisResult:
    """Analyze the binary at ``path`` in a sandboxed child process.

    ``progress(stage, done, total)`` is called in this process for stages ``load``, ``cfg``,
    ``functions`` (1 of 1 each), ``scan`` (percent of the code scanned of 100, about once a
    second during CFG recovery) and ``decompile`` (functions done of total); an exception it
    raises kills the child and propagates. ``check()`` is called about once a second while
    the child works, reporting or not (CFG recovery of a large binary takes minutes); an
    exception it raises does the same, which is how a caller cancels promptly.
    Raises :class:`AnalysisError`: the triage codes (``empty_file``, ``unsupported_format``,
    ``corrupt_binary``), ``analysis_timeout`` when the budget ran out before a result existed,
    ``out_of_memory`` when the child hit its memory limit or died from a signal,
    ``analysis_failed`` for any other failure in the child.
    """
    text = run_sandboxed(path, options=options, task=None, progress=progress, check=check)
    return AnalysisResult.model_validate_json(text)


def run_sandboxed(
    path: str | Path,
    *,
    options: AnalysisOptions,
    task: tuple[Callable[..., str], tuple[Any, ...]] | None,
    progress: Progress | None = None,
    check: Callable[[], None] | None = None,
) -> str:
    """Run ``task`` (a module-level function and its extra arguments, called as
    ``function(path, options, *args, progress=..., deadline=...)`` and returning a JSON string)
    in the sandboxed child with the limits of ``options``; None runs the full analysis. Returns
    the task's JSON text; errors as :func:`analyze_file`."""
    path = Path(path)
    detect_format(path, fat_arch=options.fat_arch)
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    reader, writer = ctx.Pipe(duplex=False)
    resolved = {"workers": options.resolved_workers(), "cfg_budget_s": options.cfg_budget()}
    child = ctx.Process(
        target=_child_main,
        args=(str(path), options.model_copy(update=resolved), writer, task),
        name="binscribe-analysis",
    )
    child.start()
    writer.close()
    deadline = time.monotonic() + options.total_timeout_s
    try:
        return _receive(reader, child, deadline, options, progress, check)
    finally:
        _kill_group(child)
        reader.close()


def _receive(
    reader: Connection,
    child: Any,
    deadline: float,
    options: AnalysisOptions,
    progress: Any,
    check: Callable[[], None] | None,
) -> str:
    checked = time.monotonic()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AnalysisError(
                f"the analysis did not finish within {options.total_timeout_s:g} s",
                code="analysis_timeout",
            )
        ready = reader.poll(min(remaining, 1.0))
        if check is not None and (not ready or time.monotonic() - checked >= 1.0):
            check()
            checked = time.monotonic()
        if not ready:
            continue
        try:
            message = reader.recv()
        except EOFError:
            child.join(5)
            raise _death(child.exitcode, options) from None
        kind = message[0]
        if kind == "progress":
            if progress is not None:
                progress(*message[1:])
        elif kind == "result":
            return str(message[1])
        else:
            _, code, text = message
            raise AnalysisError(text, code=code)


def _death(exitcode: int | None, options: AnalysisOptions) -> AnalysisError:
    if exitcode == _EXIT_OUT_OF_MEMORY:
        return AnalysisError(
            f"the analysis exceeded its memory limit of {options.memory_limit_mb} MiB",
            code="out_of_memory",
        )
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        return AnalysisError(
            f"the analysis process was killed by {name}, most likely out of memory "
            f"(limit {options.memory_limit_mb} MiB)",
            code="out_of_memory",
        )
    return AnalysisError(
        f"the analysis process exited with code {exitcode} without a result",
        code="analysis_failed",
    )


def _kill_group(child: Any) -> None:
    """Kill the child and every decompiler worker in its process group, then reap the child."""
    if child.pid is not None:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if child.is_alive():
        child.kill()
    child.join()


def _caused_by_memory(exc: BaseException | None) -> bool:
    """True when ``exc`` or what caused it is the address-space limit showing through: a
    MemoryError, ENOMEM, or a native library that could not be mapped (ImportError/OSError)."""
    while exc is not None:
        if isinstance(exc, MemoryError):
            return True
        if isinstance(exc, OSError) and exc.errno == errno.ENOMEM:
            return True
        text = str(exc).lower()
        if "cannot allocate memory" in text or "failed to map segment" in text:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _address_space_exhausted(limit: int) -> bool:
    """True when this process's peak virtual size (``VmPeak`` in /proc/self/status) reached
    90 % of ``limit`` bytes: whatever failed, the address-space limit is the likely cause."""
    try:
        fd = os.open("/proc/self/status", os.O_RDONLY)
        try:
            status = os.read(fd, 4096)
        finally:
            os.close(fd)
        line = next(ln for ln in status.split(b"\n") if ln.startswith(b"VmPeak:"))
        return int(line.split()[1]) * 1024 >= 0.9 * limit
    except Exception:  # no /proc, or no memory left even for this: cannot tell
        return False


def _child_main(path: str, options: AnalysisOptions, writer: Connection, task: Any = None) -> None:
    """Entry point of the analysis process (runs in the forkserver's child).

    Near the address-space limit anything can fail, in any way: logging or pickling the failure
    report raises MemoryError, CPython raises SystemError from a failed allocation. A
    MemoryError anywhere, or any failure after the process's peak size reached the limit,
    exits with ``_EXIT_OUT_OF_MEMORY`` so the parent reports ``out_of_memory``.
    """
    os.setpgid(0, 0)
    limit = options.memory_limit_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        _analyze_and_report(path, options, writer, limit, task)
    except MemoryError:
        os._exit(_EXIT_OUT_OF_MEMORY)
    except BaseException:
        if _address_space_exhausted(limit):
            os._exit(_EXIT_OUT_OF_MEMORY)
        raise
    finally:
        writer.close()


def _analyze_and_report(
    path: str, options: AnalysisOptions, writer: Connection, limit: int, task: Any
) -> None:
    deadline = time.monotonic() + options.total_timeout_s * _SOFT_BUDGET

    def send_progress(stage: str, done: int, total: int) -> None:
        writer.send(("progress", stage, done, total))

    try:
        if task is None:
            from binscribe.analysis.engine import run_analysis

            result = run_analysis(path, options, progress=send_progress, deadline=deadline)
            writer.send(("result", result.model_dump_json()))
        else:
            function, args = task
            text = function(path, options, *args, progress=send_progress, deadline=deadline)
            writer.send(("result", text))
    except AnalysisError as exc:
        writer.send(("error", exc.code, exc.message))
    except Exception as exc:  # reported to the parent as analysis_failed, with the trace logged
        if _caused_by_memory(exc) or _address_space_exhausted(limit):
            raise MemoryError from exc
        log.exception("analysis of %s failed", path)
        writer.send(("error", "analysis_failed", f"analysis failed: {type(exc).__name__}: {exc}"))
