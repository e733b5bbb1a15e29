"""Decompile a few functions of an analyzed binary without a full CFG recovery.

The stored analysis already knows each function's instructions (its disassembly lines), so the
child reloads the binary and runs CFGFast only over those instructions' address ranges (plus
the PLT/stub sections, so calls to imports keep their names), with the function starts given:
on ``/usr/bin/gzip`` about a second of CFG work instead of the full recovery (see
``benchmarks/bench_ondemand.py``). Runs in the sandboxed child of
:func:`~binscribe.analysis.sandbox.run_sandboxed` with the same memory and time limits.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from binscribe.analysis.models import Function
from binscribe.analysis.options import AnalysisOptions
from binscribe.analysis.sandbox import run_sandboxed

GAP = 256
"""Instructions further apart than this many bytes start a new CFG region."""
MAX_INSN = 16
"""Bytes added after a region's last instruction address (longest x86 instruction: 15)."""
_STUB_SECTIONS = (".plt", ".plt.sec", ".plt.got", "__stubs", "__stub_helper")

Outcome = tuple[str | None, str | None]
"""``(pseudocode, decompile_error)``, as :mod:`~binscribe.analysis.decompile` reports it."""


def regions_of(function: Function) -> list[tuple[int, int]]:
    """Address ranges ``[start, end)`` covering the function's instructions, read from its
    stored disassembly (``0x401126: push rbp`` lines); the entry alone when it has none."""
    addresses = sorted(
        int(line.split(":", 1)[0], 16)
        for line in function.disassembly.splitlines()
        if line.startswith("0x") and ":" in line
    ) or [function.address]
    regions: list[tuple[int, int]] = []
    start = previous = addresses[0]
    for address in addresses[1:]:
        if address - previous > GAP:
            regions.append((start, previous + MAX_INSN))
            start = address
        previous = address
    regions.append((start, previous + MAX_INSN))
    return regions


def decompile_functions(
    path: str | Path,
    functions: list[Function],
    *,
    options: AnalysisOptions,
    check: Callable[[], None] | None = None,
) -> dict[int, Outcome]:
    """Decompile ``functions`` (from a stored analysis of the file at ``path``) in the sandbox;
    returns their outcomes by model address. ``check()`` raising cancels (kills the child).
    Raises :class:`~binscribe.analysis.errors.AnalysisError` as the full analysis does."""
    wanted = [
        (f.address, f.address | 1 if f.is_thumb else f.address, regions_of(f)) for f in functions
    ]
    text = run_sandboxed(path, options=options, task=(_decompile_in_child, (wanted,)), check=check)
    return {int(address): (pseudo, error) for address, (pseudo, error) in json.loads(text).items()}


def _decompile_in_child(
    path: str,
    options: AnalysisOptions,
    wanted: list[tuple[int, int, list[tuple[int, int]]]],
    *,
    progress: Any,
    deadline: float,
) -> str:
    """Child side: load, restricted CFGFast, decompile. ``wanted``: (model address, angr
    address with the Thumb bit, regions) per function; the outcomes as JSON keyed by the model
    address."""
    from binscribe.analysis import _quiet, loader
    from binscribe.analysis.decompile import decompile_all
    from binscribe.analysis.triage import detect_format

    data = Path(path).read_bytes()
    triage = detect_format(data, fat_arch=options.fat_arch)
    image = data[triage.slice_offset : triage.slice_offset + triage.slice_size]
    _quiet.silence()
    project, _ = loader.load_project(image, triage)
    progress("load", 1, 1)
    regions = [region for _, _, ranges in wanted for region in ranges]
    for section in project.loader.main_object.sections:
        if section.name in _STUB_SECTIONS and section.memsize:
            regions.append((section.vaddr, section.vaddr + section.memsize))
    cfg = project.analyses.CFGFast(
        normalize=True,
        data_references=True,
        regions=regions,
        function_starts=[address for _, address, _ in wanted],
        start_at_entry=False,
        force_complete_scan=False,
    )
    progress("cfg", 1, 1)
    outcomes, _ = decompile_all(
        project,
        cfg.model,
        [address for _, address, _ in wanted],
        workers=1,
        timeout_s=options.function_timeout_s,
        deadline=deadline,
        progress=lambda done, total: progress("decompile", done, total),
    )
    late: Outcome = (None, "not decompiled: the time budget was reached")
    return json.dumps({model: outcomes.get(address, late) for model, address, _ in wanted})
