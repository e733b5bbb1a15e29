"""Exports: a job's names and comments, applied in the analyst's own tool.

:func:`render_export` turns a stored analysis result and its explanations into a script for IDA
(IDAPython, 9.x), Ghidra (Jython or PyGhidra), Binary Ninja (Python API) or radare2 (a command
script), or into the plain JSON symbol map (:class:`~binscribe.exports.symbols.SymbolMap`) for
any other tool. Every script checks it runs on the same binary (sha256, entry point offset)
before changing anything, finds functions by their offset from the image base, replaces only
names the tool generated, and prints how many names and comments it applied and skipped.

This package reads only the analysis and explanation models; the API and the CLI load the job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from binscribe.analysis.models import AnalysisResult
from binscribe.explain.report import ExplanationReport
from binscribe.exports.options import ExportFormat, ExportOptions
from binscribe.exports.radare2 import render_r2
from binscribe.exports.scripts import PYTHON_FORMATS, render_script
from binscribe.exports.symbols import SymbolMap, build_symbol_map

__all__ = ["Export", "ExportFormat", "ExportOptions", "SymbolMap", "render_export"]

_SUFFIXES = {
    ExportFormat.ida: (".ida.py", "text/x-python"),
    ExportFormat.ghidra: (".ghidra.py", "text/x-python"),
    ExportFormat.binja: (".binja.py", "text/x-python"),
    ExportFormat.r2: (".r2", "text/plain"),
    ExportFormat.json: (".symbols.json", "application/json"),
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Export:
    """A rendered export: ``text`` to save as ``file_name`` (``<binary>.binscribe.ida.py``)."""

    text: str
    file_name: str
    media_type: str


def export_file_name(binary_name: str, export_format: ExportFormat) -> str:
    """``crackme.elf`` -> ``crackme.elf.binscribe.ida.py``: only ``[A-Za-z0-9._-]`` kept."""
    stem = _UNSAFE.sub("_", binary_name).strip("._") or "binary"
    return f"{stem[:100]}.binscribe{_SUFFIXES[export_format][0]}"


def render_export(
    export_format: ExportFormat,
    analysis: AnalysisResult,
    explanation: ExplanationReport | None,
    options: ExportOptions,
    *,
    file_name: str | None = None,
) -> Export:
    """The export of one job for ``export_format``; ``file_name`` (the job's, else the analysis
    result's) names the file."""
    symbol_map = build_symbol_map(analysis, explanation, options, file_name=file_name)
    if export_format in PYTHON_FORMATS:
        text = render_script(export_format, symbol_map)
    elif export_format is ExportFormat.r2:
        text = render_r2(symbol_map)
    else:
        text = symbol_map.model_dump_json(indent=2) + "\n"
    name = export_file_name(symbol_map.binary.file_name, export_format)
    return Export(text=text, file_name=name, media_type=_SUFFIXES[export_format][1])
