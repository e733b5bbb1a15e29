""".NET metadata and CIL of the real sample ``crackme-dotnet.exe`` (source
``tests/fixtures/src/crackme.cs``, ``mcs -deterministic -optimize+``) read with dnfile and dncil;
corrupt metadata is ``corrupt_binary``."""

from __future__ import annotations

import struct
from pathlib import Path

import pefile
import pytest

from binscribe.analysis import AnalysisError
from binscribe.analysis.dotnet import Assembly, read_assembly
from binscribe.analysis.metadata import read_metadata
from binscribe.analysis.models import AssemblyReference, DotNetInfo, Import
from binscribe.analysis.triage import detect_format

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "bin" / "crackme-dotnet.exe"
BASE = 0x400000
CHECK_PASSWORD = """\
0x402051: ldarg.0
0x402052: callvirt System.String::get_Length
0x402057: ldc.i4.8
0x402058: bne.un 0x40206a
0x40205d: ldarg.0
0x40205e: ldstr "r3v3rs3!"
0x402063: call System.String::op_Equality
0x402068: br.s 0x40206b
0x40206a: ldc.i4.0
0x40206b: ret"""


@pytest.fixture(scope="module")
def data() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture(scope="module")
def assembly(data: bytes) -> Assembly:
    return read_assembly(data, BASE)


def _metadata_offset(data: bytes) -> int:
    """File offset of the CLR metadata root (``BSJB``), from the PE headers."""
    pe = pefile.PE(data=data)
    clr = pe.OPTIONAL_HEADER.DATA_DIRECTORY[14]
    (metadata_rva,) = struct.unpack_from("<I", data, pe.get_offset_from_rva(clr.VirtualAddress) + 8)
    offset = pe.get_offset_from_rva(metadata_rva)
    assert data[offset : offset + 4] == b"BSJB"
    return offset


def test_assembly_identity_and_references(assembly: Assembly) -> None:
    assert (assembly.name, assembly.version) == ("crackme-dotnet", "0.0.0.0")
    assert assembly.references == [AssemblyReference(name="mscorlib", version="4.0.0.0")]
    assert assembly.entry_method == "Crackme::Main"
    assert assembly.warnings == []


def test_methods_with_their_cil(assembly: Assembly) -> None:
    check, main = assembly.functions
    assert [f.name for f in assembly.functions] == ["Crackme::CheckPassword", "Crackme::Main"]
    # tiny method headers (1 byte) at 0x402050 and 0x402077: the code starts one byte later
    assert (check.address, check.size, check.instructions, check.blocks) == (0x402051, 27, 10, 4)
    assert (main.address, main.size, main.instructions, main.blocks) == (0x402078, 64, 24, 7)
    assert check.disassembly == CHECK_PASSWORD
    assert '0x4020a0: ldstr "Access granted."' in main.disassembly.splitlines()
    assert "0x402096: call Crackme::CheckPassword" in main.disassembly.splitlines()
    assert check.callees == ["System.String::get_Length", "System.String::op_Equality"]
    assert check.callers == ["Crackme::Main"]
    assert main.callees == [
        "System.Console::ReadLine",
        "Crackme::CheckPassword",
        "System.Console::WriteLine",
    ]
    assert main.callers == []
    assert main.imports == ["System.Console::ReadLine", "System.Console::WriteLine"]
    assert check.strings == [0x402302] and main.strings == [0x402314, 0x402334]
    for func in (check, main):
        assert (func.pseudocode, func.decompile_error, func.is_library, func.is_thumb) == (
            None,
            None,
            False,
            False,
        )
        assert len(func.bytes_sha256) == 64
    assert check.bytes_sha256 != main.bytes_sha256


def test_member_references_are_imports_from_their_assembly(assembly: Assembly) -> None:
    assert [(i.library, i.name) for i in assembly.imports] == [
        ("mscorlib", "System.String::get_Length"),
        ("mscorlib", "System.String::op_Equality"),
        ("mscorlib", "System.Console::ReadLine"),
        ("mscorlib", "System.Console::WriteLine"),
        ("mscorlib", "System.Runtime.CompilerServices.RuntimeCompatibilityAttribute::.ctor"),
    ]
    assert Import(name="System.Console::WriteLine", library="mscorlib") in assembly.imports
    assert all(i.address is None for i in assembly.imports)


