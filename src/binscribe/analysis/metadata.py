"""File metadata read with LIEF: sections, imports, exports, symbols and special kinds.

LIEF covers what angr's loader does not: the .NET CLR header, Go build info, packer traces and
Mach-O details. Addresses are returned relative to ``load_base`` (where angr mapped the image),
so they agree with the function addresses angr reports.
"""

from __future__ import annotations

import math
import struct
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import lief

from binscribe.analysis.dotnet import Assembly, read_assembly
from binscribe.analysis.errors import AnalysisError
from binscribe.analysis.models import DotNetInfo, Export, Import, Language, Section
from binscribe.analysis.triage import Triage

_GO_BUILDINFO = b"\xff Go buildinf:"
_CLR_FLAGS = {
    1: "il_only",
    2: "32bit_required",
    8: "strong_name_signed",
    0x10: "native_entry",
    0x20000: "32bit_preferred",
}
PACKED_ENTROPY = 7.2
_NO_STRINGS = (
    ".dyn",
    ".gnu",
    ".hash",
    ".rel",
    ".eh_frame",
    ".note",
    ".interp",
    ".init_array",
    ".fini_array",
    ".got",
    ".plt",
    ".idata",
    ".reloc",
    ".pdata",
    ".xdata",
    ".tls",
    ".CRT",
    ".edata",
    ".symtab",
    ".strtab",
    ".shstrtab",
    "__stub",
    "__got",
    "__la_symbol_ptr",
    "__nl_symbol_ptr",
    "__unwind_info",
    "__eh_frame",
    "__text",
)


