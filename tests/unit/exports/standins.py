"""Recording stand-ins for the scripting APIs the exported scripts call, and nothing more.

Each models one tool's view of a loaded binary: functions at ``base + offset`` with the names the
tool gave them, the file's sha256, its entry point, comments. Only the calls the scripts make
exist, with the documented signatures:

- IDA 9 (IDAPython): ``ida_auto.auto_wait()``, ``ida_nalt.get_imagebase()``,
  ``ida_nalt.retrieve_input_file_sha256()`` (32 bytes), ``ida_ida.inf_get_start_ea()``,
  ``ida_funcs.get_func(ea)`` (a ``func_t`` with ``start_ea``),
  ``ida_funcs.get_func_cmt(pfn, repeatable)``,
  ``ida_funcs.set_func_cmt(pfn, cmt, repeatable)``, ``ida_name.get_name(ea)``,
  ``ida_name.get_name_ea(from, name)``, ``ida_name.set_name(ea, name, flags)``,
  ``ida_bytes.get_cmt(ea, repeatable)``, ``ida_bytes.set_cmt(ea, cmt, repeatable)``,
  ``ida_idaapi.BADADDR``.
- Ghidra (GhidraScript globals): ``currentProgram.getImageBase()`` (an ``Address`` with
  ``add(long)``), ``currentProgram.getExecutableSHA256()``,
  ``currentProgram.getSymbolTable()`` (``isExternalEntryPoint(Address)``,
  ``getGlobalSymbols(String)`` -> ``List``), ``getFunctionAt(Address)``, ``Function.getName()``,
  ``Function.setName(String, SourceType)``, ``Function.getComment()``,
  ``Function.setComment(String)``, ``getEOLComment(Address)``, ``setEOLComment(Address, String)``
  and ``ghidra.program.model.symbol.SourceType``.
- Binary Ninja: ``bv.parent_view`` (``read(addr, length)``, ``length``), ``bv.start``,
  ``bv.entry_point``, ``bv.get_function_at(addr)``, ``bv.get_symbols_by_name(name)``,
  ``Function.name`` / ``Function.comment`` (get and set), ``Function.get_comment_at(addr)``,
  ``Function.set_comment_at(addr, comment)``.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Loaded:
    """What a tool loaded: ``names`` maps function addresses to their names in the tool."""

    base: int
    sha256: str
    entry: int
    size: int
    names: dict[int, str]
    data: bytes = b""
    function_comments: dict[int, str] = field(default_factory=dict)
    comments: dict[int, str] = field(default_factory=dict)
    calls: list[tuple[Any, ...]] = field(default_factory=list)

    def address_of(self, name: str) -> int | None:
        return next((a for a, n in self.names.items() if n == name), None)


def run(script: str, namespace: dict[str, Any]) -> None:
    """Run an exported script as its tool would: as ``__main__`` with the tool's globals."""
    exec(compile(script, "export.py", "exec"), {"__name__": "__main__", **namespace})


# IDA ------------------------------------------------------------------------------------------

BADADDR = 0xFFFF_FFFF_FFFF_FFFF


@dataclass
class FuncT:
    start_ea: int


def ida_modules(tool: Loaded) -> dict[str, types.ModuleType]:
    """The IDAPython modules the IDA script imports, over ``tool``."""

    def get_func(ea: int) -> FuncT | None:
        return FuncT(ea) if ea in tool.names else None

    def set_name(ea: int, name: str, flags: int) -> bool:
        tool.calls.append(("set_name", ea, name, flags))
        if ea not in tool.names or tool.address_of(name) is not None:
            return False
        tool.names[ea] = name
        return True

    def set_func_cmt(pfn: FuncT, cmt: str, repeatable: bool) -> bool:
        tool.calls.append(("set_func_cmt", pfn.start_ea, repeatable))
        tool.function_comments[pfn.start_ea] = cmt
        return True

    def set_cmt(ea: int, cmt: str, repeatable: bool) -> bool:
        tool.calls.append(("set_cmt", ea, repeatable))
        tool.comments[ea] = cmt
        return True

    def get_name_ea(start: int, name: str) -> int:
        assert start == BADADDR
        found = tool.address_of(name)
        return BADADDR if found is None else found

    modules = {
        "ida_auto": {"auto_wait": lambda: True},
        "ida_idaapi": {"BADADDR": BADADDR},
        "ida_nalt": {
            "get_imagebase": lambda: tool.base,
            "retrieve_input_file_sha256": lambda: bytes.fromhex(tool.sha256),
        },
        "ida_ida": {"inf_get_start_ea": lambda: tool.entry},
        "ida_funcs": {
            "get_func": get_func,
            "get_func_cmt": lambda pfn, rpt: tool.function_comments.get(pfn.start_ea, ""),
            "set_func_cmt": set_func_cmt,
        },
        "ida_name": {
            "SN_NOWARN": 0x80,
            "get_name": lambda ea: tool.names.get(ea, ""),
            "get_name_ea": get_name_ea,
            "set_name": set_name,
        },
        "ida_bytes": {"get_cmt": lambda ea, rpt: tool.comments.get(ea), "set_cmt": set_cmt},
    }
    built = {}
    for name, members in modules.items():
        module = types.ModuleType(name)
        module.__dict__.update(members)
        built[name] = module
    return built


