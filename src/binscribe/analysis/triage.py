"""Fast format triage: is this an ELF, PE or Mach-O we can analyze, and for which architecture?

Pure header parsing with :mod:`struct` (no angr, no LIEF), a few milliseconds even for large
files, so the API can reject non-binaries (415) before queuing a job. Header tables that point
outside the file are ``corrupt_binary``; anything that is not one of the three formats is
``unsupported_format``; zero bytes are ``empty_file``.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import stat
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from binscribe.analysis.errors import AnalysisError
from binscribe.analysis.models import Arch, BinaryFormat, BinaryKind, Endianness, FatSlice

_ELF_MACHINES: dict[int, Arch] = {3: "x86", 62: "x86_64", 40: "arm", 183: "aarch64"}
_PE_MACHINES: dict[int, Arch] = {
    0x14C: "x86",
    0x8664: "x86_64",
    0x1C0: "arm",
    0x1C2: "arm",
    0x1C4: "arm",
    0xAA64: "aarch64",
}
_MACHO_CPUS: dict[int, Arch] = {7: "x86", 0x01000007: "x86_64", 12: "arm", 0x0100000C: "aarch64"}
_MACHO_KINDS: dict[int, BinaryKind] = {
    1: "object",
    2: "executable",
    6: "shared_library",
    8: "bundle",
}
_MACHO_MAGICS = (b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf")
_Data = bytes | mmap.mmap  # the file's bytes, or the file mapped read-only
_FORMAT_NAMES: dict[BinaryFormat, str] = {"elf": "ELF", "pe": "PE", "macho": "Mach-O"}
_FAT_PREFERENCE: tuple[Arch, ...] = ("aarch64", "x86_64")
_OTHER_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a zip archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"%PDF", "a PDF document"),
    (b"!<arch>\n", "an ar archive"),
    (b"#!", "a script"),
    (b"\x7fELF", "an ELF file"),
)


@dataclass(frozen=True)
class Triage:
    """What the headers say. For a fat Mach-O, the fields describe the selected slice, which
    spans ``slice_offset`` .. ``slice_offset + slice_size`` of the file (the whole file
    otherwise); ``fat_slices`` lists all slices."""

    format: BinaryFormat
    arch: Arch
    bits: int
    endianness: Endianness
    kind: BinaryKind
    entry_point: int | None
    slice_offset: int = 0
    slice_size: int = 0
    fat_slices: list[FatSlice] = field(default_factory=list)


def detect_format(source: str | Path | bytes, *, fat_arch: Arch | None = None) -> Triage:
    """Identify ``source`` (a path or the file's bytes).

    A path is memory-mapped, not read: only the header pages are touched, so triaging a
    100 MB upload does not grow the process by 100 MB.
    Raises :class:`AnalysisError` ``empty_file``, ``unsupported_format`` (other formats,
    unsupported architectures, MS-DOS programs, core dumps, devices and FIFOs) or
    ``corrupt_binary`` (truncated or inconsistent headers). ``fat_arch`` picks the slice of a
    fat Mach-O (default: arm64, else x86-64, else the first); for a single-architecture file it
    must name that file's architecture (``unsupported_format`` otherwise).
    """
    if isinstance(source, bytes):
        return _detect(source, fat_arch)
    with _mapped(Path(source)) as data:
        return _detect(data, fat_arch)


def _detect(data: _Data, fat_arch: Arch | None) -> Triage:
    if not data:
        raise AnalysisError("the file is empty", code="empty_file")
    if data[:4] in (b"\xca\xfe\xba\xbe", b"\xca\xfe\xba\xbf"):
        return _fat(data, fat_arch)
    if data[:4] == b"\x7fELF":
        triage = _elf(data)
    elif data[:2] == b"MZ":
        triage = _pe(data)
    elif data[:4] in _MACHO_MAGICS:
        triage = _macho(data, 0, len(data))
    else:
        raise AnalysisError(
            f"not an ELF, PE or Mach-O binary ({_describe(data)})", code="unsupported_format"
        )
    if fat_arch is not None and fat_arch != triage.arch:
        raise AnalysisError(
            f"no {fat_arch} code to select: this is a single-architecture {triage.arch} "
            f"{_FORMAT_NAMES[triage.format]} file",
            code="unsupported_format",
        )
    return triage


@contextlib.contextmanager
def _mapped(path: Path) -> Iterator[_Data]:
    """``path`` mapped read-only (``b""`` when empty), refusing devices, FIFOs and sockets
    (``/dev/zero`` never ends, a FIFO blocks) before opening anything."""
    try:
        is_regular = stat.S_ISREG(path.stat().st_mode)
    except OSError:
        is_regular = True  # let open() raise the precise error (missing, loop, ...)
    if not is_regular:
        raise AnalysisError(
            f"{path} is not a regular file (a device, FIFO or socket)", code="unsupported_format"
        )
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            yield b""
            return
        try:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # a file system that cannot map files: read it
            yield handle.read()
            return
        with mapped:
            yield mapped


def _describe(data: _Data) -> str:
    for magic, name in _OTHER_MAGICS:
        if data[: len(magic)] == magic:
            return f"looks like {name}"
    try:
        text = data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "unrecognized data"
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return "looks like text" if printable >= 0.95 * len(text) else "unrecognized data"


def _corrupt(message: str) -> AnalysisError:
    return AnalysisError(message, code="corrupt_binary")


def _unpack(fmt: str, data: _Data, offset: int, what: str) -> tuple[int, ...]:
    if offset < 0 or offset + struct.calcsize(fmt) > len(data):
        raise _corrupt(f"truncated {what}")
    return struct.unpack_from(fmt, data, offset)


def _elf(data: _Data) -> Triage:
    if len(data) < 16:
        raise _corrupt("truncated ELF header")
    ei_class, ei_data = data[4], data[5]
    if ei_class not in (1, 2) or ei_data not in (1, 2):
        raise _corrupt(f"invalid ELF class {ei_class} or data encoding {ei_data}")
    bits = 32 if ei_class == 1 else 64
    end = "<" if ei_data == 1 else ">"
    addr = "I" if bits == 32 else "Q"
    fields = _unpack(f"{end}HHI{addr}{addr}{addr}IHHHHHH", data, 16, "ELF header")
    e_type, machine, _, entry, phoff, shoff, _, _, phentsize, phnum, shentsize, shnum, shstrndx = (
        fields
    )
    arch = _ELF_MACHINES.get(machine)
    if e_type == 4:
        raise AnalysisError("ELF core dumps are not analyzed", code="unsupported_format")
    if arch is None:
        raise AnalysisError(
            f"ELF for machine type {machine} is not supported (x86, x86-64, ARM, AArch64 are)",
            code="unsupported_format",
        )
    if phnum and phoff + phnum * phentsize > len(data):
        raise _corrupt("ELF program headers extend past the end of the file")
    has_interp = any(
        _unpack(f"{end}I", data, phoff + i * phentsize, "ELF program header")[0] == 3
        for i in range(phnum)
    )
    _check_elf_sections(data, end, bits, shoff, shentsize, shnum, shstrndx)
    kinds: dict[int, BinaryKind] = {1: "object", 2: "executable"}
    kind = kinds.get(e_type, "executable" if has_interp else "shared_library")
    return Triage(
        "elf", arch, bits, "little" if end == "<" else "big", kind, entry or None, 0, len(data)
    )


def _check_elf_sections(
    data: _Data, end: str, bits: int, shoff: int, shentsize: int, shnum: int, shstrndx: int
) -> None:
    if shoff == 0 or shnum == 0:
        return
    expected = 40 if bits == 32 else 64
    if shentsize != expected:
        raise _corrupt(f"ELF section header size {shentsize}, expected {expected}")
    if shoff + shnum * shentsize > len(data):
        raise _corrupt("ELF section headers extend past the end of the file")
    if shstrndx >= shnum and shstrndx != 0xFFFF:
        raise _corrupt("ELF section name table index out of range")
    fmt = f"{end}IIIIIIIIII" if bits == 32 else f"{end}IIQQQQIIQQ"
    for index in range(shnum):
        _, sh_type, _, _, offset, size, *_ = struct.unpack_from(
            fmt, data, shoff + index * shentsize
        )
        if index == shstrndx and sh_type != 3:
            raise _corrupt("ELF section name table is not a string table")
        if sh_type not in (0, 8) and offset + size > len(data):
            raise _corrupt(f"ELF section {index} extends past the end of the file")


def _pe(data: _Data) -> Triage:
    (lfanew,) = _unpack("<I", data, 0x3C, "MS-DOS header")
    if lfanew + 4 > len(data):
        raise _corrupt("PE header offset points past the end of the file")
    if data[lfanew : lfanew + 4] != b"PE\0\0":
        raise AnalysisError("MS-DOS programs are not supported", code="unsupported_format")
    machine, nsections, _, _, _, opt_size, characteristics = _unpack(
        "<HHIIIHH", data, lfanew + 4, "PE file header"
    )
    opt = lfanew + 24
    if opt_size < 28 or opt + opt_size > len(data):
        raise _corrupt("truncated PE optional header")
    (magic,) = _unpack("<H", data, opt, "PE optional header")
    if magic not in (0x10B, 0x20B):
        raise _corrupt(f"invalid PE optional header magic {magic:#x}")
    arch = _PE_MACHINES.get(machine)
    if arch is None:
        raise AnalysisError(
            f"PE for machine {machine:#x} is not supported", code="unsupported_format"
        )
    bits = 32 if magic == 0x10B else 64
    if opt_size < (96 if bits == 32 else 112):
        raise _corrupt("truncated PE optional header")
    (entry_rva,) = _unpack("<I", data, opt + 16, "PE optional header")
    base = _unpack("<I" if bits == 32 else "<Q", data, opt + (28 if bits == 32 else 24), "PE")[0]
    if opt + opt_size + nsections * 40 > len(data):
        raise _corrupt("PE section table extends past the end of the file")
    kind: BinaryKind = "shared_library" if characteristics & 0x2000 else "executable"
    return Triage(
        "pe", arch, bits, "little", kind, base + entry_rva if entry_rva else None, 0, len(data)
    )


def _macho(data: _Data, offset: int, size: int) -> Triage:
    magic = data[offset : offset + 4]
    if magic not in _MACHO_MAGICS:
        raise _corrupt("fat Mach-O slice does not start with a Mach-O header")
    end = "<" if magic[0] in (0xCE, 0xCF) else ">"
    bits = 64 if magic in (b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf") else 32
    cputype, _, filetype, ncmds, sizeofcmds = _unpack(
        f"{end}iIIII", data, offset + 4, "Mach-O header"
    )
    header = 32 if bits == 64 else 28
    if header + sizeofcmds > size or offset + size > len(data):
        raise _corrupt("Mach-O load commands extend past the end of the file")
    arch = _MACHO_CPUS.get(cputype & 0xFFFFFFFF)
    if arch is None:
        raise AnalysisError(
            f"Mach-O for CPU type {cputype:#x} is not supported", code="unsupported_format"
        )
    if ncmds * 8 > sizeofcmds:
        raise _corrupt("Mach-O load command count does not fit the load command area")
    kind = _MACHO_KINDS.get(filetype, "other")
    return Triage("macho", arch, bits, "little" if end == "<" else "big", kind, None, offset, size)


def _fat(data: _Data, fat_arch: Arch | None) -> Triage:
    (nfat,) = _unpack(">I", data, 4, "fat header")
    if nfat >= 45:  # 0xCAFEBABE followed by a class-file version: a Java class
        raise AnalysisError(
            "not an ELF, PE or Mach-O binary (looks like a Java class)", code="unsupported_format"
        )
    if nfat == 0:
        raise _corrupt("fat Mach-O without slices")
    wide = data[3] == 0xBF
    entries = []
    for index in range(nfat):
        if wide:
            cpu, _, off, size, _, _ = _unpack(">iIQQII", data, 8 + index * 32, "fat arch table")
        else:
            cpu, _, off, size, _ = _unpack(">iIIII", data, 8 + index * 20, "fat arch table")
        if off + size > len(data):
            raise _corrupt(f"fat Mach-O slice {index} extends past the end of the file")
        arch = _MACHO_CPUS.get(cpu & 0xFFFFFFFF, f"cpu_{cpu & 0xFFFFFFFF:#x}")
        entries.append(
            FatSlice(arch=arch, bits=64 if cpu & 0x01000000 else 32, offset=off, size=size)
        )
    wanted = (fat_arch,) if fat_arch else _FAT_PREFERENCE
    chosen = next((s for a in wanted for s in entries if s.arch == a), None)
    if chosen is None and fat_arch is None:
        chosen = next((s for s in entries if s.arch in _MACHO_CPUS.values()), None)
    if chosen is None:
        raise AnalysisError(
            f"fat Mach-O has no {fat_arch or 'supported'} slice "
            f"({', '.join(str(s.arch) for s in entries)})",
            code="unsupported_format",
        )
    inner = _macho(data, chosen.offset, chosen.size)
    return Triage(
        inner.format,
        inner.arch,
        inner.bits,
        inner.endianness,
        inner.kind,
        None,
        chosen.offset,
        chosen.size,
        entries,
    )
