""".NET assemblies: metadata tables with dnfile, per-method CIL disassembly with dncil.

Addresses are virtual addresses at ``image_base`` (image base + RVA). A method's ``address`` is
that of its first CIL instruction (after the 1- or 12-byte method header) and its ``size`` is
the CIL code size, so ``[address, address + size)`` is exactly its code. Names are
``Namespace.Type::Method``; nested types read ``Namespace.Outer/Inner`` and a second method of the
same name in a type (an overload) gets ``#2``, ``#3``... Nothing here imports angr.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import struct
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import dnfile
from dncil.cil.body import CilMethodBody
from dncil.cil.body.reader import CilMethodBodyReaderBase
from dncil.cil.enums import FlowControl, OpCodeValue, OperandType
from dncil.cil.error import MethodBodyFormatError
from dncil.cil.instruction import Instruction
from dncil.clr.argument import Argument
from dncil.clr.local import Local
from dncil.clr.token import StringToken, Token
from pefile import DIRECTORY_ENTRY, PEFormatError

from binscribe.analysis.errors import AnalysisError, exception_detail
from binscribe.analysis.models import AssemblyReference, Function, Import
from binscribe.analysis.strings import FoundString

log = logging.getLogger(__name__)
logging.getLogger("dnfile").setLevel(logging.ERROR)  # it warns about every oddity it tolerates

# Hostile metadata makes dnfile fail in many ways (it even asserts on unknown table numbers);
# each becomes ``corrupt_binary`` (found by fuzzing the sample's metadata).
_BROKEN = (
    dnfile.errors.dnFormatError,
    PEFormatError,
    struct.error,
    ValueError,
    TypeError,
    IndexError,
    KeyError,
    AttributeError,
    OverflowError,
    AssertionError,
)
_TYPEDEF, _TYPEREF, _METHOD, _FIELD, _MEMBERREF, _MODULEREF, _TYPESPEC, _METHODSPEC = (
    2,
    1,
    6,
    4,
    10,
    26,
    27,
    43,
)
_ENDS_BLOCK = {FlowControl.Branch, FlowControl.Cond_Branch, FlowControl.Return, FlowControl.Throw}
_CALLS = {
    OpCodeValue.Call,
    OpCodeValue.Callvirt,
    OpCodeValue.Newobj,
    OpCodeValue.Jmp,
    OpCodeValue.Ldftn,
    OpCodeValue.Ldvirtftn,
}


@dataclass
class Assembly:
    """What :func:`read_assembly` found. ``functions`` are the methods with a CIL body;
    ``imports`` the external member references (``library`` = assembly name) and P/Invoke
    targets (``library`` = DLL); ``strings`` the #US heap entries in address order."""

    name: str | None
    version: str | None
    references: list[AssemblyReference]
    entry_method: str | None
    functions: list[Function]
    imports: list[Import]
    strings: list[FoundString]
    warnings: list[str] = field(default_factory=list)


