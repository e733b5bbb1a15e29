"""Binaries not written here: /usr/bin programs and pip's Windows launchers (properties only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from binscribe.analysis import AnalysisOptions, AnalysisResult, analyze_file
from tests.integration.analysis.corpus import LAUNCHERS, distlib_dir

USR_BIN = ["/usr/bin/gzip", "/usr/bin/ls", "/usr/bin/cat"]
LAUNCHER_ARCH = {"t32.exe": ("x86", 32), "t64.exe": ("x86_64", 64), "t64-arm.exe": ("aarch64", 64)}
SAMPLE = 8  # functions decompiled per binary, enough to judge "most"


def _analyze(path: str | Path) -> AnalysisResult:
    """Basic analysis, then decompile SAMPLE mid-sized program functions (the largest ones
    legitimately hit the 20 s per-function timeout on a loaded 2-core machine)."""
    basic = analyze_file(path, options=AnalysisOptions(depth="basic"))
    program = sorted((f for f in basic.functions if not f.is_library), key=lambda f: f.size)
    middle = len(program) // 2
    sample = [f.name for f in program[middle - SAMPLE // 2 : middle + SAMPLE // 2]]
    result = analyze_file(path, options=AnalysisOptions(depth="standard", only_functions=sample))
    assert [f.name for f in result.functions] == [f.name for f in basic.functions]
    return result


def _check_common(result: AnalysisResult) -> None:
    funcs = result.functions
    assert result.stats.functions_total == len(funcs) > 20
    assert len({f.address for f in funcs}) == len(funcs)
    assert all(f.disassembly and f.instructions > 0 and len(f.bytes_sha256) == 64 for f in funcs)
    attempted = [f for f in funcs if f.pseudocode is not None or f.decompile_error is not None]
    assert len(attempted) == SAMPLE
    assert sum(f.pseudocode is not None for f in attempted) >= 0.75 * SAMPLE
    assert result.stats.functions_decompiled == sum(f.pseudocode is not None for f in funcs)
    assert any(s.referenced_by for s in result.strings)
    text = [s for s in result.sections if "x" in s.permissions]
    assert text and all(0.0 < s.entropy < 8.0 for s in text)
    assert AnalysisResult.model_validate_json(result.model_dump_json()) == result


@pytest.mark.slow
@pytest.mark.parametrize("path", USR_BIN, ids=[Path(p).name for p in USR_BIN])
def test_usr_bin_programs(path: str) -> None:
    result = _analyze(path)
    info = result.binary
    assert (info.format, info.arch, info.bits, info.endianness) == ("elf", "x86_64", 64, "little")
    assert (info.stripped, info.static, info.language) == (True, False, "native")
    libraries = {i.name: i.library for i in result.imports}  # from the symbol versions
    assert libraries["__libc_start_main"] == "libc.so.6"
    assert {"malloc", "free"} <= libraries.keys()
    assert any(i.address is not None for i in result.imports)  # PLT stubs found by the CFG
    _check_common(result)


@pytest.mark.slow
@pytest.mark.parametrize("name", LAUNCHERS)
def test_pip_windows_launchers(name: str) -> None:
    result = _analyze(distlib_dir() / name)
    info = result.binary
    assert (info.format, info.kind, info.endianness) == ("pe", "executable", "little")
    assert (info.arch, info.bits) == LAUNCHER_ARCH[name]
    assert info.stripped is True
    libraries = {i.library for i in result.imports}
    assert "kernel32.dll" in libraries
    assert {"CreateProcessW", "GetModuleFileNameW"} <= {i.name for i in result.imports}
    assert all(i.address is not None for i in result.imports)
    _check_common(result)
