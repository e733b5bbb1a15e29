"""CFG recovery and per-function facts (everything but pseudocode) from an angr project."""

from __future__ import annotations

import bisect
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from binscribe.analysis import xrefs
from binscribe.analysis.models import BinaryFormat, CfgCut, Function, Language
from binscribe.analysis.names import display_name, is_library_name

if TYPE_CHECKING:
    import angr

_STUB_SECTIONS = frozenset({".plt", ".plt.sec", ".plt.got", "__stubs", "__stub_helper"})
_UNRESOLVED = ("UnresolvableCallTarget", "UnresolvableJumpTarget")
_ENTRY_NAMES = ("main", "wmain", "WinMain", "wWinMain", "DllMain", "main.main")
# halt and trap instructions: alone after a call that does not return (``_start``'s ``hlt``
# after ``__libc_start_main``) they are unreachable padding, not a function
_TRAPS = frozenset({"hlt", "ud2", "int3", "brk", "udf", "bkpt"})


@dataclass
class Recovered:
    """The CFG model and the kept functions; ``addresses`` maps each kept function's model
    address to angr's function address (they differ by the Thumb bit)."""

    cfg: angr.analyses.CFGFast
    functions: list[Function]
    addresses: dict[int, int]
    import_addresses: dict[str, int]


def recover_cfg(
    project: angr.Project,
    *,
    function_starts: list[int],
    exports: list[int],
    budget_s: float,
    progress: Callable[[float], None] | None = None,
) -> tuple[angr.analyses.CFGFast, CfgCut | None]:
    """CFGFast with data references (strings are found through them); normalized blocks.

    The scan starts from the entry point, ``main`` (and the other entry names) and ``exports``,
    and stops after ``budget_s`` seconds (see :mod:`~binscribe.analysis.budget`); the second
    value then says what was cut, else it is None. ``progress(scanned_percent)`` follows the
    scan (about once a second).
    """
    main_object = project.loader.main_object
    first = {project.entry, *exports}
    for name in _ENTRY_NAMES:
        symbol = project.loader.find_symbol(name)
        if symbol is not None and main_object.contains_addr(symbol.rebased_addr):
            first.add(symbol.rebased_addr)
    # angr is imported only in the analysis process: explain imports this module for its ranking.
    from binscribe.analysis.budget import EntryFirstCFGFast, ScanBudget

    budget = ScanBudget(budget_s, progress)
    cfg = project.analyses[EntryFirstCFGFast](
        normalize=True,
        data_references=True,
        function_starts=function_starts or None,
        first=first,
        progress_callback=budget,
    )
    return cfg, budget.cut(cfg)


def _is_stub(func: Any, functions: Any) -> bool:
    """PLT entries, SimProcedures, alignment, and one-block import thunks (``jmp [IAT]``)."""
    if func.is_plt or func.is_simprocedure or func.is_alignment or func.is_syscall:
        return True
    if len(func.block_addrs_set) != 1 or func.ret_sites or func.size > 16:
        return False
    targets = [functions.function(addr=a) for a in functions.callgraph.successors(func.addr)]
    return bool(targets) and all(
        t is not None and (t.is_simprocedure or t.is_plt) and not t.is_syscall for t in targets
    )


