"""The real .NET sample through the sandboxed ``analyze_file``: CIL methods as functions, member
references as imports, #US strings referenced by the methods, and corrupt metadata refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from binscribe.analysis import AnalysisError, AnalysisOptions, AnalysisResult, analyze_file
from binscribe.analysis.models import AssemblyReference, Import

BIN = Path(__file__).resolve().parents[2] / "fixtures" / "bin"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def result() -> AnalysisResult:
    return analyze_file(BIN / "crackme-dotnet.exe", options=AnalysisOptions(depth="standard"))


def test_methods_are_functions_with_cil(result: AnalysisResult) -> None:
    assert result.binary.language == "dotnet" and result.binary.dotnet is not None
    dotnet = result.binary.dotnet
    assert (dotnet.assembly_name, dotnet.assembly_version, dotnet.entry_method) == (
        "crackme-dotnet",
        "0.0.0.0",
        "Crackme::Main",
    )
    assert dotnet.references == [AssemblyReference(name="mscorlib", version="4.0.0.0")]
    assert [(f.name, f.address, f.size) for f in result.functions] == [
        ("Crackme::CheckPassword", 0x402051, 27),
        ("Crackme::Main", 0x402078, 64),
    ]
    check = result.function("Crackme::CheckPassword")
    assert check is not None and check.callers == ["Crackme::Main"]
    assert '0x40205e: ldstr "r3v3rs3!"' in check.disassembly
    assert "0x402063: call System.String::op_Equality" in check.disassembly
    assert all(f.pseudocode is None and f.decompile_error is None for f in result.functions)
    assert (result.stats.functions_total, result.stats.functions_decompiled) == (2, 0)
    assert "load" in result.stats.stage_seconds


def test_imports_strings_and_warning(result: AnalysisResult) -> None:
    assert result.imports[0] == Import(name="_CorExeMain", library="mscoree.dll", address=0x402000)
    assert Import(name="System.Console::WriteLine", library="mscorlib") in result.imports
    assert Import(name="System.String::op_Equality", library="mscorlib") in result.imports
    literals = {s.value: s for s in result.strings if s.encoding == "utf-16le"}
    check, main = result.functions
    assert (literals["r3v3rs3!"].address, literals["r3v3rs3!"].referenced_by) == (
        0x402302,
        [check.address],
    )
    assert literals["Access granted."].referenced_by == [main.address]
    assert literals["Access denied."].referenced_by == [main.address]
    assert "VS_VERSION_INFO" in literals  # the resource strings are still found
    assert [s.address for s in result.strings] == sorted(s.address for s in result.strings)
    assert result.warnings == [
        ".NET assembly: CIL is not native code; its methods are listed with their CIL "
        "disassembly, not decompiled"
    ]
    assert AnalysisResult.model_validate_json(result.model_dump_json()) == result


def test_corrupt_metadata_is_refused_with_one_line(tmp_path: Path) -> None:
    data = (BIN / "crackme-dotnet.exe").read_bytes()
    at = data.index(b"BSJB")
    path = tmp_path / "corrupt-dotnet.exe"
    path.write_bytes(data[:at] + b"\xff" * 64 + data[at + 64 :])
    with pytest.raises(AnalysisError) as caught:
        analyze_file(path, options=AnalysisOptions(depth="basic"))
    assert caught.value.code == "corrupt_binary"
    assert caught.value.message == "the .NET metadata cannot be parsed"
