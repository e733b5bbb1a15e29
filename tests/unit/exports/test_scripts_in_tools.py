"""The IDA, Ghidra and Binary Ninja scripts run against recording stand-ins of each tool's API
(:mod:`tests.unit.exports.standins`), each loading the PIE crackme at a base other than angr's
0x400000: functions are found by offset, only generated names are replaced, nothing changes on
another binary, and the counts printed are exact."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from binscribe.exports import ExportFormat, ExportOptions, render_export
from tests.unit.exports import standins
from tests.unit.exports.conftest import OPTIONS, PIE, job_result
from tests.unit.exports.standins import Loaded

BINARY = Path(__file__).parents[2] / "fixtures" / "bin" / PIE
# Where each tool loads the PIE (angr: 0x400000) and how it names a function it found.
TOOLS: dict[ExportFormat, tuple[int, Callable[[int], str]]] = {
    ExportFormat.ida: (0x0, lambda ea: f"sub_{ea:X}"),
    ExportFormat.ghidra: (0x100000, lambda ea: f"FUN_{ea:08x}"),
    ExportFormat.binja: (0x7F0000000000, lambda ea: f"sub_{ea:x}"),
}
PYTHON2 = ("/root/.pyenv/versions/2.7.18/bin/python2.7", "/usr/bin/python2.7")
STRIP, CHECK, MAIN, START, EVIDENCE = 0x1169, 0x1188, 0x11D4, 0x1080, 0x118C


def loaded(fmt: ExportFormat, **names: str) -> Loaded:
    """The PIE as ``fmt`` loaded it: generated names, ``main`` and ``_start`` from symbols."""
    base, generated = TOOLS[fmt]
    data = BINARY.read_bytes()
    table = {base + o: generated(base + o) for o in (STRIP, CHECK)}
    table |= {base + MAIN: "main", base + START: "_start"}
    for offset, name in names.items():
        table[base + int(offset, 16)] = name
    return Loaded(
        base=base,
        sha256=hashlib.sha256(data).hexdigest(),
        entry=base + START,
        size=len(data),
        names=table,
        data=data,
    )


def script(fmt: ExportFormat, options: ExportOptions = OPTIONS[PIE]) -> str:
    result = job_result(PIE)
    return render_export(fmt, result.analysis, result.explanation, options).text


def run(fmt: ExportFormat, tool: Loaded, text: str, monkeypatch: Any) -> None:
    if fmt is ExportFormat.ida:
        standins.install(monkeypatch, standins.ida_modules(tool))
        standins.run(text, {})
    elif fmt is ExportFormat.ghidra:
        standins.install(monkeypatch, standins.ghidra_modules())
        standins.run(text, standins.ghidra_globals(tool))
    else:
        standins.run(text, {"bv": standins.BinaryView(tool)})


@pytest.mark.parametrize("fmt", list(TOOLS))
def test_applies_names_and_comments_at_the_tools_base(
    fmt: ExportFormat, monkeypatch: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    tool = loaded(fmt)
    base = tool.base
    run(fmt, tool, script(fmt), monkeypatch)
    assert capsys.readouterr().out == (
        "binscribe: 2 names applied, 0 skipped; 4 comments applied, 0 skipped\n"
    )
    assert tool.names == {
        base + STRIP: "bs_strip_newline_in_place",
        base + CHECK: "bs_verify_password",
        base + MAIN: "main",  # confidence 0.45 < 0.6 and not a generated name anyway
        base + START: "_start",
    }
    assert set(tool.function_comments) == {base + STRIP, base + CHECK, base + MAIN}
    check = tool.function_comments[base + CHECK].splitlines()
    assert check[0].startswith('binscribe: Compares the input with the secret "s3cr3t!"')
    assert check[1] == "Line two: \\x41 ''' \"\"\" ; afn evil @ 0 ; !rm -rf /"
    assert "Security: Hard-coded password: anyone with the binary can read it." in check
    assert tool.function_comments[base + MAIN].splitlines()[1] == (
        "Suggested name: bs_run_crackme (below the confidence threshold)"
    )
    assert tool.comments == {base + EVIDENCE: "binscribe: length check"}


@pytest.mark.parametrize("fmt", list(TOOLS))
def test_keeps_user_names_and_avoids_taken_ones(
    fmt: ExportFormat, monkeypatch: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    tool = loaded(fmt, **{hex(STRIP): "my_strip", hex(START): "bs_verify_password"})
    run(fmt, tool, script(fmt), monkeypatch)
    assert capsys.readouterr().out == (
        "binscribe: 1 names applied, 1 skipped; 4 comments applied, 0 skipped\n"
    )
    assert tool.names[tool.base + STRIP] == "my_strip"
    assert tool.names[tool.base + CHECK] == "bs_verify_password_2"


@pytest.mark.parametrize("fmt", list(TOOLS))
def test_second_run_changes_nothing_and_keeps_existing_comments(
    fmt: ExportFormat, monkeypatch: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    tool = loaded(fmt)
    tool.function_comments[tool.base + MAIN] = "my own note"
    text = script(fmt)
    run(fmt, tool, text, monkeypatch)
    first = (dict(tool.names), dict(tool.function_comments), dict(tool.comments))
    assert tool.function_comments[tool.base + MAIN].startswith("my own note\n\nbinscribe: ")
    run(fmt, tool, text, monkeypatch)
    assert (tool.names, tool.function_comments, tool.comments) == first
    assert capsys.readouterr().out.splitlines()[1] == (
        "binscribe: 0 names applied, 2 skipped; 0 comments applied, 4 skipped"
    )


@pytest.mark.parametrize("fmt", list(TOOLS))
def test_another_binary_is_left_alone(
    fmt: ExportFormat, monkeypatch: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    tool = loaded(fmt)
    tool.sha256 = "0" * 64
    tool.data = b"another file"
    before = dict(tool.names)
    run(fmt, tool, script(fmt), monkeypatch)
    out = capsys.readouterr().out
    assert out.startswith("binscribe: nothing changed: the ")
    assert f"this export is for {tool.sha256[:0]}944d8b68447df64a" in out
    assert (tool.names, tool.function_comments, tool.comments, tool.calls) == (before, {}, {}, [])


@pytest.mark.parametrize("fmt", list(TOOLS))
def test_a_base_that_does_not_match_the_entry_point_changes_nothing(
    fmt: ExportFormat, monkeypatch: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    tool = loaded(fmt)
    tool.entry += 0x10  # the same file, but the tool's idea of the layout is not angr's
    run(fmt, tool, script(fmt), monkeypatch)
    assert capsys.readouterr().out.startswith("binscribe: nothing changed: ")
    assert tool.calls == []


@pytest.mark.parametrize("fmt", list(TOOLS))
def test_without_threshold_low_confidence_names_apply_too(
    fmt: ExportFormat, monkeypatch: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    tool = loaded(fmt, **{hex(MAIN): TOOLS[fmt][1](TOOLS[fmt][0] + MAIN)})
    run(fmt, tool, script(fmt, ExportOptions()), monkeypatch)
    assert capsys.readouterr().out == (
        "binscribe: 3 names applied, 0 skipped; 3 comments applied, 0 skipped\n"
    )
    assert tool.names[tool.base + MAIN] == "run_crackme"
    assert tool.names[tool.base + CHECK] == "verify_password"
    assert tool.comments == {}


def test_ghidra_script_is_python_2_syntax() -> None:
    """Ghidra's Jython is Python 2.7: the script must compile there too."""
    found = [Path(p) for p in PYTHON2 if p and Path(p).is_file()]
    if not found:
        pytest.skip("no Python 2.7 interpreter on this machine")
    source = script(ExportFormat.ghidra)
    done = subprocess.run(
        [str(found[0]), "-c", "import sys; compile(sys.stdin.read(), 'ghidra.py', 'exec')"],
        input=source,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")
