"""The analysis pipeline in the current process: triage, load, metadata, CFG, facts, decompile.

Run it through :func:`binscribe.analysis.analyze_file`, which puts it in a child process with
memory and time limits; tests and the benchmark may call :func:`run_analysis` directly. The
stages themselves live in :mod:`binscribe.analysis.stages`.
"""

from __future__ import annotations

import hashlib
import resource
import time
from pathlib import Path

import angr

from binscribe.analysis import stages, xrefs
from binscribe.analysis.injection import detect_injection
from binscribe.analysis.models import AnalysisResult, AnalysisStats, BinaryInfo, StringRef
from binscribe.analysis.options import AnalysisOptions
from binscribe.analysis.stages import Code, Loaded, Progress

__all__ = ["Progress", "assemble", "run_analysis"]


def run_analysis(
    path: str | Path,
    options: AnalysisOptions,
    *,
    progress: Progress | None = None,
    deadline: float | None = None,
) -> AnalysisResult:
    """Analyze the file at ``path`` in this process; returns the finished (frozen) document.

    ``deadline`` (a ``time.monotonic()`` value) stops decompilation early with a note.
    ``progress(stage, done, total)``: stages ``load``, ``scan`` (percent of the code scanned,
    about once a second during CFG recovery), ``cfg``, ``functions``, ``decompile`` (0 of the
    chosen functions first, then after each one).
    The last step finds prompt-injection text (:func:`detect_injection`).
    Raises :class:`AnalysisError` for bad input (see ``triage``) and loader rejections.
    """
    report = progress or (lambda stage, done, total: None)
    watch = stages.Stopwatch(report)
    deadline = deadline if deadline is not None else time.monotonic() + options.total_timeout_s
    loaded = stages.load(path, options)
    watch.lap("load")
    assembly = loaded.meta.assembly
    if assembly is not None:
        code = stages.dotnet_code(loaded, assembly, options)
    else:
        code = stages.native_code(loaded, options, report=report, watch=watch, deadline=deadline)
    return assemble(loaded, code, options, watch.seconds)


def assemble(
    loaded: Loaded, code: Code, options: AnalysisOptions, stage_seconds: dict[str, float]
) -> AnalysisResult:
    """The finished document: cross-references linked, statistics counted, prompt-injection
    text found (:func:`detect_injection`)."""
    string_refs = [
        StringRef(address=s.address, value=s.value, encoding=s.encoding, section=s.section)
        for s in code.found
    ]
    string_refs, imports = xrefs.link_references(code.functions, string_refs, code.imports)
    failures = sum(1 for _, error in code.outcomes.values() if error is not None)
    result = AnalysisResult(
        engine_version=angr.__version__,
        depth=options.depth,
        binary=_binary_info(loaded),
        functions=code.functions,
        imports=imports,
        exports=loaded.meta.exports,
        sections=loaded.meta.sections,
        strings=string_refs,
        warnings=[*loaded.warnings, *code.warnings],
        notes=code.notes,
        cfg_cut=code.cfg_cut,
        stats=AnalysisStats(
            functions_total=len(code.functions),
            functions_decompiled=len(code.outcomes) - failures,
            decompile_failures=failures,
            stage_seconds=stage_seconds,
            peak_rss_mb=_peak_rss_mb(),
            workers=code.workers,
        ),
    )
    return result.model_copy(update={"injection_findings": detect_injection(result)})


def _binary_info(loaded: Loaded) -> BinaryInfo:
    """The :class:`BinaryInfo` of the loaded file (libraries have no entry point)."""
    triage, meta = loaded.triage, loaded.meta
    return BinaryInfo(
        file_name=loaded.path.name,
        size=len(loaded.data),
        sha256=hashlib.sha256(loaded.data).hexdigest(),
        format=triage.format,
        arch=triage.arch,
        bits=32 if triage.bits == 32 else 64,
        endianness=triage.endianness,
        kind=triage.kind,
        entry_point=loaded.project.entry if meta.entry_point is not None else None,
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


def _peak_rss_mb() -> float:
    """Largest resident set of this process or any finished child (worker), in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)
