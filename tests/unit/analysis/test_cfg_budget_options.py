"""The CFG budget a job asks for, the sentence saying what it cut, and the default job workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from binscribe.analysis.models import CfgCut
from binscribe.analysis.options import STANDARD_MAX_DECOMPILED, AnalysisOptions
from binscribe.settings import Settings


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(data_dir=tmp_path, **values)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (AnalysisOptions(depth="basic"), 60.0),
        (AnalysisOptions(depth="basic", max_decompiled=500), 60.0),
        (AnalysisOptions(depth="standard"), 120.0),
        (AnalysisOptions(depth="standard", max_decompiled=3), 120.0),
        (AnalysisOptions(depth="standard", max_decompiled=STANDARD_MAX_DECOMPILED + 1), 240.0),
        (AnalysisOptions(depth="detailed", max_decompiled=STANDARD_MAX_DECOMPILED), 120.0),
        (AnalysisOptions(depth="detailed"), 240.0),
    ],
)
def test_cfg_budget_scales_the_setting_with_what_is_decompiled(
    tmp_path: Path, options: AnalysisOptions, expected: float
) -> None:
    assert options.cfg_budget(_settings(tmp_path)) == expected


def test_cfg_budget_setting_explicit_budget_and_the_cap(tmp_path: Path) -> None:
    raised = _settings(tmp_path, analysis_cfg_budget_s=300)
    assert AnalysisOptions(depth="basic").cfg_budget(raised) == 300.0
    assert AnalysisOptions(depth="detailed").cfg_budget(raised) == 450.0  # half of 900 s
    assert AnalysisOptions(depth="detailed", cfg_budget_s=5).cfg_budget(raised) == 5.0
    small_total = AnalysisOptions(depth="basic", total_timeout_s=30)
    assert small_total.cfg_budget(_settings(tmp_path)) == 15.0


def test_cfg_budget_setting_is_read_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BINSCRIBE_ANALYSIS_CFG_BUDGET_S", "12.5")
    assert _settings(tmp_path).analysis_cfg_budget_s == 12.5
    monkeypatch.setenv("BINSCRIBE_ANALYSIS_CFG_BUDGET_S", "0")
    with pytest.raises(ValueError, match="greater than 0"):
        _settings(tmp_path)


def test_cut_sentence_names_budget_functions_and_coverage() -> None:
    cut = CfgCut(budget_s=60, functions_found=1204, scanned_percent=38.4)
    assert cut.describe() == (
        "CFG recovery stopped after its 60 s budget: 1,204 functions found, the scan of the "
        "code was 38% complete; functions in the rest are missing (raise "
        "BINSCRIBE_ANALYSIS_CFG_BUDGET_S for a complete analysis)"
    )


@pytest.mark.parametrize(("cpus", "expected"), [(None, 2), (1, 2), (2, 2), (3, 3), (64, 4)])
def test_default_job_workers_follow_the_cpu_count_between_2_and_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpus: int | None, expected: int
) -> None:
    monkeypatch.setattr("binscribe.settings.os.cpu_count", lambda: cpus)
    assert _settings(tmp_path).job_workers == expected
    assert _settings(tmp_path, workers=1).job_workers == 1
