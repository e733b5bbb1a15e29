"""Benchmark: binscribe's analysis against a plain angr baseline (``make bench-analysis``).

For each binary (the fixture corpus, /usr/bin/gzip, /usr/bin/ls) prints functions, decompiled,
failures, wall time and peak RSS of ``analyze_file`` and of ``baseline_angr.py`` (CFGFast, then
the Decompiler on every function in one process), with the ratios; the Go, Rust, .NET and UPX
samples get no baseline (see ``NO_BASELINE``). Target for ``detailed``: wall ratio <= 0.6 on
2 cores, peak memory per process <= 1.1x the baseline.

Usage: ``python benchmarks/bench_analysis.py [--depth detailed] [--no-baseline] [BINARY ...]``.
The forkserver is warmed up first, so neither side pays angr's import in its wall time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from binscribe.analysis import AnalysisOptions, analyze_file

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SET = [
    *sorted(str(p) for p in (ROOT / "tests" / "fixtures" / "bin").iterdir() if p.is_file()),
    "/usr/bin/gzip",
    "/usr/bin/ls",
]
# No baseline for these: plain angr would decompile the whole Go/Rust runtime (ours skips
# library code by design, so the ratio would say nothing), fail on .NET CIL, and the UPX
# stub is not a program.
NO_BASELINE = {"crackme-go.elf", "crackme-rust.elf", "crackme-dotnet.exe", "crackme-upx-x86_64.exe"}
ROW = "{:<28} {:>5} {:>5} {:>4} {:>8} {:>7} | {:>5} {:>4} {:>8} {:>7} | {:>5} {:>5}"


def ours(path: str, depth: str) -> dict[str, float]:
    """Run ``analyze_file`` and return the benchmark figures."""
    started = time.monotonic()
    result = analyze_file(path, options=AnalysisOptions(depth=depth))  # type: ignore[arg-type]
    return {
        "functions": result.stats.functions_total,
        "decompiled": result.stats.functions_decompiled,
        "failures": result.stats.decompile_failures,
        "wall_s": round(time.monotonic() - started, 2),
        "peak_rss_mb": result.stats.peak_rss_mb or 0.0,
    }


def baseline(path: str) -> dict[str, float]:
    """Run ``baseline_angr.py`` in a fresh interpreter; its JSON line, wall from inside."""
    script = Path(__file__).with_name("baseline_angr.py")
    out = subprocess.run(
        [sys.executable, str(script), path], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binaries", nargs="*", default=DEFAULT_SET)
    parser.add_argument("--depth", default="detailed", choices=["basic", "standard", "detailed"])
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    analyze_file(DEFAULT_SET[0], options=AnalysisOptions(depth="basic"))  # warm the forkserver
    print(f"depth {args.depth}; ours | baseline (plain angr) | ratio ours/baseline")
    print(ROW.format("binary", "funcs", "dec", "fail", "wall_s", "rss_mb",
                     "dec", "fail", "wall_s", "rss_mb", "wall", "rss"))  # fmt: skip
    for path in args.binaries:
        mine = ours(path, args.depth)
        skip = args.no_baseline or Path(path).name in NO_BASELINE
        base = None if skip else baseline(path)
        cells = [Path(path).name[:28], mine["functions"], mine["decompiled"], mine["failures"],
                 mine["wall_s"], mine["peak_rss_mb"]]  # fmt: skip
        if base is None:
            cells += ["-"] * 6
        else:
            cells += [
                base["decompiled"], base["failures"], base["wall_s"], base["peak_rss_mb"],
                f"{mine['wall_s'] / base['wall_s']:.2f}",
                f"{mine['peak_rss_mb'] / base['peak_rss_mb']:.2f}",
            ]  # fmt: skip
        print(ROW.format(*cells), flush=True)


if __name__ == "__main__":
    main()
