"""The stages of :func:`~binscribe.analysis.engine.run_analysis`, each returning values.

``load`` reads the file and its metadata; ``dotnet_code`` lists a .NET assembly's methods;
``native_code`` recovers the CFG, describes the functions and decompiles the chosen ones.
:func:`~binscribe.analysis.engine.assemble` builds the finished document from their values.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from binscribe.analysis import _quiet, loader, metadata, recover, strings
from binscribe.analysis.decompile import decompile_all
from binscribe.analysis.dotnet import Assembly
from binscribe.analysis.models import (
    AnalysisDepth,
    CfgCut,
    Function,
    Import,
)
from binscribe.analysis.options import AnalysisOptions
from binscribe.analysis.strings import FoundString
from binscribe.analysis.triage import Triage, detect_format

if TYPE_CHECKING:
    import angr

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; see :func:`~binscribe.analysis.engine.run_analysis`."""

Outcome = tuple[str | None, str | None]
"""``(pseudocode, decompile_error)`` of one decompiled function."""


class Stopwatch:
    """Wall seconds per stage (``seconds``: stage -> seconds, 3 decimals) since the last lap."""

    def __init__(self, report: Progress) -> None:
        self.seconds: dict[str, float] = {}
        self._report = report
        self._clock = time.monotonic()

    def record(self, stage: str) -> None:
        """Store the seconds since the last lap under ``stage`` (no progress report)."""
        self.seconds[stage] = round(time.monotonic() - self._clock, 3)

    def lap(self, stage: str) -> None:
        """Record ``stage``, start the next one and report ``stage`` done."""
        self.record(stage)
        self._clock = time.monotonic()
        self._report(stage, 1, 1)


@dataclass(frozen=True)
class Loaded:
    """The file as loaded: its bytes, format, angr project, metadata and strings found."""

    path: Path
    data: bytes
    triage: Triage
    project: angr.Project
    meta: metadata.Metadata
    warnings: list[str]
    found: list[FoundString]


@dataclass(frozen=True)
class Code:
    """The functions of the binary and what the code stages learned about them.

    ``outcomes``: decompile outcome by angr address (only functions decompilation ran on);
    ``imports``: the metadata's imports, ELF ones with their PLT stub address filled in.
    """

    functions: list[Function]
    imports: list[Import]
    found: list[FoundString]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    workers: int = 0
    cfg_cut: CfgCut | None = None


def load(path: str | Path, options: AnalysisOptions) -> Loaded:
    """Read, triage and load the file; read its metadata and strings.
    Raises :class:`AnalysisError` for bad input and loader rejections."""
    data = Path(path).read_bytes()
    triage = detect_format(data, fat_arch=options.fat_arch)
    image = data[triage.slice_offset : triage.slice_offset + triage.slice_size]
    _quiet.silence()
    project, warnings = loader.load_project(image, triage)
    meta = metadata.read_metadata(image, triage, load_base=project.loader.main_object.mapped_base)
    found = strings.find_strings(
        meta.regions, min_length=options.min_string_length, limit=options.max_strings
    )
    return Loaded(Path(path), data, triage, project, meta, [*warnings, *meta.warnings], found)


def dotnet_code(loaded: Loaded, assembly: Assembly, options: AnalysisOptions) -> Code:
    """The methods and user strings of the loaded .NET ``assembly`` (CIL is listed, not
    decompiled)."""
    found = sorted([*loaded.found, *assembly.strings], key=lambda s: s.address)
    warning = (
        ".NET assembly: CIL is not native code; its methods are listed with their CIL "
        "disassembly, not decompiled"
    )
    return Code(
        functions=assembly.functions,
        imports=loaded.meta.imports,
        found=found[: options.max_strings],
        warnings=[warning],
    )


def native_code(
    loaded: Loaded,
    options: AnalysisOptions,
    *,
    report: Progress,
    watch: Stopwatch,
    deadline: float,
) -> Code:
    """Recover the CFG (stage ``cfg``), describe the functions (``functions``) and decompile
    the chosen ones (``decompile``, timed but not reported as a lap)."""
    meta, triage = loaded.meta, loaded.triage
    notes: list[str] = []
    exported = _code_exports(meta)
    cfg, cfg_cut = recover.recover_cfg(
        loaded.project,
        function_starts=meta.function_starts,
        exports=sorted(exported),
        budget_s=options.cfg_budget(),
        progress=lambda scanned: report("scan", round(scanned), 100),
    )
    if cfg_cut is not None:
        notes.append(cfg_cut.describe())
    watch.lap("cfg")
    recovered = recover.describe_functions(
        loaded.project,
        cfg,
        binary_format=triage.format,
        bits=triage.bits,
        language=meta.language,
        string_addresses={s.address for s in loaded.found},
        symbols=meta.symbols,
        extents=meta.extents,
        exported=exported,
    )
    watch.lap("functions")
    targets, limit_note = pick_targets(recovered.functions, options)
    notes += limit_note
    workers = min(options.resolved_workers(), max(len(targets), 1))
    outcomes, skipped = decompile_all(
        loaded.project,
        cfg.model,
        [recovered.addresses[f.address] for f in targets],
        workers=workers,
        timeout_s=options.function_timeout_s,
        deadline=deadline,
        progress=lambda done, total: report("decompile", done, total),
    )
    if skipped:
        notes.append(f"time budget reached: {skipped} functions were not decompiled")
    watch.record("decompile")
    skipped_note: Outcome = (None, "not decompiled: the analysis time budget was reached")
    wanted = {f.address for f in targets}
    functions = []
    for func in recovered.functions:
        pseudocode, error = outcomes.get(
            recovered.addresses[func.address],
            skipped_note if func.address in wanted else (None, None),
        )
        functions.append(
            func.model_copy(update={"pseudocode": pseudocode, "decompile_error": error})
        )
    return Code(
        functions=functions,
        imports=_with_stub_addresses(meta.imports, recovered.import_addresses),
        found=loaded.found,
        notes=notes,
        outcomes=outcomes,
        workers=workers,
        cfg_cut=cfg_cut,
    )


def pick_targets(
    functions: list[Function], options: AnalysisOptions
) -> tuple[list[Function], list[str]]:
    """The functions to decompile for ``options`` (most important first) and the note saying
    the depth's limit cut the list (empty when it did not)."""
    if options.depth == AnalysisDepth.BASIC:
        return [], []
    if options.only_functions is not None:
        wanted = set(options.only_functions)
        return [f for f in functions if f.name in wanted or f.mangled_name in wanted], []
    ranked = recover.rank_for_decompilation(functions)
    limit = options.decompile_limit()
    if limit is not None and len(ranked) > limit:
        note = (
            f"{options.depth} depth: decompiled the {limit} most important of "
            f"{len(ranked)} non-library functions"
        )
        return ranked[:limit], [note]
    return ranked, []


def _code_exports(meta: metadata.Metadata) -> set[int]:
    """Addresses of the exports that lie in an executable section (exported functions)."""
    code = [(s.address, s.address + s.size) for s in meta.sections if "x" in s.permissions]
    return {e.address for e in meta.exports if any(lo <= e.address < hi for lo, hi in code)}


def _with_stub_addresses(imports: list[Import], stubs: dict[str, int]) -> list[Import]:
    """ELF imports learn their PLT stub address from the CFG (LIEF does not give it)."""
    return [
        item.model_copy(update={"address": stubs[item.name]})
        if item.address is None and item.name in stubs
        else item
        for item in imports
    ]