def test_user_strings_point_at_their_utf16_text(data: bytes, assembly: Assembly) -> None:
    found = [(s.address, s.value, s.encoding, s.section) for s in assembly.strings]
    assert found == [
        (0x402302, "r3v3rs3!", "utf-16le", ".text"),
        (0x402314, "Access granted.", "utf-16le", ".text"),
        (0x402334, "Access denied.", "utf-16le", ".text"),
    ]
    pe = pefile.PE(data=data)
    for string in assembly.strings:
        offset = pe.get_offset_from_rva(string.address - BASE)
        text = string.value.encode("utf-16-le")
        assert data[offset : offset + len(text)] == text
        assert data[offset - 1] == len(text) + 1  # the #US length prefix (text + flag byte)


def test_addresses_follow_the_image_base(data: bytes) -> None:
    moved = read_assembly(data, 0x10000000)
    assert [f.address for f in moved.functions] == [0x10002051, 0x10002078]
    assert "0x10002058: bne.un 0x1000206a" in moved.functions[0].disassembly
    assert [s.address for s in moved.strings][0] == 0x10002302


def test_read_metadata_carries_the_assembly(data: bytes) -> None:
    meta = read_metadata(data, detect_format(data), load_base=BASE)
    assert meta.language == "dotnet" and meta.assembly is not None
    assert meta.dotnet == DotNetInfo(
        runtime_version="v4.0.30319",
        flags=["il_only"],
        il_only=True,
        assembly_name="crackme-dotnet",
        assembly_version="0.0.0.0",
        references=[AssemblyReference(name="mscorlib", version="4.0.0.0")],
        entry_method="Crackme::Main",
    )
    assert Import(name="_CorExeMain", library="mscoree.dll", address=0x402000) in meta.imports
    assert Import(name="System.Console::WriteLine", library="mscorlib") in meta.imports


def test_documents_without_the_assembly_fields_still_load() -> None:
    old = DotNetInfo.model_validate(
        {"runtime_version": "v4.0.30319", "flags": ["il_only"], "il_only": True}
    )
    assert (old.assembly_name, old.references, old.entry_method) == (None, [], None)


def _corrupt_root(data: bytes) -> bytes:
    """The metadata root signature and version overwritten."""
    at = _metadata_offset(data)
    return data[:at] + b"\xff" * 32 + data[at + 32 :]


def _corrupt_stream_headers(data: bytes) -> bytes:
    """The stream headers (#~, #Strings, #US, #GUID, #Blob) after the root overwritten."""
    at = _metadata_offset(data)
    (version_length,) = struct.unpack_from("<I", data, at + 12)
    headers = at + 16 + version_length + 4
    return data[:headers] + b"\xff" * 64 + data[headers + 64 :]


def _corrupt_tables_header(data: bytes) -> bytes:
    """The #~ stream's header (valid bits, row counts) overwritten: absurd row counts."""
    at = _metadata_offset(data)
    (version_length,) = struct.unpack_from("<I", data, at + 12)
    (tables_offset,) = struct.unpack_from("<I", data, at + 16 + version_length + 4)
    start = at + tables_offset
    return data[:start] + b"\xff" * 24 + data[start + 24 :]


@pytest.mark.parametrize(
    "corrupt", [_corrupt_root, _corrupt_stream_headers, _corrupt_tables_header]
)
def test_corrupt_metadata_is_corrupt_binary(data: bytes, corrupt: object) -> None:
    assert callable(corrupt)
    with pytest.raises(AnalysisError) as caught:
        read_assembly(corrupt(data), BASE)
    assert caught.value.code == "corrupt_binary"
    assert caught.value.message.startswith("the .NET metadata")
    assert "\n" not in caught.value.message


def test_an_undecodable_method_body_is_listed_with_a_warning(data: bytes) -> None:
    pe = pefile.PE(data=data)
    header = pe.get_offset_from_rva(0x2050)  # CheckPassword's tiny header: 0x6e = 27 << 2 | 2
    assert data[header] == 27 << 2 | 2
    broken = read_assembly(data[:header] + b"\x00" + data[header + 1 :], BASE)
    check = broken.functions[0]
    assert (check.name, check.address, check.instructions) == (
        "Crackme::CheckPassword",
        0x402050,
        0,
    )
    assert check.disassembly == "; the CIL body at 0x402050 cannot be decoded"
    assert len(broken.warnings) == 1
    assert broken.warnings[0].startswith(
        "1 CIL method bodies cannot be decoded (obfuscated or encrypted?), "
        "first Crackme::CheckPassword at 0x402050: "
    )
    assert broken.functions[1].callees[1] == "Crackme::CheckPassword"
