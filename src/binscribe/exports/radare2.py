"""The radare2 command script: run inside r2 with ``. file.r2`` (or ``r2 -i file.r2 binary``)
after the analysis (``aaa``) that names functions ``fcn.XXXXXXXX``.

r2's command language has no variables or blocks, so the script keeps its state in flags:
``bs.base`` is the image base (``$B``) when the file's sha256 (``itj~{sha256}``) matches, and an
address far above any mapping when it does not, so that no command after the check finds a
function; ``bs.named`` and ``bs.commented`` count what was applied (a flag's address is its
value). ``?= 1`` before each ``?==`` makes a comparison that cannot run count as a mismatch.
Each change is guarded by ``?lq`` (sets ``$?`` to the length of its text) and ``?+`` (runs
a command when ``$?`` > 0): a name is given only when ``afn.`` reports a generated ``fcn.`` name,
a comment only when a function contains the address. Comments are passed as ``base64:``, names
are identifiers (see :mod:`.names`), so nothing from the model or the binary reaches the command
parser as text.
"""

from __future__ import annotations

import base64
import re

from binscribe.exports.symbols import SymbolMap

NOWHERE = 0x7FFF_FFFF_0000_0000
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _b64(text: str) -> str:
    return "base64:" + base64.b64encode(text.encode("utf-8")).decode("ascii")


def _comment(at: str, text: str, *, function_check: str) -> list[str]:
    return [
        function_check,
        f"?+ CCu {_b64(text)} @ {at}",
        function_check,
        "?+ f bs.commented @ bs.commented+1",
    ]


def _function(offset: int, name: str | None, comment: str | None) -> list[str]:
    at = f"bs.base+0x{offset:x}"
    generated = f"?lq `afn. @ {at}~^fcn.`"
    lines = [f"# 0x{offset:x}"]
    if name is not None:
        if not _IDENTIFIER.match(name):
            raise ValueError(f"not an identifier: {name!r}")
        lines += [generated, "?+ f bs.named @ bs.named+1", generated, f"?+ afn {name} @ {at}"]
    if comment is not None:
        lines += _comment(at, comment, function_check=f"?lq `afn. @ {at}`")
    return lines


def render_r2(symbol_map: SymbolMap) -> str:
    """The radare2 script applying ``symbol_map``; ends by printing what it applied."""
    sha256 = symbol_map.binary.sha256
    if not _SHA256.match(sha256):
        raise ValueError("the binary's sha256 is not 64 hex digits")
    # ``?= 1`` first: when ``?==`` cannot compare (no hash), ``$?`` stays 1, "differs"
    check = f"?= 1\n?== {sha256} `itj~{{sha256}}`"
    names, comments, evidence = symbol_map.counts()
    lines = [
        "# binscribe export for radare2: names and comments from the explanation of a binary.",
        "# Run it inside r2 after `aaa`: `. this_file` (or `r2 -A -i this_file binary`).",
        f"# Applies only to the file with sha256 {sha256};",
        "# functions are found by offset from the image base ($B), so any load base works.",
        f"f bs.base @ 0x{NOWHERE:x}",
        "f bs.named @ 0",
        "f bs.commented @ 0",
        check,
        "?! f bs.base @ $B",
        check,
        "?+ ?e binscribe: nothing changed: this export is for another file (sha256 differs)",
        check,
        "?- ?e binscribe: nothing changed: this export is for another file (sha256 differs)",
    ]
    for item in symbol_map.functions:
        if item.suggested_name is None and item.comment is None:
            continue
        lines += _function(item.offset, item.suggested_name, item.comment)
        for note in item.evidence:
            at = f"bs.base+0x{note.offset:x}"
            lines += _comment(at, note.text, function_check=f"?lq `afn. @ {at}`")
    lines += [
        "?e binscribe: names applied, then skipped:",
        "?vi bs.named",
        f"?vi {names}-bs.named",
        "?e binscribe: comments applied, then skipped:",
        "?vi bs.commented",
        f"?vi {comments + evidence}-bs.commented",
        "f- bs.base",
        "f- bs.named",
        "f- bs.commented",
    ]
    return "\n".join(lines) + "\n"
