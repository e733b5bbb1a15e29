"""On-demand decompilation vs the first analysis, on ``/usr/bin/gzip`` at standard depth.

Runs :func:`~binscribe.analysis.analyze_file` (the first analysis, full CFG recovery, the 50 most
important functions decompiled), then decompiles functions it left out, one on-demand request
each (:func:`~binscribe.analysis.ondemand.decompile_functions`: restricted CFG over the stored
function's instructions). Target: each on-demand decompile under a third of the first
analysis's wall time.

    uv run python benchmarks/bench_ondemand.py [--binary /usr/bin/gzip] [--requests 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from binscribe.analysis import analyze_file
from binscribe.analysis.ondemand import decompile_functions
from binscribe.analysis.options import AnalysisOptions
from binscribe.analysis.recover import rank_for_decompilation

TARGET_RATIO = 1 / 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", type=Path, default=Path("/usr/bin/gzip"))
    parser.add_argument("--requests", type=int, default=3)
    args = parser.parse_args()
    options = AnalysisOptions(depth="standard")
    analyze_file(args.binary, options=AnalysisOptions(depth="basic", cfg_budget_s=1))  # warm-up
    start = time.monotonic()
    result = analyze_file(args.binary, options=options)
    first = time.monotonic() - start
    left = [f for f in rank_for_decompilation(result.functions) if f.pseudocode is None]
    print(
        f"{args.binary}: first analysis {first:.1f} s, {result.stats.functions_decompiled} of "
        f"{result.stats.functions_total} functions decompiled, {len(left)} left out"
    )
    times: list[float] = []
    for func in left[: args.requests]:
        start = time.monotonic()
        outcome = decompile_functions(args.binary, [func], options=options)[func.address]
        times.append(time.monotonic() - start)
        state = "ok" if outcome[0] else f"error: {outcome[1]}"
        print(f"  on demand {func.name} ({func.address:#x}): {times[-1]:.2f} s, {state}")
    worst = max(times)
    ratio = worst / first
    print(
        f"on-demand decompile: median {statistics.median(times):.2f} s, worst {worst:.2f} s = "
        f"{ratio:.2f} of the first analysis (target < {TARGET_RATIO:.2f})"
    )
    return 0 if ratio < TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
