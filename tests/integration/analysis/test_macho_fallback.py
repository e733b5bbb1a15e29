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