def read_assembly(data: bytes, image_base: int) -> Assembly:
    """Read the .NET metadata and every method body of the PE file ``data``.

    ``image_base``: where the image is mapped (addresses are ``image_base + RVA``). A method
    body that cannot be decoded is listed with a one-line note as its disassembly (and a
    warning). Raises :class:`AnalysisError` ``corrupt_binary`` when the CLR metadata (root,
    stream headers, tables) cannot be parsed.
    """
    try:
        pe = dnfile.dnPE(data=data, fast_load=True)
        pe.parse_data_directories(
            directories=[DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR"]]
        )
        net = pe.net
        if net is None or net.mdtables is None or not _rows(net.mdtables, 0):
            raise AnalysisError("the .NET metadata cannot be parsed", code="corrupt_binary")
        return _Reader(pe, data, image_base).assembly()
    except _BROKEN as exc:  # logged with its trace: a bug of ours would look the same
        log.info("the .NET metadata could not be read", exc_info=True)
        raise AnalysisError(
            f"the .NET metadata is corrupt ({type(exc).__name__})", code="corrupt_binary"
        ) from exc


def _rows(tables: Any, number: int) -> list[Any]:
    table = tables.tables.get(number)
    return list(table.rows) if table is not None and table.rows else []


def _ref(index: Any) -> tuple[int, int]:
    """(table number, row index) of a dnfile (coded) index; (-1, 0) when it names no table."""
    if index is None or index.table is None:
        return -1, 0
    return index.table.number, index.row_index


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _version(row: Any) -> str:
    return f"{row.MajorVersion}.{row.MinorVersion}.{row.BuildNumber}.{row.RevisionNumber}"


def _generic_base(typespec: Any) -> tuple[int, int]:
    """(TypeDef or TypeRef, row) of a ``GENERICINST`` TypeSpec (``List<string>`` ->
    ``List`1``); (-1, 0) for other type specs (arrays, pointers, generic parameters)."""
    blob = getattr(typespec.Signature, "value", None) or b""
    if len(blob) < 3 or blob[0] != 0x15 or blob[1] not in (0x11, 0x12):
        return -1, 0
    first = blob[2]  # ECMA-335 II.23.2 compressed unsigned integer, a TypeDefOrRef coded index
    if first < 0x80:
        coded = first
    elif first < 0xC0:
        coded = (first & 0x3F) << 8 | (blob[3] if len(blob) > 3 else 0)
    else:
        coded = int.from_bytes(bytes([first & 0x1F]) + blob[3:6], "big")
    return {0: (_TYPEDEF, coded >> 2), 1: (_TYPEREF, coded >> 2)}.get(coded & 3, (-1, 0))


class _BodyReader(CilMethodBodyReaderBase):
    """dncil reader over the whole file, with offsets relative to one method body."""

    def __init__(self, stream: io.BytesIO, start: int) -> None:
        self.stream, self.start = stream, start
        stream.seek(start)

    def read(self, n: int) -> bytes:
        return self.stream.read(n)

    def tell(self) -> int:
        return self.stream.tell() - self.start

    def seek(self, rva: int) -> int:
        return self.stream.seek(self.start + rva) - self.start


class _Reader:
    """Names for metadata tokens, then the functions, imports and strings of one assembly."""

    def __init__(self, pe: Any, data: bytes, image_base: int) -> None:
        self.pe, self.base, self.stream = pe, image_base, io.BytesIO(data)
        self.tables = pe.net.mdtables
        self.nested = {
            _ref(row.NestedClass)[1]: _ref(row.EnclosingClass)[1] for row in _rows(self.tables, 41)
        }
        self.owner: dict[tuple[int, int], int] = {}  # (Method/Field, row) -> TypeDef row
        for type_rid, row in enumerate(_rows(self.tables, _TYPEDEF), start=1):
            for index in [*(row.MethodList or []), *(row.FieldList or [])]:
                self.owner[_ref(index)] = type_rid
        self.method_names: dict[int, str] = {}
        seen: Counter[str] = Counter()
        for rid, row in enumerate(_rows(self.tables, _METHOD), start=1):
            owner = self.type_name(_TYPEDEF, self.owner.get((_METHOD, rid), 0))
            name = f"{owner}::{_text(row.Name)}"
            seen[name] += 1
            self.method_names[rid] = f"{name}#{seen[name]}" if seen[name] > 1 else name
        self.pinvoke: dict[int, Import] = {}  # MethodDef row -> the native function it calls
        for row in _rows(self.tables, 28):
            table, rid = _ref(row.MemberForwarded)
            if table == _METHOD:
                module = self.row(*_ref(row.ImportScope))
                library = _text(module.Name) if module is not None else ""
                self.pinvoke[rid] = Import(name=_text(row.ImportName), library=library or None)
        self.strings = self.user_strings()

    def row(self, table: int, rid: int) -> Any:
        """Row ``rid`` (1-based) of table ``table``, or None when there is no such row."""
        rows = self.tables.tables.get(table)
        if rows is None or not 0 < rid <= rows.num_rows:
            return None
        return rows.get_with_row_index(rid)

    def type_name(self, table: int, rid: int) -> str:
        """Readable name of a TypeDef/TypeRef/TypeSpec row (``?`` when it does not exist)."""
        parts: list[str] = []
        for _ in range(16):  # nesting depth; hostile files may loop
            row = self.row(table, rid) if table in (_TYPEDEF, _TYPEREF, _TYPESPEC) else None
            if row is None:
                break
            if table == _TYPESPEC:
                table, rid = _generic_base(row)
                if table < 0:
                    return "TypeSpec"
                continue
            parts.append(_text(row.TypeName))
            enclosing = (
                (_TYPEDEF, self.nested[rid])
                if table == _TYPEDEF and rid in self.nested
                else _ref(row.ResolutionScope)
                if table == _TYPEREF
                else (-1, 0)
            )
            if enclosing[0] == table:
                rid = enclosing[1]
                continue
            namespace = _text(row.TypeNamespace)
            parts[-1] = f"{namespace}.{parts[-1]}" if namespace else parts[-1]
            break
        return "/".join(reversed(parts)) or "?"

    def library(self, table: int, rid: int) -> str | None:
        """The assembly (or module) that defines a TypeRef (or a generic instantiation of one);
        ``None`` for this assembly's own types."""
        for _ in range(16):
            row = self.row(table, rid)
            if row is None or table not in (_TYPEREF, _TYPESPEC):
                return None
            if table == _TYPESPEC:
                table, rid = _generic_base(row)
                continue
            table, rid = _ref(row.ResolutionScope)
            if table in (_MODULEREF, 35):  # 35: AssemblyRef
                scope = self.row(table, rid)
                return (_text(scope.Name) or None) if scope is not None else None
        return None

    def member(self, token: int) -> tuple[str, Import | None]:
        """(readable name, the import it is when external) of a method/field/type token."""
        table, rid = token >> 24, token & 0xFFFFFF
        row = self.row(table, rid)
        if row is None:
            return f"token(0x{token:08x})", None
        if table == _METHOD:
            imported = self.pinvoke.get(rid)
            return (imported.name if imported else self.method_names[rid]), imported
        if table == _FIELD:
            owner = self.type_name(_TYPEDEF, self.owner.get((_FIELD, rid), 0))
            return f"{owner}::{_text(row.Name)}", None
        if table == _METHODSPEC:
            method, method_rid = _ref(row.Method)
            if method in (_METHOD, _MEMBERREF):
                return self.member(method << 24 | method_rid)
        if table == _MEMBERREF:
            parent, parent_rid = _ref(row.Class)
            if parent == _METHOD:  # a vararg call site of one of this assembly's methods
                return self.member(_METHOD << 24 | parent_rid)
            if parent == _MODULEREF:  # a global function of another module
                module = self.row(parent, parent_rid)
                dll = _text(module.Name) if module is not None else ""
                return _text(row.Name), Import(name=_text(row.Name), library=dll or None)
            name = f"{self.type_name(parent, parent_rid)}::{_text(row.Name)}"
            library = self.library(parent, parent_rid)
            return name, Import(name=name, library=library) if library else None
        if table in (_TYPEDEF, _TYPEREF, _TYPESPEC):
            return self.type_name(table, rid), None
        return f"token(0x{token:08x})", None

    def function(self, rid: int, row: Any, undecodable: list[str]) -> Function:
        """The method ``rid`` with a body at ``row.Rva`` as a :class:`Function`; a body that
        cannot be decoded gives a placeholder and its reason in ``undecodable``."""
        name = self.method_names[rid]
        header = self.base + row.Rva
        owner = name.split("::")[0].rsplit("/", 1)[-1]
        library = owner.startswith("<PrivateImplementationDetails>") or (
            owner.startswith("<") and _text(row.Name) in (".ctor", ".cctor")
        )
        try:
            body = CilMethodBody(_BodyReader(self.stream, self.pe.get_offset_from_rva(row.Rva)))
        except (MethodBodyFormatError, PEFormatError) as exc:
            undecodable.append(f"{name} at 0x{header:x}: {exception_detail(exc)}")
            return Function(
                name=name,
                address=header,
                size=0,
                blocks=1,
                instructions=0,
                is_library=library,
                bytes_sha256=hashlib.sha256(b"").hexdigest(),
                disassembly=f"; the CIL body at 0x{header:x} cannot be decoded",
            )
        lines: list[str] = []
        callees: list[str] = []
        strings: list[int] = []
        imports: list[str] = []
        resolved: list[str] = []  # token operands as names, hashed with the bytes
        leaders = {body.header_size}  # body offsets where basic blocks start
        for handler in body.exception_handlers:  # clause offsets count from the code start
            starts = (handler.try_start, handler.handler_start, handler.filter_start)
            leaders.update(body.header_size + start for start in starts if start)
        for insn in body.instructions:
            operand = self.operand(insn, header, leaders, strings)
            if isinstance(insn.operand, Token) and not isinstance(insn.operand, StringToken):
                operand, imported = self.member(insn.operand.value)
                resolved.append(operand)
                if imported is not None:
                    imports.append(imported.name)
                if insn.opcode.value in _CALLS:
                    callees.append(operand)
            if insn.opcode.flow_control in _ENDS_BLOCK or insn.opcode.value == OpCodeValue.Jmp:
                leaders.add(insn.offset + insn.size)
            lines.append(f"0x{header + insn.offset:x}: {insn.opcode.name} {operand}".rstrip())
        end = body.header_size + body.code_size
        digest = hashlib.sha256(body.get_bytes() + "\0".join(["", *resolved]).encode())
        return Function(
            name=name,
            address=header + body.header_size,
            size=body.code_size,
            blocks=max(sum(1 for at in leaders if body.header_size <= at < end), 1),
            instructions=len(body.instructions),
            callees=list(dict.fromkeys(callees)),
            strings=list(dict.fromkeys(strings)),
            imports=list(dict.fromkeys(imports)),
            is_library=library,
            bytes_sha256=digest.hexdigest(),
            disassembly="\n".join(lines),
        )

    def operand(self, insn: Instruction, header: int, leaders: set[int], strings: list[int]) -> str:
        """The text of ``insn``'s operand other than member tokens; records branch targets
        (body offsets) in ``leaders`` and referenced user string addresses in ``strings``."""
        value, kind = insn.operand, insn.opcode.operand_type
        if kind in (OperandType.InlineBrTarget, OperandType.ShortInlineBrTarget):
            leaders.add(value)
            return f"0x{header + value:x}"
        if kind == OperandType.InlineSwitch:
            leaders.update(value)
            return "(" + ", ".join(f"0x{header + target:x}" for target in value) + ")"
        if isinstance(value, StringToken):
            literal = self.strings.get(value.value & 0xFFFFFF)
            if literal is None:
                return f"token(0x{value.value:08x})"
            strings.append(literal.address)
            return json.dumps(literal.value, ensure_ascii=False)
        if isinstance(value, Token):
            return ""  # resolved by the caller
        if isinstance(value, Local | Argument):
            return f"{'A' if isinstance(value, Argument) else 'V'}_{value.index}"
        return "" if value is None else str(value)

    def user_strings(self) -> dict[int, FoundString]:
        """#US heap entries by heap offset (the ``ldstr`` token's low 24 bits), each at the
        address of its UTF-16 text (after the length prefix)."""
        heap = self.pe.net.user_strings
        found: dict[int, FoundString] = {}
        offset = 1
        while heap is not None and offset < heap.sizeof():
            item = heap.get(offset, encoding="utf-16-le", errors="backslashreplace")
            if item is None:
                break
            if item.item_size > 1 and item.value:
                rva = item.rva + item.item_size.raw_size
                section = self.pe.get_section_by_rva(rva)
                name = section.Name.rstrip(b"\0").decode("ascii", "replace") if section else "#US"
                found[offset] = FoundString(
                    address=self.base + rva, value=item.value, encoding="utf-16le", section=name
                )
            offset += item.item_size.raw_size + item.item_size
        return found

    def assembly(self) -> Assembly:
        own = next(iter(_rows(self.tables, 32)), None)
        undecodable: list[str] = []
        functions = [
            self.function(rid, row, undecodable)
            for rid, row in enumerate(_rows(self.tables, _METHOD), start=1)
            if row.Rva
        ]
        by_name = {f.name: f for f in functions}
        for func in functions:
            for callee in func.callees:
                if callee in by_name and func.name not in by_name[callee].callers:
                    by_name[callee].callers.append(func.name)
        imports: dict[tuple[str | None, str], Import] = {}
        for rid in range(1, len(_rows(self.tables, _MEMBERREF)) + 1):
            _, imported = self.member(_MEMBERREF << 24 | rid)
            if imported is not None:
                imports.setdefault((imported.library, imported.name), imported)
        for imported in self.pinvoke.values():
            imports.setdefault((imported.library, imported.name), imported)
        entry = self.pe.net.struct.EntryPointTokenOrRva  # a MethodDef token, or a native RVA
        entry_method = self.method_names.get(entry & 0xFFFFFF) if entry >> 24 == _METHOD else None
        warnings = [
            f"{len(undecodable)} CIL method bodies cannot be decoded (obfuscated or encrypted?), "
            f"first {reason}"
            for reason in undecodable[:1]
        ]
        return Assembly(
            name=_text(own.Name) if own is not None else None,
            version=_version(own) if own is not None else None,
            references=[
                AssemblyReference(name=_text(row.Name), version=_version(row))
                for row in _rows(self.tables, 35)
            ],
            entry_method=entry_method,
            functions=functions,
            imports=list(imports.values()),
            strings=sorted(self.strings.values(), key=lambda s: s.address),
            warnings=warnings,
        )