@dataclass
class Metadata:
    """What LIEF read; addresses already shifted to the angr load base.

    ``symbols``: address -> raw name the loader does not give a function: Mach-O local symbols
    (cle ignores them) and PE exports (cle names functions after COFF symbols only).
    ``extents``: (start, size in bytes, raw name) of sized function symbols (ELF ``.symtab``),
    which tell a fragment angr split off a function from a function of its own.
    """

    stripped: bool
    static: bool
    image_base: int
    entry_point: int | None
    sections: list[Section]
    imports: list[Import]
    exports: list[Export]
    libraries: list[str]
    language: Language = "native"
    packer: str | None = None
    dotnet: DotNetInfo | None = None
    assembly: Assembly | None = None
    go_version: str | None = None
    function_starts: list[int] = field(default_factory=list)
    regions: list[tuple[str, int, bytes]] = field(default_factory=list)
    symbols: dict[int, str] = field(default_factory=dict)
    extents: list[tuple[int, int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def entropy(data: bytes) -> float:
    """Shannon entropy of ``data`` in bits per byte (0.0 for empty input)."""
    if not data:
        return 0.0
    total = len(data)
    return -sum(n / total * math.log2(n / total) for n in Counter(data).values())


def read_metadata(data: bytes, triage: Triage, *, load_base: int | None) -> Metadata:
    """Parse ``data`` (the file, or the selected fat slice) with LIEF.

    ``load_base``: where angr mapped the image (``None``: keep the file's own addresses).
    Raises :class:`AnalysisError` ``corrupt_binary`` when LIEF cannot parse the headers.
    """
    lief.logging.disable()
    # LIEF's stubs type names as ``str | bytes`` and most getters as optional; they are not
    # for these headers, so LIEF objects are handled as ``Any`` here.
    binary: Any = lief.parse(data)
    if isinstance(binary, lief.MachO.FatBinary):
        binary = binary.at(0)
    if binary is None:
        raise AnalysisError(f"the {triage.format} headers cannot be parsed", code="corrupt_binary")
    own_base = binary.imagebase
    shift = 0 if load_base is None else load_base - own_base
    if isinstance(binary, lief.PE.Binary):
        meta = _pe(binary, data, shift)
    elif isinstance(binary, lief.ELF.Binary):
        meta = _elf(binary, shift)
    else:
        meta = _macho(binary, shift)
    _detect_language(meta, data)
    _detect_packer(meta, data)
    return meta


def _perm(read: bool, write: bool, execute: bool) -> str:
    return ("r" if read else "-") + ("w" if write else "-") + ("x" if execute else "-")


def _elf(binary: Any, shift: int) -> Metadata:
    flags = lief.ELF.Section.FLAGS
    sections = [
        Section(
            name=s.name,
            address=s.virtual_address + shift,
            size=s.size,
            permissions=_perm(s.has(flags.ALLOC), s.has(flags.WRITE), s.has(flags.EXECINSTR)),
            entropy=round(s.entropy, 3),
        )
        for s in binary.sections
        if s.name and s.has(flags.ALLOC)
    ]
    libraries = list(binary.libraries)
    imports = _elf_imports(binary, libraries)
    exports = [
        Export(name=s.name, address=s.value + shift)
        for s in binary.dynamic_symbols
        if s.exported and s.name and s.value
    ]
    regions = [
        (s.name, s.virtual_address + shift, bytes(s.content))
        for s in binary.sections
        if s.has(flags.ALLOC)
        and not s.has(flags.EXECINSTR)
        and s.type != lief.ELF.Section.TYPE.NOBITS
        and not s.name.startswith(_NO_STRINGS)
    ]
    return Metadata(
        stripped=not binary.has_section(".symtab"),
        static=not binary.has_interpreter and not libraries,
        image_base=binary.imagebase + shift,
        entry_point=binary.entrypoint + shift if binary.entrypoint else None,
        sections=sections,
        imports=imports,
        exports=exports,
        libraries=libraries,
        regions=regions,
        extents=[
            (s.value + shift, s.size, s.name)
            for s in binary.symtab_symbols
            if s.is_function and s.value and s.size and s.name
        ],
    )


def _elf_imports(binary: Any, libraries: list[str]) -> list[Import]:
    """Imported functions: undefined dynamic symbols of type ``FUNC`` or ``NOTYPE`` (a shared
    object linked without the library that defines a symbol, such as a Python extension's
    ``PyModuleDef_Init``, records it untyped), each with the shared object that provides it.

    The library comes from the symbol's version requirement (``puts@GLIBC_2.2.5`` is
    required from ``libc.so.6``); an unversioned import gets the only ``DT_NEEDED`` library
    when there is exactly one and the file requires no versions at all, else ``None`` (the
    dynamic linker searches them all, and the interpreter loading an extension provides its
    symbols).
    """
    by_version = {
        aux.other: requirement.name
        for requirement in binary.symbols_version_requirement
        for aux in requirement.get_auxiliary_symbols()
    }
    only = libraries[0] if len(libraries) == 1 and not by_version else None
    untyped = lief.ELF.Symbol.TYPE.NOTYPE
    imports: dict[str, Import] = {}
    for symbol in binary.dynamic_symbols:
        undefined = symbol.shndx == 0 and symbol.binding != lief.ELF.Symbol.BINDING.LOCAL
        if not (undefined and (symbol.is_function or symbol.type == untyped) and symbol.name):
            continue
        name = symbol.name.split("@")[0]
        version = symbol.symbol_version
        # bit 15 of a version index marks a hidden version: not part of the index
        library = by_version.get(version.value & 0x7FFF, only) if version is not None else only
        imports.setdefault(name, Import(name=name, library=library))
    return list(imports.values())


def _pe(binary: Any, data: bytes, shift: int) -> Metadata:
    chars = lief.PE.Section.CHARACTERISTICS
    base = binary.imagebase + shift
    sections = [
        Section(
            name=s.name,
            address=base + s.virtual_address,
            size=s.virtual_size or s.size,
            permissions=_perm(
                s.has_characteristic(chars.MEM_READ),
                s.has_characteristic(chars.MEM_WRITE),
                s.has_characteristic(chars.MEM_EXECUTE),
            ),
            entropy=round(s.entropy, 3),
        )
        for s in binary.sections
    ]
    imports = [
        Import(name=e.name, library=imp.name.lower(), address=base + e.iat_address)
        for imp in binary.imports
        for e in imp.entries
        if e.name
    ]
    exports = []
    if binary.has_exports:
        exports = [
            Export(name=e.name, address=base + e.address)
            for e in binary.get_export().entries
            if e.name and not e.is_extern
        ]
    meta = Metadata(
        stripped=binary.header.numberof_symbols == 0,
        static=not imports,
        image_base=base,
        entry_point=base + binary.optional_header.addressof_entrypoint
        if binary.optional_header.addressof_entrypoint
        else None,
        sections=sections,
        imports=imports,
        exports=exports,
        libraries=sorted({imp.name.lower() for imp in binary.imports}),
        symbols={e.address: e.name for e in exports},
        regions=[
            (s.name, base + s.virtual_address, bytes(s.content))
            for s in binary.sections
            if not s.has_characteristic(chars.MEM_EXECUTE) and not s.name.startswith(_NO_STRINGS)
        ],
    )
    clr = binary.data_directory(lief.PE.DataDirectory.TYPES.CLR_RUNTIME_HEADER)
    if clr.rva and clr.size:
        meta.dotnet, meta.assembly = _dotnet(binary, data, clr.rva, base)
        meta.imports += meta.assembly.imports
        meta.warnings += meta.assembly.warnings
        meta.language = "dotnet"
    return meta


def _dotnet(binary: Any, data: bytes, rva: int, base: int) -> tuple[DotNetInfo, Assembly]:
    """CLR header facts plus the assembly's metadata and CIL methods (see :func:`read_assembly`)."""
    offset = binary.rva_to_offset(rva)
    try:
        _, major, minor, md_rva, _, flags = struct.unpack_from("<IHHIII", data, offset)
        md = binary.rva_to_offset(md_rva)
        signature, _, _, _, length = struct.unpack_from("<IHHII", data, md)
        version = data[md + 16 : md + 16 + length].split(b"\0")[0].decode("ascii", "replace")
    except struct.error as exc:
        raise AnalysisError("the .NET CLR header is truncated", code="corrupt_binary") from exc
    if signature != 0x424A5342:
        version = f"{major}.{minor}"
    names = [name for bit, name in _CLR_FLAGS.items() if flags & bit]
    assembly = read_assembly(data, base)
    info = DotNetInfo(
        runtime_version=version,
        flags=names,
        il_only=bool(flags & 1),
        assembly_name=assembly.name,
        assembly_version=assembly.version,
        references=assembly.references,
        entry_method=assembly.entry_method,
    )
    return info, assembly


def _macho(binary: Any, shift: int) -> Metadata:
    sections, regions = [], []
    for segment in binary.segments:
        prot = segment.init_protection
        for s in segment.sections:
            sections.append(
                Section(
                    name=f"{segment.name},{s.name}",
                    address=s.virtual_address + shift,
                    size=s.size,
                    permissions=_perm(bool(prot & 1), bool(prot & 2), bool(prot & 4)),
                    entropy=round(entropy(bytes(s.content)), 3),
                )
            )
            if not s.name.startswith(_NO_STRINGS):
                regions.append((s.name, s.virtual_address + shift, bytes(s.content)))
    libraries = [lib.name for lib in binary.libraries]
    symbols = list(binary.symbols)
    # two-level namespace: an undefined symbol's library ordinal (1-based) names the dylib it
    # binds to; 0 (self), 0xfe (flat lookup) and 0xff (the main executable) name none
    ordinals = {
        s.name: s.library_ordinal
        for s in symbols
        if s.type == lief.MachO.Symbol.TYPE.UNDEFINED and 0 < s.library_ordinal <= len(libraries)
    }
    local = [s for s in symbols if s.type == lief.MachO.Symbol.TYPE.SECTION and not s.is_external]
    starts = binary.function_starts.functions if binary.has_function_starts else []
    base = binary.imagebase
    return Metadata(
        stripped=not local and not binary.exported_functions,
        static=not libraries,
        image_base=base + shift,
        entry_point=binary.entrypoint + shift if binary.entrypoint else None,
        sections=sections,
        imports=[
            Import(
                name=_undecorate(f.name),
                library=libraries[ordinals[f.name] - 1] if f.name in ordinals else None,
            )
            for f in binary.imported_functions
        ],
        exports=[
            Export(name=_undecorate(f.name), address=f.address + shift)
            for f in binary.exported_functions
        ],
        libraries=libraries,
        function_starts=[base + shift + start for start in starts],
        regions=regions,
        symbols={
            s.value + shift: s.name
            for s in symbols
            if s.value and s.name and s.type == lief.MachO.Symbol.TYPE.SECTION
        },
    )


def _undecorate(name: str) -> str:
    """Mach-O C symbols carry a leading underscore: ``_puts`` is ``puts``."""
    return name[1:] if name.startswith("_") else name


def _detect_language(meta: Metadata, data: bytes) -> None:
    if meta.language == "dotnet":
        return
    names = {s.name for s in meta.sections}
    at = data.find(_GO_BUILDINFO)
    if at >= 0 or ".gopclntab" in names or any("__gopclntab" in n for n in names):
        meta.language = "go"
        meta.go_version = _go_version(data, at) if at >= 0 else None
    elif b"/rustc/" in data or b"rust_begin_unwind" in data or b"rust_panic" in data:
        meta.language = "rust"


def _go_version(data: bytes, at: int) -> str | None:
    """Go >= 1.18 inline build info: 16-byte header, flags bit 2, then varint-prefixed strings."""
    if at + 33 > len(data) or not data[at + 15] & 2:
        return None
    pos, length, shift = at + 32, 0, 0
    while pos < len(data) and shift < 35:
        byte = data[pos]
        length |= (byte & 0x7F) << shift
        pos, shift = pos + 1, shift + 7
        if byte < 0x80:
            break
    version = data[pos : pos + length].decode("utf-8", "replace")
    return version if version.startswith("go") else None


def _detect_packer(meta: Metadata, data: bytes) -> None:
    names = {s.name.upper() for s in meta.sections}
    if names & {"UPX0", "UPX1", ".UPX0", ".UPX1"} or b"UPX!" in data[:4096]:
        meta.packer = "upx"
        meta.warnings.append("packed with UPX: the code seen is the unpacker stub")
        return
    dense = [s.name for s in meta.sections if "x" in s.permissions and s.entropy > PACKED_ENTROPY]
    if dense:
        meta.packer = "unknown"
        meta.warnings.append(
            f"executable section {', '.join(dense)} has entropy above {PACKED_ENTROPY}: "
            "probably packed or encrypted code"
        )
