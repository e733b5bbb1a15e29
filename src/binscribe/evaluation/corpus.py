"""The ground truth of an evaluation: reference binaries (with symbols) and their stripped inputs.

A *case* is one binary: the reference keeps its symbol table (the true function names); the input
is the same binary stripped, which is what binscribe analyzes and the model sees. The input is
``<reference>.stripped`` when that file exists (the corpus of ``scripts/build_eval_corpus.sh``),
else a stripped copy made with binutils' ``strip`` in a temporary directory. Stripping keeps
every address, so a function of the input is matched to the reference symbol at the same
address. Reference names come from the ELF static symbol table (``.symtab``) read with LIEF.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import lief

from binscribe.errors import ValidationFailed

STRIPPED_SUFFIX = ".stripped"

RUNTIME_SYMBOLS: frozenset[str] = frozenset(
    {
        "_init",
        "_fini",
        "_start",
        "deregister_tm_clones",
        "register_tm_clones",
        "__do_global_dtors_aux",
        "frame_dummy",
        "call_weak_fn",
        "__libc_csu_init",
        "__libc_csu_fini",
        "_dl_relocate_static_pie",
    }
)
"""C runtime start-up code the compiler adds to every program: not scored."""


@dataclass(frozen=True)
class ReferenceSymbols:
    """The true function names of a reference binary, by link address (``value`` in .symtab),
    and the image base LIEF reports (to map onto the analysis's addresses)."""

    names: dict[int, str]
    image_base: int


def reference_symbols(path: Path) -> ReferenceSymbols:
    """Function symbols of an unstripped ELF file.

    Raises:
        ValidationFailed: ``not_a_reference`` when the file is not an ELF file with a
            ``.symtab`` holding function symbols (a stripped file cannot be a reference).
    """
    binary = lief.parse(str(path))
    if not isinstance(binary, lief.ELF.Binary):
        raise ValidationFailed(f"{path} is not an ELF file", code="not_a_reference")
    # ARM (32-bit) Thumb functions have the low bit set; the analysis gives them without it.
    thumb_mask = ~1 if binary.header.machine_type == lief.ELF.ARCH.ARM else ~0
    names = {
        symbol.value & thumb_mask: str(symbol.name)
        for symbol in binary.symtab_symbols
        if symbol.type == lief.ELF.Symbol.TYPE.FUNC and symbol.value and symbol.name
    }
    if not names:
        raise ValidationFailed(
            f"{path} has no function symbols: give the unstripped binary as the reference",
            code="not_a_reference",
        )
    return ReferenceSymbols(names=names, image_base=binary.imagebase)


def reference_files(paths: list[Path]) -> list[Path]:
    """The reference binaries named by ``paths``: files as given, directories expanded to their
    files that are not ``*.stripped`` inputs or ``*.json`` manifests, sorted by name.

    Raises:
        ValidationFailed: ``file_not_found`` for a path that does not exist, ``no_binaries``
            when nothing is left.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.iterdir()
                    if p.is_file() and p.suffix not in {STRIPPED_SUFFIX, ".json", ".md"}
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise ValidationFailed(f"{path} is not a readable file", code="file_not_found")
    if not found:
        raise ValidationFailed("no reference binaries to evaluate", code="no_binaries")
    return found


@contextmanager
def stripped_input(reference: Path) -> Iterator[Path]:
    """The stripped input of ``reference``: its ``.stripped`` sibling, else a temporary copy
    stripped with ``strip`` (removed on exit).

    Raises:
        ValidationFailed: ``strip_failed`` when no sibling exists and ``strip`` is missing or
            fails on the file.
    """
    sibling = reference.with_name(reference.name + STRIPPED_SUFFIX)
    if sibling.is_file():
        yield sibling
        return
    strip = shutil.which("strip")
    if strip is None:
        raise ValidationFailed(
            f"no {sibling.name} next to {reference} and no `strip` (binutils) to make one",
            code="strip_failed",
        )
    with tempfile.TemporaryDirectory(prefix="binscribe-eval-") as tmp:
        target = Path(tmp) / sibling.name
        done = subprocess.run(
            [strip, "-o", str(target), str(reference)], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise ValidationFailed(
                f"strip failed on {reference}: {done.stderr.strip()[:200]}", code="strip_failed"
            )
        yield target
