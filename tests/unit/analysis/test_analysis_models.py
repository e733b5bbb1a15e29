"""The result document: strict, versioned, and loads back what it wrote."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from binscribe.analysis.models import (
    AnalysisResult,
    AnalysisStats,
    BinaryInfo,
    Function,
    Import,
    Section,
    StringRef,
)


def _result() -> AnalysisResult:
    binary = BinaryInfo(
        file_name="crackme",
        size=16104,
        sha256="ab" * 32,
        format="elf",
        arch="x86_64",
        bits=64,
        endianness="little",
        kind="executable",
        entry_point=0x401070,
        stripped=False,
        static=False,
    )
    func = Function(
        name="check_password",
        address=0x401175,
        size=76,
        blocks=5,
        instructions=24,
        callers=["main"],
        callees=["strlen"],
        strings=[0x402004],
        imports=["strlen"],
        bytes_sha256="cd" * 32,
        disassembly="0x401175: push rbp\n0x401176: mov rbp, rsp",
        pseudocode=None,
        decompile_error="timed out after 20 s",
    )
    return AnalysisResult(
        engine_version="10.0.5",
        depth="standard",
        binary=binary,
        functions=[func],
        imports=[Import(name="strlen", library="libc.so.6", address=0x401030)],
        sections=[
            Section(name=".text", address=0x401000, size=0x1A5, permissions="r-x", entropy=5.5)
        ],
        strings=[
            StringRef(address=0x402004, value="bad\\xff", encoding="ascii", section=".rodata")
        ],
        notes=["time budget reached"],
        stats=AnalysisStats(functions_total=1, functions_decompiled=0, decompile_failures=1),
    )


def test_json_round_trip_is_lossless() -> None:
    result = _result()
    loaded = AnalysisResult.model_validate_json(result.model_dump_json())
    assert loaded == result
    assert loaded.schema_version == "1"
    assert loaded.engine == "angr"
    assert loaded.function("check_password") == result.functions[0]
    assert loaded.function("missing") is None


def test_unknown_fields_and_other_schema_versions_are_refused() -> None:
    data = _result().model_dump(mode="json")
    data["binary"]["surprise"] = 1
    with pytest.raises(ValidationError):
        AnalysisResult.model_validate(data)
    data = _result().model_dump(mode="json")
    data["schema_version"] = "2"
    with pytest.raises(ValidationError):
        AnalysisResult.model_validate(data)
