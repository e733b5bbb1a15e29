"""The one data-driven test over tests/fixtures/expected/*.json (schema: tests/fixtures/README.md).

Callers and callees in a manifest must all be present (angr may find more, e.g. MinGW's
``__acrt_iob_func`` behind ``stdin``); so must its cross-references by address: each call site
(instruction address -> callee) among the function's ``calls`` or ``import_refs``, each caller's
address among its ``caller_addresses``, each string reference (instruction address -> literal)
among its ``string_refs``. Every other fact is compared exactly. Addresses of a shared
object linked at ``image_base`` are compared after moving them to where the loader mapped it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from binscribe.analysis import AnalysisOptions, AnalysisResult, Function, StringRef, analyze_file
from tests.integration.analysis.corpus import FIXTURES

MANIFESTS = sorted((FIXTURES / "expected").glob("*.json"))


def _analyze(manifest: dict) -> AnalysisResult:
    wanted = sorted(manifest.get("pseudocode_contains", {}))
    options = (
        AnalysisOptions(depth="standard", only_functions=wanted)
        if wanted
        else AnalysisOptions(depth="basic")
    )
    return analyze_file(FIXTURES / manifest["file"], options=options)


def _check_xrefs(result: AnalysisResult, func: Function, expected: dict, shift: int) -> None:
    """The manifest's call sites, callers and string references of ``func``, by address
    (manifest addresses moved by ``shift``, where the loader mapped the file)."""
    names = {f.address: f.name for f in result.functions}
    sites = {(c.address, names[c.target]) for c in func.calls}
    sites |= {(r.address, r.name) for r in func.import_refs}
    wanted = {(int(a, 16) + shift, callee) for a, callee in expected.get("call_sites", {}).items()}
    assert wanted <= sites, (func.name, sorted(wanted - sites))
    for caller in expected.get("callers", []):
        found = result.function(caller)
        assert found is not None and found.address in func.caller_addresses, (func.name, caller)
    values = {s.address: s.value for s in result.strings}
    loads = {(r.address, values[r.target]) for r in func.string_refs}
    wanted = {(int(a, 16) + shift, value) for a, value in expected.get("string_refs", {}).items()}
    assert wanted <= loads, (func.name, sorted(wanted - loads))
    for address, target in {(r.address, r.target) for r in func.string_refs}:
        assert func.address in _string(result, target).referenced_by, (func.name, address)
    for ref in func.import_refs:
        imported = [i for i in result.imports if i.name == ref.name]
        assert imported and all(func.address in i.referenced_by for i in imported), ref


def _string(result: AnalysisResult, address: int) -> StringRef:
    return next(s for s in result.strings if s.address == address)


@pytest.mark.slow
@pytest.mark.parametrize("manifest_path", MANIFESTS, ids=[p.stem for p in MANIFESTS])
def test_fixture_manifest(manifest_path: Path) -> None:
    manifest = json.loads(manifest_path.read_text())
    result = _analyze(manifest)
    info = result.binary
    facts = (info.format, info.arch, info.bits, info.endianness, info.stripped, info.static)
    assert facts == (
        manifest["format"],
        manifest["arch"],
        manifest["bits"],
        manifest["endianness"],
        manifest["stripped"],
        manifest["static"],
    )
    assert info.entry_point == manifest.get("entry_point")  # none in a .so or a bundle
    assert info.image_base is not None
    shift = info.image_base - manifest.get("image_base", info.image_base)
    for name, expected in manifest["functions"].items():
        func = result.function(name)
        assert func is not None, f"function {name} not recovered"
        assert func.address == expected["address"] + shift, name
        assert set(expected.get("callers", [])) <= set(func.callers), (name, func.callers)
        assert set(expected.get("callees", [])) <= set(func.callees), (name, func.callees)
        called_imports = set(expected.get("callees", [])) & set(manifest["imports"])
        assert called_imports <= set(func.imports), (name, func.imports)
        assert func.disassembly.startswith(f"{func.address:#x}: ")
        _check_xrefs(result, func, expected, shift)
    for name, address in manifest.get("exports", {}).items():
        func = result.function(name)
        assert func is not None, f"exported function {name} not recovered or not named"
        assert func.address == address + shift, name
    for name in manifest.get("library_functions", []):
        func = result.function(name)
        assert func is not None and func.is_library, (name, func)
    starts = {func.address for func in result.functions}
    assert not {address + shift for address in manifest.get("lone_traps", [])} & starts
    for name, substrings in manifest.get("pseudocode_contains", {}).items():
        func = result.function(name)
        assert func is not None and func.pseudocode is not None, (
            name,
            func and func.decompile_error,
        )
        for text in substrings:
            assert text in func.pseudocode, (name, text)
    imports = {item.name for item in result.imports}
    assert set(manifest["imports"]) <= imports
    libraries = {item.name: item.library for item in result.imports}
    for name, library in manifest.get("import_libraries", {}).items():
        assert libraries[name] == library, name
    values = {s.value for s in result.strings}
    assert set(manifest["strings"]) <= values
    wide = {s.value for s in result.strings if s.encoding == "utf-16le"}
    assert set(manifest.get("utf16_strings", [])) <= wide
    assert AnalysisResult.model_validate_json(result.model_dump_json()) == result
