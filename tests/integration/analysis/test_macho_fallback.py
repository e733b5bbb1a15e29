"""Mach-O files cle rejects are mapped as a blob of ``__TEXT`` and still disassemble."""

from __future__ import annotations

import pytest

from binscribe.analysis.loader import load_project
from binscribe.analysis.metadata import read_metadata
from binscribe.analysis.triage import detect_format
from tests.integration.analysis.corpus import FIXTURES


@pytest.mark.slow
def test_blob_fallback_recovers_functions_from_function_starts() -> None:
    data = (FIXTURES / "bin" / "crackme-arm64.macho").read_bytes()
    triage = detect_format(data)
    project, warnings = load_project(data, triage, force_blob=True)
    assert type(project.loader.main_object).__name__ == "Blob"
    assert warnings[0].startswith("the Mach-O loader rejected this file")
    meta = read_metadata(data, triage, load_base=project.loader.main_object.mapped_base)
    assert meta.symbols[0x100000598] == "_check_password"
    cfg = project.analyses.CFGFast(normalize=True, function_starts=meta.function_starts)
    assert {0x100000598, 0x100000628} <= set(cfg.kb.functions)
    block = project.factory.block(0x100000598)
    assert block.capstone.insns[0].mnemonic in {"sub", "stp"}


@pytest.mark.slow
def test_bundle_is_loaded_whole_with_its_stubs_named() -> None:
    """cle refuses MH_BUNDLE; the bundle is loaded as the dylib it is laid out like, so every
    segment is mapped and each ``__stubs`` entry is a PLT stub named after its import
    (llvm-objdump: ``b 0x5c0 ; symbol stub for: _PyModuleDef_Init``)."""
    data = (FIXTURES / "bin" / "pyext-arm64.bundle").read_bytes()
    triage = detect_format(data)
    assert triage.kind == "bundle"
    project, warnings = load_project(data, triage)
    main_object = project.loader.main_object
    assert (type(main_object).__name__, warnings) == ("MachO", [])
    assert {s.segname for s in main_object.segments} >= {"__TEXT", "__DATA_CONST", "__DATA"}
    cfg = project.analyses.CFGFast(normalize=True)
    stub = cfg.kb.functions.function(addr=0x5C0)
    assert (stub.name, stub.is_plt) == ("_PyModuleDef_Init", True)
