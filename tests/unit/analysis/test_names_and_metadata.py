"""Name undecoration, library recognition and LIEF metadata detectors."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from binscribe.analysis.metadata import Metadata, _detect_packer, entropy, read_metadata
from binscribe.analysis.models import Section
from binscribe.analysis.names import display_name, is_library_name
from binscribe.analysis.triage import detect_format

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.mark.parametrize(
    ("raw", "fmt", "bits", "demangled", "expected"),
    [
        ("_main", "pe", 32, None, "main"),
        ("___tmainCRTStartup", "pe", 32, None, "__tmainCRTStartup"),
        ("__gnu_exception_handler@4", "pe", 32, None, "_gnu_exception_handler"),
        ("_main", "pe", 64, None, "_main"),
        ("_check_password", "macho", 64, None, "check_password"),
        ("_ZN3foo3barEv", "elf", 64, "foo::bar()", "foo::bar()"),
        (
            "_ZN4core3fmt5write17h0123456789abcdefE",
            "elf",
            64,
            "core::fmt::write::h0123456789abcdef",
            "core::fmt::write",
        ),
    ],
)
def test_display_name(raw: str, fmt: str, bits: int, demangled: str | None, expected: str) -> None:
    assert display_name(raw, binary_format=fmt, bits=bits, demangled=demangled) == expected  # type: ignore[arg-type]


def test_library_names() -> None:
    assert is_library_name("frame_dummy", language="native")
    assert is_library_name("__libc_csu_init", language="native")
    assert is_library_name("call_weak_fn", language="native")  # glibc crti.o on ARM/AArch64
    assert not is_library_name("check_password", language="native")
    assert not is_library_name("sub_401000", language="native")
    assert is_library_name("runtime.mallocgc", language="go")
    assert not is_library_name("main.main", language="go")
    assert is_library_name("core::fmt::write", language="rust")
    assert not is_library_name("crackme::check", language="rust")


@pytest.mark.parametrize(
    ("name", "library"),
    [
        ("<[u8] as core::fmt::Debug>::fmt", True),
        ("<alloc::vec::Vec<crackme::Item>>::push", True),  # std code instantiated for our type
        ("<gimli::read::abbrev::Abbreviations>::insert", True),
        ("__rustc::__rust_alloc", True),
        ("<u64>::from_ascii_radix", True),
        ("rust_begin_unwind", True),
        ("crackme::main::{closure#0}", False),
        ("<crackme::Config as core::fmt::Display>::fmt", False),  # our impl of a std trait
        ("<alloc::string::String as crackme::Checker>::check", False),  # our trait on String
        ("<std::io::error::Error as core::convert::From<crackme::MyErr>>::from", False),
        ("<core::option::Option<crackme::T> as core::clone::Clone>::clone", True),
        ("<alloc::vec::Vec<u8> as core::fmt::Debug>::fmt", True),
        ("main", False),
    ],
)
def test_rust_library_is_decided_by_the_crate_of_the_functions_own_path(
    name: str, library: bool
) -> None:
    assert is_library_name(name, language="rust") is library


def test_elf_imports_name_the_library_from_symbol_versions() -> None:
    data = Path("/usr/bin/ls").read_bytes()
    meta = read_metadata(data, detect_format(data), load_base=None)
    libraries = {i.name: i.library for i in meta.imports}
    assert libraries["getenv"] == "libc.so.6"
    assert libraries["fgetfilecon"] == "libselinux.so.1"  # versioned LIBSELINUX_1.0
    assert set(libraries.values()) <= {"libc.so.6", "libselinux.so.1", None}
    # the weak untyped references of the C start-up files require no version: no library
    unversioned = {name for name, library in libraries.items() if library is None}
    assert unversioned <= {
        "__gmon_start__",
        "_ITM_deregisterTMCloneTable",
        "_ITM_registerTMCloneTable",
    }


def test_elf_sized_function_symbols_are_extents() -> None:
    data = (FIXTURES / "bin" / "crackme-x86_64.elf").read_bytes()
    meta = read_metadata(data, detect_format(data), load_base=None)
    assert (0x401070, 34, "_start") in meta.extents
    assert (0x401175, 76, "check_password") in meta.extents
    assert all(size > 0 for _, size, _ in meta.extents)


def test_entropy_bounds() -> None:
    assert entropy(b"") == 0.0
    assert entropy(b"\0" * 100) == 0.0
    assert entropy(bytes(range(256)) * 4) == 8.0


def test_go_build_info_is_detected_with_its_version() -> None:
    data = (FIXTURES / "bin" / "crackme-x86_64.elf").read_bytes()
    version = b"go1.22.5"
    buildinfo = b"\xff Go buildinf:" + bytes([8, 2]) + b"\0" * 16 + bytes([len(version)]) + version
    meta = read_metadata(data + buildinfo, detect_format(data), load_base=None)
    assert (meta.language, meta.go_version) == ("go", "go1.22.5")


def test_rust_and_native_languages() -> None:
    data = (FIXTURES / "bin" / "crackme-x86_64.elf").read_bytes()
    triage = detect_format(data)
    assert read_metadata(data, triage, load_base=None).language == "native"
    rust = read_metadata(
        data + b"/rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library", triage, load_base=None
    )
    assert rust.language == "rust"


def test_pe_metadata_and_rebasing() -> None:
    data = (FIXTURES / "bin" / "crackme-x86_64.exe").read_bytes()
    meta = read_metadata(data, detect_format(data), load_base=0x140000000)
    assert (meta.stripped, meta.static, meta.image_base) == (False, False, 0x140000000)
    assert {"kernel32.dll", "msvcrt.dll"} <= set(meta.libraries)
    text = next(s for s in meta.sections if s.name == ".text")
    assert (text.address, text.permissions) == (0x140001000, "r-x")
    moved = read_metadata(data, detect_format(data), load_base=0x150000000)
    assert next(s for s in moved.sections if s.name == ".text").address == 0x150001000


def _meta(*sections: Section) -> Metadata:
    return Metadata(
        stripped=False,
        static=False,
        image_base=0,
        entry_point=None,
        sections=list(sections),
        imports=[],
        exports=[],
        libraries=[],
    )


def test_packer_signatures() -> None:
    upx = _meta(Section(name="UPX1", address=0, size=10, permissions="rwx", entropy=7.9))
    _detect_packer(upx, b"\0" * 64)
    assert upx.packer == "upx"
    assert upx.warnings == ["packed with UPX: the code seen is the unpacker stub"]
    dense = _meta(Section(name=".text", address=0, size=10, permissions="r-x", entropy=7.6))
    _detect_packer(dense, b"\0" * 64)
    assert dense.packer == "unknown"
    assert dense.warnings[0].startswith("executable section .text has entropy above 7.2")
    plain = _meta(Section(name=".text", address=0, size=10, permissions="r-x", entropy=6.1))
    _detect_packer(plain, struct.pack("<I", 1))
    assert (plain.packer, plain.warnings) == (None, [])
