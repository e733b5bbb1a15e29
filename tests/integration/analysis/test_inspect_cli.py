"""``binscribe inspect``: tables, ``--json`` and one-line errors with exit code 2."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from binscribe.analysis import AnalysisResult
from binscribe.cli.inspect import inspect_command
from tests.integration.analysis.corpus import FIXTURES

app = typer.Typer()
app.command()(inspect_command)
BAD_EXPECTED: dict[str, str] = json.loads((FIXTURES / "bad_expected.json").read_text())
MESSAGES = {
    "empty.bin": "binscribe: error: the file is empty\n",
    "text.txt": "binscribe: error: not an ELF, PE or Mach-O binary (looks like text)\n",
    "archive.zip": "binscribe: error: not an ELF, PE or Mach-O binary (looks like a zip archive)\n",
}


@pytest.mark.parametrize("name", sorted(BAD_EXPECTED))
def test_bad_input_prints_one_line_and_exits_2(name: str) -> None:
    result = CliRunner().invoke(app, [str(FIXTURES / "bad" / name)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("binscribe: error: ")
    assert result.stderr.count("\n") == 1
    if name in MESSAGES:
        assert result.stderr == MESSAGES[name]


def test_missing_file_exits_2() -> None:
    result = CliRunner().invoke(app, [str(FIXTURES / "bin" / "no-such-file")])
    assert result.exit_code == 2
    assert result.stderr.startswith("binscribe: error: ")


@pytest.mark.slow
def test_json_output_is_the_analysis_result() -> None:
    path = FIXTURES / "bin" / "crackme-x86_64.elf"
    result = CliRunner().invoke(app, [str(path), "--json", "--function", "check_password"])
    assert result.exit_code == 0, result.stderr
    document = AnalysisResult.model_validate_json(result.stdout)
    assert document.binary.file_name == "crackme-x86_64.elf"
    check = document.function("check_password")
    assert check is not None and check.pseudocode is not None and "8" in check.pseudocode
    assert [f.name for f in document.functions if f.pseudocode] == ["check_password"]


@pytest.mark.slow
def test_tables_show_metadata_functions_imports_sections_strings() -> None:
    path = FIXTURES / "bin" / "crackme-x86_64.exe"
    result = CliRunner().invoke(app, [str(path), "--depth", "basic"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for text in (
        "pe executable, x86_64 64-bit little",
        "0x1400014d0",
        "check_password",
        "kernel32.dll",
        ".text",
        "Access granted. Welcome, reverser!",
        "depth basic",
    ):
        assert text in out, text


def test_unknown_function_name_exits_2() -> None:
    path = FIXTURES / "bin" / "crackme-x86_64.elf"
    result = CliRunner().invoke(app, [str(path), "--function", "no_such_fn", "--depth", "basic"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"binscribe: error: no function named no_such_fn in {path} (run without --function)"
    ]
