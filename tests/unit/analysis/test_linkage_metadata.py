"""Imports, their libraries and exports as LIEF reads them, against the manifests' facts (which
gen_manifests.py read with readelf, objdump and llvm-nm) for the extension-module fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from binscribe.analysis.metadata import read_metadata
from binscribe.analysis.triage import detect_format

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
EXTENSIONS = ["pyext-aarch64.so", "pyext-x86_64.pyd", "pyext-arm64.bundle"]


def _read(name: str) -> tuple[dict, dict[str, str | None], dict[int, str]]:
    manifest = json.loads((FIXTURES / "expected" / f"{name}.json").read_text())
    data = (FIXTURES / "bin" / name).read_bytes()
    meta = read_metadata(data, detect_format(data), load_base=None)
    exports = {e.address: e.name for e in meta.exports}
    return manifest, {i.name: i.library for i in meta.imports}, exports


@pytest.mark.parametrize("name", EXTENSIONS)
def test_extension_imports_have_the_reference_tools_libraries(name: str) -> None:
    manifest, libraries, _ = _read(name)
    assert {n: libraries.get(n, "missing") for n in manifest["import_libraries"]} == (
        manifest["import_libraries"]
    )


def test_untyped_elf_imports_are_imports_without_a_library() -> None:
    """readelf: PyModuleDef_Init and PyUnicode_New are NOTYPE UND, unversioned (the .so was
    linked without libpython); memcpy and strlen are FUNC UND from libc.so.6."""
    _, libraries, _ = _read("pyext-aarch64.so")
    assert libraries["PyModuleDef_Init"] is None
    assert libraries["PyUnicode_New"] is None
    assert libraries["memcpy"] == "libc.so.6"


def test_macho_import_libraries_come_from_two_level_ordinals() -> None:
    _, libraries, _ = _read("pyext-arm64.bundle")
    assert libraries["PyUnicode_New"] == "@rpath/Python3.framework/Versions/3.12/Python3"
    assert libraries["strlen"] == "/usr/lib/libSystem.B.dylib"


@pytest.mark.parametrize("name", EXTENSIONS)
def test_exported_functions_are_exports(name: str) -> None:
    manifest, _, exports = _read(name)
    assert {exports.get(a) for a in manifest["exports"].values()} == set(manifest["exports"])


def test_pe_exports_name_their_addresses_for_the_function_names() -> None:
    data = (FIXTURES / "bin" / "pyext-x86_64.pyd").read_bytes()
    meta = read_metadata(data, detect_format(data), load_base=None)
    manifest = json.loads((FIXTURES / "expected" / "pyext-x86_64.pyd.json").read_text())
    assert meta.symbols == {a: n for n, a in manifest["exports"].items()}