# Ghidra ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    offset: int

    def add(self, displacement: int) -> Address:
        return Address(self.offset + displacement)

    def getOffset(self) -> int:  # noqa: N802 (Ghidra's name)
        return self.offset


class JavaList(list[Any]):
    def isEmpty(self) -> bool:  # noqa: N802
        return not self


class SourceType:
    DEFAULT = "DEFAULT"
    ANALYSIS = "ANALYSIS"
    USER_DEFINED = "USER_DEFINED"


class DuplicateNameException(Exception):
    pass


class GhidraFunction:
    def __init__(self, tool: Loaded, address: int) -> None:
        self.tool, self.address = tool, address

    def getName(self) -> str:  # noqa: N802
        return self.tool.names[self.address]

    def setName(self, name: str, source: str) -> None:  # noqa: N802
        self.tool.calls.append(("setName", self.address, name, source))
        if self.tool.address_of(name) is not None:
            raise DuplicateNameException(name)
        self.tool.names[self.address] = name

    def getComment(self) -> str | None:  # noqa: N802
        return self.tool.function_comments.get(self.address)

    def setComment(self, comment: str) -> None:  # noqa: N802
        self.tool.calls.append(("setComment", self.address))
        self.tool.function_comments[self.address] = comment


def ghidra_globals(tool: Loaded) -> dict[str, Any]:
    """The GhidraScript globals the Ghidra script uses, over ``tool``."""

    class SymbolTable:
        def isExternalEntryPoint(self, address: Address) -> bool:  # noqa: N802
            return address.offset == tool.entry

        def getGlobalSymbols(self, name: str) -> JavaList:  # noqa: N802
            found = tool.address_of(name)
            return JavaList([] if found is None else [name])

    class Program:
        def getImageBase(self) -> Address:  # noqa: N802
            return Address(tool.base)

        def getExecutableSHA256(self) -> str:  # noqa: N802
            return tool.sha256

        def getSymbolTable(self) -> SymbolTable:  # noqa: N802
            return SymbolTable()

    def set_eol_comment(address: Address, comment: str) -> bool:
        tool.calls.append(("setEOLComment", address.offset))
        tool.comments[address.offset] = comment
        return True

    return {
        "currentProgram": Program(),
        "getFunctionAt": lambda a: (
            GhidraFunction(tool, a.offset) if a.offset in tool.names else None
        ),
        "getEOLComment": lambda a: tool.comments.get(a.offset),
        "setEOLComment": set_eol_comment,
    }


def ghidra_modules() -> dict[str, types.ModuleType]:
    """``ghidra.program.model.symbol`` (SourceType) and its parent packages."""
    names = ["ghidra", "ghidra.program", "ghidra.program.model", "ghidra.program.model.symbol"]
    modules = {name: types.ModuleType(name) for name in names}
    modules["ghidra.program.model.symbol"].SourceType = SourceType  # type: ignore[attr-defined]
    return modules


# Binary Ninja ---------------------------------------------------------------------------------


class BinjaFunction:
    def __init__(self, tool: Loaded, address: int) -> None:
        self.tool, self.start = tool, address

    @property
    def name(self) -> str:
        return self.tool.names[self.start]

    @name.setter
    def name(self, value: str) -> None:
        self.tool.calls.append(("name", self.start, value))
        self.tool.names[self.start] = value

    @property
    def comment(self) -> str:
        return self.tool.function_comments.get(self.start, "")

    @comment.setter
    def comment(self, value: str) -> None:
        self.tool.calls.append(("comment", self.start))
        self.tool.function_comments[self.start] = value

    def get_comment_at(self, addr: int) -> str:
        return self.tool.comments.get(addr, "")

    def set_comment_at(self, addr: int, comment: str) -> None:
        self.tool.calls.append(("set_comment_at", addr))
        self.tool.comments[addr] = comment


class RawView:
    def __init__(self, data: bytes) -> None:
        self.data = data

    @property
    def length(self) -> int:
        return len(self.data)

    def read(self, addr: int, length: int) -> bytes:
        return self.data[addr : addr + length]


class BinaryView:
    """``bv`` over ``tool``; ``tool.data`` is the file's content (hashed by the script)."""

    def __init__(self, tool: Loaded) -> None:
        self.tool = tool
        self.parent_view = RawView(tool.data)
        self.start = tool.base
        self.entry_point = tool.entry

    def get_function_at(self, addr: int) -> BinjaFunction | None:
        return BinjaFunction(self.tool, addr) if addr in self.tool.names else None

    def get_symbols_by_name(self, name: str) -> list[str]:
        return [name] if self.tool.address_of(name) is not None else []


def install(monkeypatch: Any, modules: dict[str, types.ModuleType]) -> None:
    """Put ``modules`` in ``sys.modules`` for the test."""
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
