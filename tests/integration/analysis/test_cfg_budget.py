"""CFG recovery under a time budget: a large binary gives a partial result that says what was
cut, within a bounded time; a small binary is analyzed completely."""

from __future__ import annotations

from pathlib import Path

import pytest

from binscribe.analysis import AnalysisOptions, analyze_file
from tests.fixtures.large_binary import FUNCTIONS, build_large_binary
from tests.integration.analysis.corpus import FIXTURES


@pytest.fixture(scope="module")
def large_binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_large_binary(tmp_path_factory.mktemp("large"))


@pytest.mark.slow
def test_basic_analysis_of_a_large_binary_stops_at_the_cfg_budget(large_binary: Path) -> None:
    # the complete CFG takes minutes; total_timeout_s bounds the whole analysis (the child is
    # killed and analysis_timeout raised past it), so a result means it came back in time
    options = AnalysisOptions(depth="basic", cfg_budget_s=2, total_timeout_s=120, workers=1)
    result = analyze_file(large_binary, options=options)

    cut = result.cfg_cut
    assert cut is not None
    assert cut.budget_s == 2
    assert 0 < cut.scanned_percent < 100
    # CFGFast makes a function of every symbol before scanning, so on a quick machine all of
    # them are "found" within 2 s; what the budget cuts is the scan of their code
    assert cut.functions_found > 0
    assert result.notes == [cut.describe()]
    assert result.notes[0].startswith(
        f"CFG recovery stopped after its 2 s budget: {cut.functions_found:,} functions found, "
        f"the scan of the code was {cut.scanned_percent:.0f}% complete; "
    )
    names = {f.name for f in result.functions}
    assert names & {f"f{i}" for i in range(FUNCTIONS)}
    assert "main" in names  # the scan starts from the entry points, main at the top address
    assert result.stats.functions_total == len(result.functions)
    assert all(f.disassembly for f in result.functions)


@pytest.mark.slow
def test_a_small_binary_is_analyzed_completely_within_its_budget() -> None:
    result = analyze_file(
        FIXTURES / "bin" / "crackme-x86_64.elf", options=AnalysisOptions(depth="basic")
    )
    assert result.cfg_cut is None
    assert result.notes == []
    assert result.function("check_password") is not None
