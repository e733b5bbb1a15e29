"""Cross-references by address: one function's call sites, string loads and import calls (from
angr's CFG), and the inverse lists (a function's callers, the functions using a string or an
import), filled once the functions are known."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from binscribe.analysis.models import CodeRef, Function, Import, ImportRef, StringRef


@dataclass(frozen=True)
class SiteResolver:
    """Turns angr call sites into :class:`CodeRef` calls and :class:`ImportRef` import calls.

    ``names``: display name by angr function address; ``stubs``: addresses of PLT entries,
    thunks and SimProcedures (calls to them are import calls when the name is one of
    ``import_names``); ``kept``: angr addresses of the recovered functions; ``arm``: ARM code,
    whose Thumb function addresses are odd (the model keeps them even).
    """

    names: dict[int, str]
    stubs: set[int]
    import_names: set[str]
    kept: set[int]
    arm: bool

    def resolve(
        self, func: Any, functions: Any, last_insn: dict[int, int]
    ) -> tuple[list[CodeRef], list[ImportRef]]:
        """Calls to recovered functions and calls to imports of the angr function ``func``,
        each sorted by instruction address. ``last_insn`` maps a block address to its last
        instruction (the call or the tail-call jump)."""
        calls: set[tuple[int, int]] = set()
        imports: set[tuple[int, str]] = set()
        for block, target in _sites(func, functions):
            insn = last_insn.get(block)
            if insn is None:
                continue
            if target in self.stubs:
                name = self.names.get(target)
                if name in self.import_names:
                    imports.add((insn, name))
            elif target in self.kept:
                calls.add((insn, target & ~1 if self.arm else target))
        return (
            [CodeRef(address=a, target=t) for a, t in sorted(calls)],
            [ImportRef(address=a, name=n) for a, n in sorted(imports)],
        )


def _sites(func: Any, functions: Any) -> list[tuple[int, int]]:
    """(block address, target address) of each call site and each jump out of ``func`` to
    the start of another function (a tail call)."""
    found = []
    for block in func.get_call_sites():
        target = func.get_call_target(block)
        if target is not None:
            found.append((block, target))
    for node in func.jumpout_sites:
        for succ in func.transition_graph.successors(node):
            if succ.addr != func.addr and functions.contains_addr(succ.addr):
                found.append((node.addr, succ.addr))
    return found


def string_refs(
    project: Any, data_refs: list[tuple[int, int]], string_addresses: set[int], *, thumb: bool
) -> list[CodeRef]:
    """The ``(instruction, target)`` data references that reach a string, directly or
    through one pointer (ARM/AArch64 literal pools), as :class:`CodeRef` sorted by
    instruction; ``thumb``: instruction addresses carry the Thumb bit (cleared here)."""
    mask = ~1 if thumb else ~0
    found: set[tuple[int, int]] = set()
    for insn, target in data_refs:
        if target in string_addresses:
            found.add((insn & mask, target))
            continue
        try:
            pointer = project.loader.memory.unpack_word(target)
        except (KeyError, ValueError):
            continue
        if pointer in string_addresses:
            found.add((insn & mask, pointer))
    return [CodeRef(address=a, target=t) for a, t in sorted(found)]


def link_callers(functions: list[Function]) -> None:
    """Fill each function's ``caller_addresses`` from the other functions' ``calls``."""
    callers: dict[int, set[int]] = {}
    for func in functions:
        for call in func.calls:
            callers.setdefault(call.target, set()).add(func.address)
    for func in functions:
        func.caller_addresses = sorted(callers.get(func.address, ()))


def link_references(
    functions: list[Function], strings: list[StringRef], imports: list[Import]
) -> tuple[list[StringRef], list[Import]]:
    """Copies of ``strings`` and ``imports`` with ``referenced_by`` filled from the functions'
    references (addresses of the functions using each one, sorted)."""
    by_string: dict[int, set[int]] = {}
    by_import: dict[str, set[int]] = {}
    for func in functions:
        for addr in func.strings:
            by_string.setdefault(addr, set()).add(func.address)
        for ref in func.import_refs:
            by_import.setdefault(ref.name, set()).add(func.address)
    return (
        [
            s.model_copy(update={"referenced_by": sorted(by_string.get(s.address, ()))})
            for s in strings
        ],
        [
            i.model_copy(update={"referenced_by": sorted(by_import.get(i.name, ()))})
            for i in imports
        ],
    )