def describe_functions(
    project: Any,
    cfg: Any,
    *,
    binary_format: BinaryFormat,
    bits: int,
    language: Language,
    string_addresses: set[int],
    symbols: dict[int, str],
    extents: list[tuple[int, int, str]] | None = None,
    exported: set[int] | None = None,
) -> Recovered:
    """Facts of every real function in the main object, sorted by address.

    Callees that are stubs or imports are named after the import; a thunk's own callers are
    not listed as functions. ``symbols`` (address -> raw name, from LIEF) names functions the
    loader left unnamed (cle ignores Mach-O local symbols). ``extents`` (start, size, raw
    name of sized symbols) name the pieces angr split off a function (code after a call
    that does not return, Go's stack-growth tails) ``<function>+0x<offset>``; a piece is
    library code when its function is. ``exported`` (addresses of exported symbols) are
    functions even when their code is a one-jump thunk (a Python extension's ``PyInit_<name>``
    tail-calling ``PyModuleDef_Init``). An unnamed piece that is a single halt or trap
    instruction nobody calls is left out.
    """
    functions = project.kb.functions
    main_object = project.loader.main_object
    names: dict[int, str] = {}
    raw_names: dict[int, str] = {}
    library: dict[int, bool] = {}
    stubs: set[int] = set()
    containing = _Extents(extents or [])
    exported = exported or set()

    def display(raw: str, demangled: str | None) -> str:
        return display_name(raw, binary_format=binary_format, bits=bits, demangled=demangled)

    for func in functions.values():
        raw = symbols.get(func.addr, func.name) if func.name.startswith("sub_") else func.name
        demangled = func.demangled_name if raw == func.name else None
        names[func.addr] = display(raw, demangled)
        piece_of = containing.find(func.addr) if raw.startswith("sub_") else None
        if piece_of is not None:
            start, owner = piece_of
            owner_name = display(owner, _demangle(project, owner))
            names[func.addr] = f"{owner_name}+{func.addr - start:#x}"
            raw = f"{owner}+{func.addr - start:#x}"
            library[func.addr] = is_library_name(owner_name, language=language)
        raw_names[func.addr] = raw
        section = main_object.find_section_containing(func.addr)
        if (
            (_is_stub(func, functions) and func.addr not in exported)
            or not main_object.contains_addr(func.addr)
            or (section is not None and section.name in _STUB_SECTIONS)
        ):
            stubs.add(func.addr)
    for addr in stubs:  # a thunk is named after what it jumps to when that is an import
        func = functions.function(addr=addr)
        targets = list(functions.callgraph.successors(addr)) if func is not None else []
        if len(targets) == 1 and targets[0] in stubs and not func.is_plt and addr not in exported:
            names[addr] = names[targets[0]]
    import_names = {display(name, None) for name in main_object.imports or ()}
    insn_data = cfg.model.insn_addr_to_memory_data
    arm = project.arch.name.startswith("ARM")
    sites = xrefs.SiteResolver(
        names=names,
        stubs=stubs,
        import_names=import_names - set(_UNRESOLVED),
        kept={f.addr for f in functions.values() if f.addr not in stubs and f.block_addrs_set},
        arm=arm,
    )
    result: list[Function] = []
    addresses: dict[int, int] = {}
    import_addresses: dict[str, int] = {}
    for func in sorted(functions.values(), key=lambda f: f.addr):
        if func.addr in stubs:
            if func.is_plt:
                import_addresses.setdefault(names[func.addr], func.addr)
            continue
        if not func.block_addrs_set:
            continue
        callees = sorted(
            {names[a] for a in functions.callgraph.successors(func.addr) if a in names}
            - set(_UNRESOLVED)
        )
        callers = sorted(
            {names[a] for a in functions.callgraph.predecessors(func.addr) if a not in stubs}
        )
        thumb = arm and bool(func.addr & 1)
        code = _code(project, func, thumb)
        if len(code.insn_addrs) == 1 and not callers and _unnamed(raw_names[func.addr]):
            if code.disassembly.partition(": ")[2].split(" ")[0] in _TRAPS:
                continue
        data_refs = [
            *code.constants,
            *((a, insn_data[a].addr) for a in code.insn_addrs if a in insn_data),
        ]
        string_refs = xrefs.string_refs(project, data_refs, string_addresses, thumb=thumb)
        calls, import_refs = sites.resolve(func, functions, code.last_insn)
        name = names[func.addr]
        model_addr = func.addr & ~1 if thumb else func.addr
        addresses[model_addr] = func.addr
        result.append(
            Function(
                name=name,
                mangled_name=raw_names[func.addr] if raw_names[func.addr] != name else None,
                address=model_addr,
                size=func.size,
                blocks=len(func.block_addrs_set),
                instructions=len(code.insn_addrs),
                callers=callers,
                callees=callees,
                strings=sorted({ref.target for ref in string_refs}),
                imports=[c for c in callees if c in import_names],
                calls=calls,
                string_refs=string_refs,
                import_refs=import_refs,
                is_library=library.get(func.addr, is_library_name(name, language=language)),
                is_thumb=thumb,
                bytes_sha256=code.sha256,
                disassembly=code.disassembly,
            )
        )
    xrefs.link_callers(result)
    return Recovered(cfg, result, addresses, import_addresses)


