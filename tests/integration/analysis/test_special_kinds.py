"""Real Go, Rust and UPX-packed samples (tests/fixtures/src/crackme.{go,rs}, build.sh special):
language detection, demangled names, runtime code marked as library, the packer warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from binscribe.analysis import AnalysisOptions, AnalysisResult, analyze_file
from binscribe.analysis.models import Function

BIN = Path(__file__).resolve().parents[2] / "fixtures" / "bin"
pytestmark = pytest.mark.slow


def _by_name(result: AnalysisResult) -> dict[str, Function]:
    return {f.name: f for f in result.functions}


@pytest.fixture(scope="module")
def go() -> AnalysisResult:
    return analyze_file(BIN / "crackme-go.elf", options=AnalysisOptions(depth="standard"))


@pytest.fixture(scope="module")
def rust() -> AnalysisResult:
    return analyze_file(BIN / "crackme-rust.elf", options=AnalysisOptions(depth="standard"))


def test_go_binary_is_go_with_only_package_main_as_program_code(go: AnalysisResult) -> None:
    assert go.binary.language == "go"
    assert go.binary.go_version == "go1.19.8"
    assert go.binary.static is True and go.binary.stripped is False
    program = sorted(f.name for f in go.functions if not f.is_library)
    assert program == ["main.checkPassword", "main.main"]
    names = _by_name(go)
    assert {"runtime.main", "runtime.mallocgc", "os.Exit"} <= names.keys()
    assert all(names[n].is_library for n in ("runtime.main", "runtime.mallocgc", "os.Exit"))
    check = names["main.checkPassword"]
    assert check.address == 0x460820
    assert check.callers == ["main.main"]
    assert check.pseudocode is not None and "8" in check.pseudocode
    assert "main.checkPassword" in (names["main.main"].pseudocode or "")
    # only the two program functions were decompiled: runtime code is not explained by default
    assert go.stats.functions_decompiled == 2


def test_go_pieces_split_off_runtime_functions_are_named_after_them(go: AnalysisResult) -> None:
    """angr splits the stack-growth tail off many Go functions; with the symbol table those
    pieces read ``function+0xoffset`` and are library code like the function they belong to."""
    pieces = [f for f in go.functions if "+0x" in f.name]
    assert len(pieces) > 50
    assert not [f.name for f in go.functions if f.name.startswith("sub_")]
    assert all(f.is_library for f in pieces if not f.name.startswith("main."))
    piece = _by_name(go)["runtime.debugCallWrap.func2+0x97"]
    assert piece.address == 0x406020 + 0x97


def test_rust_binary_has_demangled_names_and_std_marked_library(rust: AnalysisResult) -> None:
    assert rust.binary.language == "rust"
    program = sorted(f.name for f in rust.functions if not f.is_library)
    assert program == ["crackme::check_password", "crackme::main", "main"]
    names = _by_name(rust)
    check = names["crackme::check_password"]
    assert check.mangled_name is not None and check.mangled_name.startswith("_ZN7crackme14check")
    assert check.callers == ["crackme::main"]
    assert check.pseudocode is not None and "8" in check.pseudocode
    library = [f for f in rust.functions if f.is_library]
    assert len(library) > 500
    assert any(f.name.startswith("core::") for f in library)
    assert any(f.name.startswith("<[u8] as core::fmt::Debug>") for f in library)
    assert {"libc.so.6"} == {i.library for i in rust.imports if i.name == "write"}


def test_upx_packed_pe_is_flagged_with_a_warning() -> None:
    result = analyze_file(BIN / "crackme-upx-x86_64.exe", options=AnalysisOptions(depth="basic"))
    assert result.binary.packer == "upx"
    assert result.binary.format == "pe" and result.binary.arch == "x86_64"
    assert any("UPX" in w for w in result.warnings)
    assert {s.name for s in result.sections} >= {"UPX0", "UPX1"}
    upx1 = next(s for s in result.sections if s.name == "UPX1")
    assert upx1.entropy > 7.0 and "x" in upx1.permissions
    # the unpacker stub is all there is: no crackme function survives packing
    assert "check_password" not in {f.name for f in result.functions}
