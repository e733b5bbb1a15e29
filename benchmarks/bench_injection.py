"""Prompt-injection detector: false positives and speed on real binaries, without angr.

Every string literal of each file (the string extractor over the whole file, limit lifted) goes
through :func:`binscribe.analysis.injection.detect_injection`, as the analysis' strings would;
symbols and code are not read here (the fixture corpus' full analyses are covered by the
tests). Prints one line per file with findings, then totals: files, strings, findings, time.
The ``injection-*`` fixtures are the true positives (expected: findings in every one but the
clean control); everything else should have none.

Usage: ``uv run python benchmarks/bench_injection.py [--analyze DEPTH] [FILE ...]`` (default:
the fixture corpus and every ELF file in /usr/bin and /usr/sbin; pass shared libraries to add
them). ``--analyze basic|standard|detailed`` runs the whole analysis (``analyze_file``) on each
file instead, so names, metadata and code are read too (minutes per large binary).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from binscribe.analysis import AnalysisError, AnalysisOptions, analyze_file
from binscribe.analysis.injection import detect_injection
from binscribe.analysis.models import AnalysisResult, AnalysisStats, BinaryInfo, StringRef
from binscribe.analysis.strings import find_strings

FIXTURES = Path(__file__).parents[1] / "tests" / "fixtures" / "bin"
SYSTEM_DIRS = (Path("/usr/bin"), Path("/usr/sbin"))
MAX_BYTES = 64 * 1024 * 1024


def _default_files() -> list[Path]:
    files = sorted(FIXTURES.iterdir())
    for folder in SYSTEM_DIRS:
        for path in sorted(folder.glob("*")):
            if path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_BYTES:
                with path.open("rb") as handle:
                    if handle.read(4) == b"\x7fELF":
                        files.append(path)
    return files


def _result(path: Path, data: bytes) -> AnalysisResult:
    found = find_strings([("file", 0, data)], limit=10**7)
    binary = BinaryInfo(
        file_name=path.name, size=len(data), sha256="0" * 64, format="elf", arch="x86_64",
        bits=64, endianness="little", kind="other", entry_point=None, stripped=False,
        static=False,
    )  # fmt: skip
    strings = [
        StringRef(address=s.address, value=s.value, encoding=s.encoding, section=s.section)
        for s in found
    ]
    stats = AnalysisStats(functions_total=0, functions_decompiled=0, decompile_failures=0)
    return AnalysisResult(
        engine_version="-", depth="basic", binary=binary, strings=strings, stats=stats
    )


def _analyzed(path: Path, depth: str) -> AnalysisResult | None:
    try:
        return analyze_file(path, options=AnalysisOptions(depth=depth))  # type: ignore[arg-type]
    except AnalysisError as exc:
        print(f"{path}: not analyzed: {exc.code}")  # noqa: T201
        return None


def main(argv: list[str]) -> None:
    depth = None
    if argv[:1] == ["--analyze"]:
        depth, argv = argv[1], argv[2:]
    files = [Path(a) for a in argv] or _default_files()
    strings = findings = flagged = 0
    clean_with_findings: list[str] = []
    seconds = 0.0
    for path in files:
        analyzed = _analyzed(path, depth) if depth else _result(path, path.read_bytes())
        if analyzed is None:
            continue
        result = analyzed
        start = time.perf_counter()
        found = detect_injection(result)
        seconds += time.perf_counter() - start
        strings += len(result.strings)
        findings += len(found)
        if found:
            flagged += 1
            if not path.name.startswith("injection-"):
                clean_with_findings.append(str(path))
            print(f"{path}: {len(found)} finding(s)")  # noqa: T201
            for finding in found[:5]:
                where = f"{finding.address:#x}" if finding.address is not None else "metadata"
                print(f"    {where} {finding.rule}: {finding.excerpt[:90]!r}")  # noqa: T201
    print(  # noqa: T201
        f"\n{len(files)} files, {strings} strings, {findings} findings in {flagged} files; "
        f"detector time {seconds:.2f} s ({strings / max(seconds, 1e-9):,.0f} strings/s)\n"
        f"files other than the injection samples with findings: {len(clean_with_findings)}"
    )
    for name in clean_with_findings:
        print(f"    {name}")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1:])