def _unnamed(raw: str) -> bool:
    """No symbol of its own: ``sub_<address>`` or a piece ``<function>+0x<offset>``."""
    return raw.startswith("sub_") or "+0x" in raw


class _Extents:
    """Lookup of the sized symbol that strictly contains an address (not its start)."""

    def __init__(self, extents: list[tuple[int, int, str]]) -> None:
        self._sorted = sorted(extents)
        self._starts = [start for start, _, _ in self._sorted]

    def find(self, addr: int) -> tuple[int, str] | None:
        """``(start, raw name)`` of the symbol with start < ``addr`` < start + size, looking at
        the few symbols that start just before ``addr`` (aliases share a start)."""
        index = bisect.bisect_left(self._starts, addr)
        for start, size, name in reversed(self._sorted[max(index - 4, 0) : index]):
            if start < addr < start + size:
                return start, name
        return None


def _demangle(project: Any, raw: str) -> str | None:
    """The demangled form of a symbol name as the loader knows it (``None`` if unknown)."""
    symbol = project.loader.main_object.get_symbol(raw)
    demangled = getattr(symbol, "demangled_name", None) if symbol is not None else None
    return demangled if isinstance(demangled, str) else None


@dataclass
class _Code:
    """One function's instructions: disassembly text, sha256 of its bytes, instruction
    addresses (angr's, Thumb bit set), ``(instruction, constant)`` pairs built by ARM
    ``movw``/``movt`` (angr's data references miss them) and each block's last instruction
    (angr block address -> model instruction address)."""

    disassembly: str
    sha256: str
    insn_addrs: list[int]
    constants: list[tuple[int, int]]
    last_insn: dict[int, int]


def _code(project: Any, func: Any, thumb: bool) -> _Code:
    """Disassemble ``func`` block by block in address order."""
    capstone = project.arch.capstone_thumb if thumb else project.arch.capstone
    memory = project.loader.memory
    digest = hashlib.sha256()
    lines: list[str] = []
    insn_addrs: list[int] = []
    low: dict[str, int] = {}
    constants: list[tuple[int, int]] = []
    last_insn: dict[int, int] = {}
    for addr in sorted(func.block_addrs_set):
        block = func.get_block(addr)
        start = addr & ~1 if thumb else addr
        try:
            raw = memory.load(start, block.size)
        except KeyError:
            lines.append(f"{start:#x}: <unmapped>")
            continue
        digest.update(raw)
        for insn in capstone.disasm(raw, start):
            insn_addrs.append(insn.address | 1 if thumb else insn.address)
            last_insn[addr] = insn.address
            lines.append(f"{insn.address:#x}: {insn.mnemonic} {insn.op_str}".rstrip())
            if insn.mnemonic.startswith(("movw", "movt")):
                reg, _, imm = insn.op_str.partition(", #")
                value = int(imm, 0) if imm else 0
                if insn.mnemonic.startswith("movw"):
                    low[reg] = value
                else:
                    constants.append((insn_addrs[-1], low.pop(reg, 0) | value << 16))
    return _Code("\n".join(lines), digest.hexdigest(), insn_addrs, constants, last_insn)


def rank_for_decompilation(functions: list[Function]) -> list[Function]:
    """Non-library functions, most important first: entry points (``main`` ...), then by
    call-graph position (callers count twice, callees once) plus log2 of the size."""

    def score(func: Function) -> tuple[int, float]:
        degree = 2 * len(set(func.callers) - {func.name}) + len(func.callees)
        return (func.name in _ENTRY_NAMES, degree + math.log2(func.size + 1))

    return sorted((f for f in functions if not f.is_library), key=score, reverse=True)
