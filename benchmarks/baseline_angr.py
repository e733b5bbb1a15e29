"""What a plain angr user does: CFGFast, then the Decompiler on every function, one process.

Usage: ``python benchmarks/baseline_angr.py BINARY`` prints one JSON line: functions,
decompiled, failures, wall_s, peak_rss_mb. No per-function timeout (plain angr has none).
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import time

for _name in ("angr", "cle", "pyvex", "claripy", "ailment", "angr.state_plugins.unicorn_engine"):
    logging.getLogger(_name).setLevel(logging.CRITICAL + 1)

import angr  # noqa: E402


def main(path: str) -> None:
    started = time.monotonic()
    project = angr.Project(path, auto_load_libs=False)
    cfg = project.analyses.CFGFast(normalize=True, data_references=True)
    functions = [
        f
        for f in cfg.kb.functions.values()
        if not (f.is_plt or f.is_simprocedure or f.is_alignment or f.is_syscall)
        and project.loader.main_object.contains_addr(f.addr)
    ]
    decompiled = failures = 0
    for func in functions:
        try:
            decompiler = project.analyses.Decompiler(func, cfg=cfg.model)
        except Exception:  # counted as a failure, as a user's loop would
            failures += 1
            continue
        if decompiler.codegen is not None and decompiler.codegen.text:
            decompiled += 1
        else:
            failures += 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "functions": len(functions),
                "decompiled": decompiled,
                "failures": failures,
                "wall_s": round(time.monotonic() - started, 2),
                "peak_rss_mb": round(peak, 1),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
