"""Binary analysis: format triage, angr analysis in a sandboxed process, the result model.

Entry points: :func:`detect_format` (fast header triage), :func:`analyze_file` (the whole
analysis in a child process with limits). Imports nothing of ours but settings and errors.
"""

from binscribe.analysis.errors import AnalysisError
from binscribe.analysis.models import (
    SCHEMA_VERSION,
    AnalysisResult,
    AnalysisStats,
    BinaryInfo,
    Export,
    Function,
    Import,
    Section,
    StringRef,
)
from binscribe.analysis.options import AnalysisOptions
from binscribe.analysis.sandbox import analyze_file
from binscribe.analysis.triage import Triage, detect_format

__all__ = [
    "SCHEMA_VERSION",
    "AnalysisError",
    "AnalysisOptions",
    "AnalysisResult",
    "AnalysisStats",
    "BinaryInfo",
    "Export",
    "Function",
    "Import",
    "Section",
    "StringRef",
    "Triage",
    "analyze_file",
    "detect_format",
]
