"""The Python scripts (IDA, Ghidra, Binary Ninja): fixed template code from ``templates/`` with the
symbol map embedded as data.

Nothing from the binary or the model is pasted into code: the map is serialized with
``json.dumps`` (ASCII only), and each line of that JSON text becomes a Python string literal made
by ``json.dumps`` again, so the script reads ``DATA = json.loads("..." "...")``. The literal uses
only the escapes ``\\\\``, ``\\"`` and ``\\n``, which Python 2 (Ghidra's Jython) and Python 3 read
alike.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from binscribe.exports.options import ExportFormat
from binscribe.exports.symbols import SymbolMap

PYTHON_FORMATS = (ExportFormat.ida, ExportFormat.ghidra, ExportFormat.binja)
DATA_MARKER = "__BINSCRIBE_DATA__"


@cache
def _template(export_format: ExportFormat) -> str:
    path = resources.files("binscribe.exports") / "templates" / f"{export_format.value}.py.tmpl"
    text = path.read_text(encoding="utf-8")
    if text.count(DATA_MARKER) != 1:
        raise ValueError(f"template {export_format.value} must contain {DATA_MARKER} once")
    return text


def script_data(symbol_map: SymbolMap) -> dict[str, object]:
    """What a script needs: the binary to check and the functions with something to apply."""
    return {
        "binary": symbol_map.binary.model_dump(mode="json"),
        "functions": [
            f.model_dump(mode="json", exclude={"confidence"})
            for f in symbol_map.functions
            if f.suggested_name is not None or f.comment is not None
        ],
    }


def python_literal(data: object) -> str:
    """``data`` as a parenthesized run of Python string literals holding its JSON text."""
    text = json.dumps(data, indent=1, ensure_ascii=True)
    lines = [json.dumps(line + "\n") for line in text.split("\n")]
    return "(\n    " + "\n    ".join(lines) + "\n)"


def render_script(export_format: ExportFormat, symbol_map: SymbolMap) -> str:
    """The script for ``export_format`` (one of :data:`PYTHON_FORMATS`) applying ``symbol_map``."""
    return _template(export_format).replace(DATA_MARKER, python_literal(script_data(symbol_map)))
