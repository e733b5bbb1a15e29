"""Every export format of both crackme fixtures equals its golden file; the Python ones compile.

Regenerate after a deliberate change: ``BINSCRIBE_UPDATE_GOLDEN=1 uv run pytest
tests/unit/exports/test_golden.py`` and review the diff of ``tests/fixtures/exports/golden``.
"""

from __future__ import annotations

import json
import os

import pytest

from binscribe.exports import ExportFormat, render_export
from tests.unit.exports.conftest import GOLDEN, OPTIONS, PE, PIE, job_result

CASES = [(binary, fmt) for binary in OPTIONS for fmt in ExportFormat]


@pytest.mark.parametrize(("binary", "fmt"), CASES, ids=[f"{b}-{f}" for b, f in CASES])
def test_export_matches_golden(binary: str, fmt: ExportFormat) -> None:
    result = job_result(binary)
    export = render_export(
        fmt, result.analysis, result.explanation, OPTIONS[binary], file_name=result.file_name
    )
    path = GOLDEN / export.file_name
    if os.environ.get("BINSCRIBE_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(export.text)
    assert export.text == path.read_text()
    if fmt in (ExportFormat.ida, ExportFormat.ghidra, ExportFormat.binja):
        compile(export.text, export.file_name, "exec")
        assert export.text.isascii()
        assert export.media_type == "text/x-python"


def test_file_names_and_media_types() -> None:
    result = job_result(PIE)
    names = {
        fmt: render_export(
            fmt, result.analysis, result.explanation, OPTIONS[PIE], file_name="my crackme;.elf"
        ).file_name
        for fmt in ExportFormat
    }
    assert names == {
        ExportFormat.ida: "my_crackme_.elf.binscribe.ida.py",
        ExportFormat.ghidra: "my_crackme_.elf.binscribe.ghidra.py",
        ExportFormat.binja: "my_crackme_.elf.binscribe.binja.py",
        ExportFormat.r2: "my_crackme_.elf.binscribe.r2",
        ExportFormat.json: "my_crackme_.elf.binscribe.symbols.json",
    }


def test_symbol_map_of_the_pie() -> None:
    result = job_result(PIE)
    export = render_export(
        ExportFormat.json,
        result.analysis,
        result.explanation,
        OPTIONS[PIE],
        file_name=result.file_name,
    )
    data = json.loads(export.text)
    assert data["binary"] == {
        "file_name": PIE,
        "sha256": "944d8b68447df64a78e8bfaf8605d4ea30c06c90cf895c7d2b620e9f09a0c120",
        "size": 16280,
        "format": "elf",
        "arch": "x86_64",
        "image_base": 0x400000,
        "entry_offset": 0x1080,
    }
    named = {f["original_name"]: (f["offset"], f["suggested_name"]) for f in data["functions"]}
    assert named["strip_newline"] == (0x1169, "bs_strip_newline_in_place")
    assert named["check_password"] == (0x1188, "bs_verify_password")
    assert named["main"] == (0x11D4, None)  # confidence 0.45 < 0.6
    assert named["_start"] == (0x1080, None)  # library code, not explained
    check = next(f for f in data["functions"] if f["original_name"] == "check_password")
    assert check["evidence"] == [{"offset": 0x118C, "text": "binscribe: length check"}]
    assert check["comment"].splitlines()[2:] == [
        "Security: Hard-coded password: anyone with the binary can read it.",
        "Security: Early exit leaks the matching prefix length.",
        "(confidence 0.92, openai gpt-4.1-mini)",
    ]


def test_pe_names_are_made_unique_and_defaults_keep_every_suggestion() -> None:
    result = job_result(PE)
    export = render_export(ExportFormat.json, result.analysis, result.explanation, OPTIONS[PE])
    named = {f["original_name"]: f for f in json.loads(export.text)["functions"]}
    assert named["sub_140002050"]["suggested_name"] == "helper"
    assert named["sub_1400028bf"]["suggested_name"] == "helper_2"
    assert named["main"]["suggested_name"] == "run_crackme"
    assert named["check_password"]["offset"] == 0x1557
    assert all(f["evidence"] == [] for f in named.values())  # evidence comments are off


def test_job_without_explanation_exports_names_only() -> None:
    result = job_result(PIE)
    export = render_export(ExportFormat.ida, result.analysis, None, OPTIONS[PIE])
    assert '\\"functions\\": []' in export.text
    data = json.loads(render_export(ExportFormat.json, result.analysis, None, OPTIONS[PIE]).text)
    assert data["model"] is None
    assert {f["suggested_name"] for f in data["functions"]} == {None}
