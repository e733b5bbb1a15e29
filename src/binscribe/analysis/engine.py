"""The analysis pipeline in the current process: triage, load, metadata, CFG, facts, decompile.

Run it through :func:`binscribe.analysis.analyze_file`, which puts it in a child process with
memory and time limits; tests and the benchmark may call :func:`run_analysis` directly.
"""

from __future__ import annotations

import hashlib
import resource
import time
from collections.abc import Callable
from pathlib import Path

import angr

from binscribe.analysis import _quiet, loader, metadata, recover, strings, xrefs
from binscribe.analysis.decompile import decompile_all
from binscribe.analysis.injection import detect_injection
from binscribe.analysis.models import (
    AnalysisDepth,
    AnalysisResult,
    AnalysisStats,
    BinaryInfo,
    CfgCut,
    Function,
    Import,
    StringRef,
)
from binscribe.analysis.options import AnalysisOptions
from binscribe.analysis.triage import detect_format

Progress = Callable[[str, int, int], None]


def run_analysis(
    path: str | Path,
    options: AnalysisOptions,
    *,
    progress: Progress | None = None,
    deadline: float | None = None,
) -> AnalysisResult:
    """Analyze the file at ``path`` in this process.

    ``deadline`` (a ``time.monotonic()`` value) stops decompilation early with a note.
    ``progress(stage, done, total)``: stages ``load``, ``scan`` (percent of the code scanned,
    about once a second during CFG recovery), ``cfg``, ``functions``, ``decompile`` (0 of the
    chosen functions first, then after each one).
    The last step finds prompt-injection text (:func:`detect_injection`).
    Raises :class:`AnalysisError` for bad input (see ``triage``) and loader rejections.
    """
    report = progress or (lambda stage, done, total: None)
    timings: dict[str, float] = {}
    clock = time.monotonic()
    deadline = deadline if deadline is not None else clock + options.total_timeout_s

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.monotonic()
        timings[stage] = round(now - clock, 3)
        clock = now
        report(stage, 1, 1)

    data = Path(path).read_bytes()
    triage = detect_format(data, fat_arch=options.fat_arch)
    image = data[triage.slice_offset : triage.slice_offset + triage.slice_size]
    _quiet.silence()
    project, warnings = loader.load_project(image, triage)
    main_object = project.loader.main_object
    meta = metadata.read_metadata(image, triage, load_base=main_object.mapped_base)
    warnings += meta.warnings
    found = strings.find_strings(
        meta.regions, min_length=options.min_string_length, limit=options.max_strings
    )
    lap("load")
    notes: list[str] = []
    functions: list[Function] = []
    outcomes: dict[int, tuple[str | None, str | None]] = {}
    workers = 0
    cfg_cut: CfgCut | None = None
    if meta.assembly is not None:
        functions = meta.assembly.functions
        found = sorted([*found, *meta.assembly.strings], key=lambda s: s.address)
        found = found[: options.max_strings]
        warnings.append(
            ".NET assembly: CIL is not native code; its methods are listed with their CIL "
            "disassembly, not decompiled"
        )
    else:
        exported = _code_exports(meta)
        cfg, cfg_cut = recover.recover_cfg(
            project,
            function_starts=meta.function_starts,
            exports=sorted(exported),
            budget_s=options.cfg_budget(),
            progress=lambda scanned: report("scan", round(scanned), 100),
        )
        if cfg_cut is not None:
            notes.append(cfg_cut.describe())
        lap("cfg")
        recovered = recover.describe_functions(
            project,
            cfg,
            binary_format=triage.format,
            bits=triage.bits,
            language=meta.language,
            string_addresses={s.address for s in found},
            symbols=meta.symbols,
            extents=meta.extents,
            exported=exported,
        )
        functions = recovered.functions
        lap("functions")
        targets = _targets(functions, options, notes)
        workers = min(options.resolved_workers(), max(len(targets), 1))
        outcomes, skipped = decompile_all(
            project,
            cfg.model,
            [recovered.addresses[f.address] for f in targets],
            workers=workers,
            timeout_s=options.function_timeout_s,
            deadline=deadline,
            progress=lambda done, total: report("decompile", done, total),
        )
        if skipped:
            notes.append(f"time budget reached: {skipped} functions were not decompiled")
        timings["decompile"] = round(time.monotonic() - clock, 3)
        skipped_note = (None, "not decompiled: the analysis time budget was reached")
        wanted = {f.address for f in targets}
        for func in functions:
            func.pseudocode, func.decompile_error = outcomes.get(
                recovered.addresses[func.address],
                skipped_note if func.address in wanted else (None, None),
            )
        _fill_import_addresses(meta.imports, recovered.import_addresses)

    string_refs = [
        StringRef(address=s.address, value=s.value, encoding=s.encoding, section=s.section)
        for s in found
    ]
    xrefs.link_references(functions, string_refs, meta.imports)
    binary = BinaryInfo(
        file_name=Path(path).name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        format=triage.format,
        arch=triage.arch,
        bits=32 if triage.bits == 32 else 64,
        endianness=triage.endianness,
        kind=triage.kind,
        entry_point=project.entry if meta.entry_point is not None else None,  # libraries: none
        image_base=meta.image_base,
        stripped=meta.stripped,
        static=meta.static,
        language=meta.language,
        packer=meta.packer,
        dotnet=meta.dotnet,
        go_version=meta.go_version,
        fat_slices=triage.fat_slices,
        selected_slice=triage.arch if triage.fat_slices else None,
    )
    failures = sum(1 for pseudo, error in outcomes.values() if error is not None)
    result = AnalysisResult(
        engine_version=angr.__version__,
        depth=options.depth,
        binary=binary,
        functions=functions,
        imports=meta.imports,
        exports=meta.exports,
        sections=meta.sections,
        strings=string_refs,
        warnings=warnings,
        notes=notes,
        cfg_cut=cfg_cut,
        stats=AnalysisStats(
            functions_total=len(functions),
            functions_decompiled=len(outcomes) - failures,
            decompile_failures=failures,
            stage_seconds=timings,
            peak_rss_mb=_peak_rss_mb(),
            workers=workers,
        ),
    )
    result.injection_findings = detect_injection(result)
    return result


def _targets(
    functions: list[Function], options: AnalysisOptions, notes: list[str]
) -> list[Function]:
    """The functions to decompile for ``options`` (most important first)."""
    if options.depth == AnalysisDepth.BASIC:
        return []
    if options.only_functions is not None:
        wanted = set(options.only_functions)
        return [f for f in functions if f.name in wanted or f.mangled_name in wanted]
    ranked = recover.rank_for_decompilation(functions)
    limit = options.decompile_limit()
    if limit is not None and len(ranked) > limit:
        notes.append(
            f"{options.depth} depth: decompiled the {limit} most important of "
            f"{len(ranked)} non-library functions"
        )
        return ranked[:limit]
    return ranked


def _code_exports(meta: metadata.Metadata) -> set[int]:
    """Addresses of the exports that lie in an executable section (exported functions)."""
    code = [(s.address, s.address + s.size) for s in meta.sections if "x" in s.permissions]
    return {e.address for e in meta.exports if any(lo <= e.address < hi for lo, hi in code)}


def _fill_import_addresses(imports: list[Import], stubs: dict[str, int]) -> None:
    """ELF imports learn their PLT stub address from the CFG (LIEF does not give it)."""
    for item in imports:
        if item.address is None and item.name in stubs:
            item.address = stubs[item.name]


def _peak_rss_mb() -> float:
    """Largest resident set of this process or any finished child (worker), in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)
