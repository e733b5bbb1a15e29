"""Which functions an explanation covers: library code, and the ``max_functions`` cap."""

from __future__ import annotations

from pathlib import Path

from binscribe.analysis.models import AnalysisResult
from binscribe.analysis.recover import rank_for_decompilation
from binscribe.explain.engine import _targets
from binscribe.explain.report import ExplainOptions

DATA = Path(__file__).resolve().parent / "data"


def _recursion() -> AnalysisResult:
    text = (DATA / "recursion-x86_64.elf.analysis.json").read_text(encoding="utf-8")
    return AnalysisResult.model_validate_json(text)


def test_every_program_function_without_a_cap() -> None:
    result = _recursion()
    names = [f.name for f in _targets(result, ExplainOptions())]
    assert names == ["swap_ints", "fibonacci", "ackermann", "quick_sort", "main"]


def test_the_cap_keeps_the_most_important_in_address_order() -> None:
    result = _recursion()
    names = [f.name for f in _targets(result, ExplainOptions(max_functions=2))]
    top_two = {f.name for f in rank_for_decompilation(result.functions)[:2]}
    assert set(names) == top_two and "main" in top_two
    assert names == [f.name for f in result.functions if f.name in top_two]


def test_library_code_only_on_request_and_after_program_code() -> None:
    result = _recursion()
    library = [f.name for f in result.functions if f.is_library]
    assert library  # _start, frame_dummy, ...
    every = [f.name for f in _targets(result, ExplainOptions(include_library=True))]
    assert set(library) <= set(every)
    capped = _targets(result, ExplainOptions(include_library=True, max_functions=5))
    assert [f.name for f in capped] == ["swap_ints", "fibonacci", "ackermann", "quick_sort", "main"]
