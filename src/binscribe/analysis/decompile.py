"""Parallel decompilation: worker processes forked after CFG recovery share the project.

Each worker takes one function at a time over a pipe. A function gets ``timeout_s`` (SIGALRM in
the worker); a worker still busy ``timeout_s + GRACE_S`` later is killed and replaced, and the
function keeps its disassembly with ``decompile_error`` set. The overall ``deadline`` stops the
work early: functions not reached are reported as skipped.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import angr
    from angr.knowledge_plugins.cfg import CFGModel

log = logging.getLogger(__name__)

GRACE_S = 5.0
Outcome = tuple[str | None, str | None]  # (pseudocode, decompile_error)


class _FunctionTimeout(BaseException):
    """Raised by SIGALRM inside a worker; a BaseException so angr's broad handlers pass it on."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _FunctionTimeout


def decompile_one(project: angr.Project, cfg_model: CFGModel, addr: int) -> str:
    """Pseudocode of the function at angr address ``addr``.

    Raises ``RuntimeError`` when the decompiler produces no code, and whatever angr raises.
    """
    func = project.kb.functions.function(addr=addr)
    decompiler = project.analyses.Decompiler(func, cfg=cfg_model)
    if decompiler.codegen is None or not decompiler.codegen.text:
        raise RuntimeError("the decompiler produced no code")
    return str(decompiler.codegen.text)


def _worker(conn: Connection, project: angr.Project, cfg_model: CFGModel, timeout_s: float) -> None:
    signal.signal(signal.SIGALRM, _on_alarm)
    while True:
        try:
            addr = conn.recv()
        except EOFError:
            return
        if addr is None:
            return
        outcome: Outcome
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        try:
            outcome = (decompile_one(project, cfg_model, addr), None)
        except _FunctionTimeout:
            outcome = (None, f"decompilation timed out after {timeout_s:g} s")
        except MemoryError:
            outcome = (None, "decompilation ran out of memory")
        except Exception as exc:  # angr's decompiler can raise anything; the error is recorded
            outcome = (None, f"{type(exc).__name__}: {exc}"[:500])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        conn.send((addr, outcome))


@dataclass
class _Slot:
    process: Any
    conn: Connection
    addr: int | None = None
    started: float = 0.0


def decompile_all(
    project: angr.Project,
    cfg_model: CFGModel,
    addrs: list[int],
    *,
    workers: int,
    timeout_s: float,
    deadline: float,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[int, Outcome], int]:
    """Decompile the functions at angr addresses ``addrs`` in ``workers`` forked processes.

    Returns (outcomes by address, number of functions skipped because ``deadline``, a
    ``time.monotonic()`` value, passed). ``progress(done, total)`` is called once before the
    first (``done`` 0) and after each one.
    """
    ctx = multiprocessing.get_context("fork")
    pending = deque(addrs)
    outcomes: dict[int, Outcome] = {}

    def start() -> _Slot:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker, args=(child, project, cfg_model, timeout_s), daemon=True)
        proc.start()
        child.close()
        return _Slot(proc, parent)

    def finish(slot: _Slot, outcome: Outcome) -> None:
        assert slot.addr is not None
        outcomes[slot.addr] = outcome
        slot.addr = None
        if progress is not None:
            progress(len(outcomes), len(addrs))

    if progress is not None:
        progress(0, len(addrs))
    slots = [start() for _ in range(min(workers, len(addrs)))]
    try:
        while (pending or any(s.addr is not None for s in slots)) and time.monotonic() < deadline:
            for slot in slots:
                if slot.addr is None and pending:
                    slot.addr, slot.started = pending.popleft(), time.monotonic()
                    slot.conn.send(slot.addr)
            busy = [s for s in slots if s.addr is not None]
            ready = wait([s.conn for s in busy], timeout=0.5)
            for index, slot in enumerate(slots):
                if slot.addr is None:
                    continue
                if slot.conn in ready:
                    try:
                        _, outcome = slot.conn.recv()
                    except EOFError:
                        code = slot.process.exitcode
                        finish(slot, (None, f"the decompiler process died (exit {code})"))
                        slots[index] = _replace(slot, start)
                        continue
                    finish(slot, outcome)
                elif time.monotonic() - slot.started > timeout_s + GRACE_S:
                    finish(slot, (None, f"decompilation timed out after {timeout_s:g} s"))
                    slots[index] = _replace(slot, start)
    finally:
        for slot in slots:
            slot.process.kill()
            slot.process.join()
            slot.conn.close()
    skipped = len(addrs) - len(outcomes)
    return outcomes, skipped


def _replace(slot: _Slot, start: Callable[[], _Slot]) -> _Slot:
    slot.process.kill()
    slot.process.join()
    slot.conn.close()
    return start()
