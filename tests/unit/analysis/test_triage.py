"""Triage on every hostile input of the corpus and on synthetic headers (exact codes)."""

from __future__ import annotations

import json
import os
import resource
import struct
from pathlib import Path

import pytest

from binscribe.analysis.errors import AnalysisError
from binscribe.analysis.triage import detect_format

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
BAD_EXPECTED: dict[str, str] = json.loads((FIXTURES / "bad_expected.json").read_text())
CRACKME_ELF = FIXTURES / "bin" / "crackme-x86_64.elf"
CRACKME_PE = FIXTURES / "bin" / "crackme-x86_64.exe"


def _code(source: Path | bytes) -> str:
    with pytest.raises(AnalysisError) as caught:
        detect_format(source)
    assert "\n" not in caught.value.message
    return caught.value.code


@pytest.mark.parametrize("name", sorted(BAD_EXPECTED))
def test_hostile_corpus_inputs_get_their_typed_error(name: str) -> None:
    assert _code(FIXTURES / "bad" / name) == BAD_EXPECTED[name]


def test_http_status_follows_the_code() -> None:
    with pytest.raises(AnalysisError) as unsupported:
        detect_format(b"hello world, plain text\n")
    with pytest.raises(AnalysisError) as empty:
        detect_format(b"")
    with pytest.raises(AnalysisError) as corrupt:
        detect_format(CRACKME_ELF.read_bytes()[:40])
    assert (unsupported.value.code, unsupported.value.http_status) == ("unsupported_format", 415)
    assert (empty.value.code, empty.value.http_status) == ("empty_file", 422)
    assert (corrupt.value.code, corrupt.value.http_status) == ("corrupt_binary", 422)
    assert unsupported.value.message == "not an ELF, PE or Mach-O binary (looks like text)"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x7fELF", "corrupt_binary"),
        (b"MZ" + b"\0" * 10, "corrupt_binary"),
        (
            b"MZ" + b"\0" * 0x3A + struct.pack("<I", 0x40) + b"This program cannot be run",
            "unsupported_format",
        ),
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + b"\0" * 64, "unsupported_format"),  # Java class
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x01" + b"\0" * 8, "corrupt_binary"),
        (b"\xcf\xfa\xed\xfe" + b"\0" * 8, "corrupt_binary"),
        (b"\x1f\x8b\x08\x00" + b"\0" * 16, "unsupported_format"),
        (b"#!/bin/sh\necho hi\n", "unsupported_format"),
    ],
)
def test_synthetic_headers(data: bytes, code: str) -> None:
    assert _code(data) == code


def test_pe_with_section_table_past_the_end_is_corrupt() -> None:
    data = CRACKME_PE.read_bytes()
    (lfanew,) = struct.unpack_from("<I", data, 0x3C)
    (opt_size,) = struct.unpack_from("<H", data, lfanew + 20)
    assert _code(data[: lfanew + 24 + opt_size + 8]) == "corrupt_binary"


def test_elf_for_an_unsupported_machine_is_unsupported() -> None:
    data = bytearray(CRACKME_ELF.read_bytes())
    struct.pack_into("<H", data, 18, 8)  # EM_MIPS
    with pytest.raises(AnalysisError) as caught:
        detect_format(bytes(data))
    assert caught.value.code == "unsupported_format"
    assert "machine type 8" in caught.value.message


def test_fixture_binaries_identify() -> None:
    elf = detect_format(CRACKME_ELF)
    pe = detect_format(CRACKME_PE.read_bytes())
    arm = detect_format(FIXTURES / "bin" / "crackme-aarch64.elf")
    x86 = detect_format(FIXTURES / "bin" / "crackme-x86.exe")
    assert (elf.format, elf.arch, elf.bits, elf.endianness, elf.kind, elf.entry_point) == (
        "elf",
        "x86_64",
        64,
        "little",
        "executable",
        0x401070,
    )
    assert (pe.format, pe.arch, pe.bits, pe.kind, pe.entry_point) == (
        "pe",
        "x86_64",
        64,
        "executable",
        0x1400014D0,
    )
    assert (arm.arch, arm.bits) == ("aarch64", 64)
    assert (x86.format, x86.arch, x86.bits) == ("pe", "x86", 32)


def _thin_macho(cpu: int, filetype: int = 2) -> bytes:
    header = struct.pack("<IiIIIII", 0xFEEDFACF, cpu, 0, filetype, 1, 16, 0) + b"\0" * 4
    return header + struct.pack("<II", 0x19, 16) + b"\0" * 8


def test_fat_macho_picks_arm64_by_default_and_lists_slices() -> None:
    x86_64, arm64 = _thin_macho(0x01000007), _thin_macho(0x0100000C, filetype=6)
    fat = struct.pack(">II", 0xCAFEBABE, 2)
    fat += struct.pack(">iIIII", 0x01000007, 3, 64, len(x86_64), 3)
    fat += struct.pack(">iIIII", 0x0100000C, 0, 128, len(arm64), 3)
    data = fat.ljust(64, b"\0") + x86_64.ljust(64, b"\0") + arm64
    default = detect_format(data)
    chosen = detect_format(data, fat_arch="x86_64")
    assert (default.arch, default.kind, default.slice_offset) == ("aarch64", "shared_library", 128)
    assert [s.arch for s in default.fat_slices] == ["x86_64", "aarch64"]
    assert (chosen.arch, chosen.kind, chosen.slice_offset) == ("x86_64", "executable", 64)
    with pytest.raises(AnalysisError) as caught:
        detect_format(data, fat_arch="x86")
    assert caught.value.code == "unsupported_format"


def test_an_arch_for_a_single_architecture_file_must_be_its_own() -> None:
    path = FIXTURES / "bin" / "crackme-aarch64.elf"
    assert detect_format(path, fat_arch="aarch64").arch == "aarch64"
    with pytest.raises(AnalysisError) as caught:
        detect_format(path, fat_arch="x86_64")
    assert caught.value.code == "unsupported_format"
    assert caught.value.message == (
        "no x86_64 code to select: this is a single-architecture aarch64 ELF file"
    )


def test_a_large_file_is_mapped_not_read(tmp_path: Path) -> None:
    """A 1 GiB file (sparse: the crackme, then zeros) is triaged without reading it whole:
    the process's peak resident memory grows by far less than the file."""
    big = tmp_path / "big.elf"
    big.write_bytes((FIXTURES / "bin" / "crackme-x86_64.elf").read_bytes())
    os.truncate(big, 1 << 30)
    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    triage = detect_format(big)
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before_kib) / 1024
    assert (triage.format, triage.arch, triage.kind) == ("elf", "x86_64", "executable")
    assert grown_mib < 20


def test_devices_and_fifos_are_refused_before_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(AnalysisError) as excinfo:
            detect_format(path)
        assert excinfo.value.code == "unsupported_format"
        assert "not a regular file" in excinfo.value.message
