"""Limits: per-function timeout gives partial results; budget and memory give typed errors."""

from __future__ import annotations

import pytest

from binscribe.analysis import AnalysisError, AnalysisOptions, analyze_file
from tests.integration.analysis.corpus import FIXTURES

CRACKME = FIXTURES / "bin" / "crackme-x86_64.elf"


@pytest.mark.slow
def test_function_timeout_keeps_disassembly_and_records_the_error() -> None:
    options = AnalysisOptions(depth="detailed", function_timeout_s=0.001, workers=2)
    result = analyze_file(CRACKME, options=options)
    main = result.function("main")
    assert main is not None
    assert main.pseudocode is None
    assert main.decompile_error == "decompilation timed out after 0.001 s"
    assert main.disassembly.startswith(f"{main.address:#x}: ")
    failed = [f for f in result.functions if f.decompile_error]
    assert result.stats.decompile_failures == len(failed) >= 3
    assert result.stats.functions_decompiled == sum(
        f.pseudocode is not None for f in result.functions
    )
    assert result.function("check_password") is not None


@pytest.mark.slow
def test_budget_exhausted_before_any_result_is_analysis_timeout() -> None:
    with pytest.raises(AnalysisError) as caught:
        analyze_file("/usr/bin/ls", options=AnalysisOptions(depth="basic", total_timeout_s=0.3))
    assert caught.value.code == "analysis_timeout"
    assert caught.value.message == "the analysis did not finish within 0.3 s"


@pytest.mark.slow
def test_budget_reached_while_decompiling_gives_partial_results() -> None:
    options = AnalysisOptions(depth="detailed", total_timeout_s=40, function_timeout_s=4, workers=2)
    result = analyze_file("/usr/bin/gzip", options=options)
    assert any(n.startswith("time budget reached: ") for n in result.notes), result.notes
    skipped = [
        f
        for f in result.functions
        if f.decompile_error
        and f.decompile_error == "not decompiled: the analysis time budget was reached"
    ]
    finished = result.stats.functions_decompiled + result.stats.decompile_failures
    assert finished > 0 and skipped
    assert finished + len(skipped) == len([f for f in result.functions if not f.is_library])
    assert all(f.disassembly for f in result.functions)


@pytest.mark.slow
def test_address_space_limit_is_out_of_memory() -> None:
    with pytest.raises(AnalysisError) as caught:
        analyze_file("/usr/bin/gzip", options=AnalysisOptions(depth="basic", memory_limit_mb=256))
    assert caught.value.code == "out_of_memory"
    assert caught.value.http_status == 422
    assert "256 MiB" in caught.value.message


@pytest.mark.slow
def test_progress_reports_stages_and_a_raising_callback_cancels() -> None:
    seen: list[tuple[str, int, int]] = []
    analyze_file(
        CRACKME, options=AnalysisOptions(depth="detailed"), progress=lambda *a: seen.append(a)
    )
    stages = [s for s, _, _ in seen if s != "scan"]  # scan: only when it lasts over 1 s
    assert stages[:3] == ["load", "cfg", "functions"]
    decompile = [(d, t) for s, d, t in seen if s == "decompile"]
    total = decompile[0][1]
    assert total > 0
    assert decompile == [(done, total) for done in range(total + 1)]  # 0 of M first

    class Cancelled(Exception):
        pass

    def cancel(stage: str, done: int, total: int) -> None:
        raise Cancelled(stage)

    with pytest.raises(Cancelled, match="load"):
        analyze_file(CRACKME, options=AnalysisOptions(depth="detailed"), progress=cancel)


@pytest.mark.slow
def test_a_raising_check_cancels_while_the_cfg_is_recovered() -> None:
    """CFG recovery of ls reports nothing for seconds; ``check`` still stops it."""
    seen: list[str] = []
    calls = 0

    class Cancelled(Exception):
        pass

    def check() -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise Cancelled

    with pytest.raises(Cancelled):
        analyze_file(
            "/usr/bin/ls",
            options=AnalysisOptions(depth="basic"),
            progress=lambda stage, done, total: seen.append(stage),
            check=check,
        )
    assert "functions" not in seen  # stopped before the CFG was done


@pytest.mark.slow
def test_cfg_recovery_reports_the_share_of_code_scanned() -> None:
    """No silent phase: CFG recovery of ls sends ``scan`` percentages about once a second."""
    seen: list[tuple[str, int, int]] = []
    analyze_file(
        "/usr/bin/ls",
        options=AnalysisOptions(depth="basic"),
        progress=lambda *event: seen.append(event),
    )
    scans = [(done, total) for stage, done, total in seen if stage == "scan"]
    assert scans, seen
    assert {total for _, total in scans} == {100}
    assert [done for done, _ in scans] == sorted(done for done, _ in scans)
    assert all(0 <= done <= 100 for done, _ in scans)
    stages = [stage for stage, _, _ in seen]
    assert stages.index("load") < stages.index("scan") < stages.index("cfg")


@pytest.mark.slow
@pytest.mark.parametrize("depth", ["standard", "detailed"])
def test_max_decompiled_caps_standard_and_detailed_depth(depth: str) -> None:
    options = AnalysisOptions(depth=depth, max_decompiled=2, workers=1)  # type: ignore[arg-type]
    result = analyze_file(FIXTURES / "bin" / "recursion-x86_64.elf", options=options)
    decompiled = [f.name for f in result.functions if f.pseudocode is not None]
    assert len(decompiled) == result.stats.functions_decompiled == 2
    program = [f for f in result.functions if not f.is_library]
    assert result.notes == [
        f"{depth} depth: decompiled the 2 most important of {len(program)} non-library functions"
    ]
    assert "main" in decompiled  # the entry point ranks first


def test_decompile_limit_per_depth() -> None:
    assert AnalysisOptions(depth="basic", max_decompiled=5).decompile_limit() == 0
    assert AnalysisOptions(depth="standard").decompile_limit() == 50
    assert AnalysisOptions(depth="detailed").decompile_limit() is None
    assert AnalysisOptions(depth="detailed", max_decompiled=7).decompile_limit() == 7


def test_peak_size_against_the_limit_tells_an_exhausted_address_space() -> None:
    """The child's last resort when a failure's type says nothing (SystemError from a failed
    allocation in CPython): this process's peak virtual size against a limit."""
    from binscribe.analysis.sandbox import _address_space_exhausted

    assert _address_space_exhausted(64 * 1024 * 1024) is True  # a Python process is larger
    assert _address_space_exhausted(1 << 50) is False
