"""The radare2 script, line by line: every line is one of the few commands it may use, and a small
interpreter of exactly those commands (as radare2's sources define them: ``?==`` sets ``$?`` to
strcmp, ``?!``/``?+``/``?-`` run a command when ``$?`` is 0/>0/<0, ``?lq`` sets ``$?`` to a
length, ``afn.`` prints the name of the function containing an address, ``CCu`` sets a comment
unless it is already there, backticks substitute output, ``~^x`` keeps lines starting with x,
``~{key}`` reads a JSON key) applies it to the PIE crackme loaded at r2's base."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from binscribe.exports import ExportFormat, ExportOptions, render_export
from tests.unit.exports.conftest import OPTIONS, PIE, job_result

BINARY = Path(__file__).parents[2] / "fixtures" / "bin" / PIE
SHA256 = hashlib.sha256(BINARY.read_bytes()).hexdigest()
LINE = re.compile(
    r"^(# .*"
    r"|f bs\.(base|named|commented) @ (0x[0-9a-f]+|0|\$B|bs\.(named|commented)\+1)"
    r"|f- bs\.(base|named|commented)"
    r"|\?= 1"
    r"|\?== [0-9a-f]{64} `itj~\{sha256\}`"
    r"|\?! f bs\.base @ \$B"
    r"|\?[+-] \?e binscribe: nothing changed: this export is for another file \(sha256 differs\)"
    r"|\?lq `afn\. @ bs\.base\+0x[0-9a-f]+(~\^fcn\.)?`"
    r"|\?\+ f bs\.(named|commented) @ bs\.(named|commented)\+1"
    r"|\?\+ afn [A-Za-z_][A-Za-z0-9_]* @ bs\.base\+0x[0-9a-f]+"
    r"|\?\+ CCu base64:[A-Za-z0-9+/=]+ @ bs\.base\+0x[0-9a-f]+"
    r"|\?e binscribe: (names|comments) applied, then skipped:"
    r"|\?vi (\d+-)?bs\.(named|commented))$"
)


class R2:
    """radare2 with the PIE loaded at ``base``: functions ``{start: (size, name)}``."""

    def __init__(self, base: int, sha256: str, functions: dict[int, tuple[int, str]]) -> None:
        self.base, self.sha256, self.functions = base, sha256, functions
        self.flags: dict[str, int] = {}
        self.comments: dict[int, str] = {}
        self.rc = 0
        self.out: list[str] = []

    def num(self, expr: str) -> int:
        total = 0
        for sign, term in re.findall(r"([+-]?)\s*([^+-]+)", expr.strip()):
            term = term.strip()
            value = (
                self.base
                if term == "$B"
                else self.flags.get(term, 0)
                if term.startswith("bs.")
                else int(term, 0)
            )
            total += -value if sign == "-" else value
        return total

    def containing(self, address: int) -> str | None:
        return next((n for s, (z, n) in self.functions.items() if s <= address < s + z), None)

    def cmd(self, line: str) -> str:
        line = re.sub(r"`([^`]*)`", lambda m: self.cmd(m.group(1)).strip(), line)
        command, _, grep = line.partition("~")
        command, _, at = command.partition(" @ ")
        out = self.run(command.strip(), self.num(at) if at else None)
        if grep.startswith("^"):
            out = "\n".join(x for x in out.splitlines() if x.startswith(grep[1:]))
        elif grep.startswith("{"):
            out = json.loads(out)[grep.strip("{}")]
        return out

    def run(self, command: str, at: int | None) -> str:
        head, _, rest = command.partition(" ")
        if head == "f":
            self.flags[rest] = at if at is not None else 0
        elif head == "f-":
            self.flags.pop(rest)
        elif head == "?=":
            self.rc = self.num(rest)
        elif head == "?==":
            a, b = rest.split(" ", 1)
            self.rc = (a > b) - (a < b)
        elif head in ("?!", "?+", "?-"):
            if {"?!": self.rc == 0, "?+": self.rc > 0, "?-": self.rc < 0}[head]:
                suffix = f" @ 0x{at:x}" if at is not None else ""
                return self.cmd(rest + suffix)
        elif head == "?lq":
            self.rc = len(rest.strip())
        elif head == "itj":
            return json.dumps({"md5": "x", "sha256": self.sha256})
        elif head == "afn.":
            return self.containing(at or 0) or ""
        elif head == "afn":
            start = next(s for s, (z, n) in self.functions.items() if s <= (at or 0) < s + z)
            self.functions[start] = (self.functions[start][0], rest)
        elif head == "CCu":
            text = base64.b64decode(rest.removeprefix("base64:")).decode()
            if text not in self.comments.get(at or 0, ""):
                self.comments[at or 0] = text
        elif head == "?e":
            self.out.append(rest)
        elif head == "?vi":
            self.out.append(str(self.num(rest)))
        else:
            raise AssertionError(f"command the script may not use: {command!r}")
        return ""

    def script(self, text: str) -> None:
        for line in text.splitlines():
            if not line.startswith("#"):
                self.cmd(line)


def r2_script(options: ExportOptions = OPTIONS[PIE]) -> str:
    result = job_result(PIE)
    return render_export(ExportFormat.r2, result.analysis, result.explanation, options).text


def loaded(base: int, sha256: str = SHA256) -> R2:
    """The PIE as ``r2 -A`` names it: functions without symbols are ``fcn.XXXXXXXX``."""
    functions = {
        0x1169: (0x1F, None),
        0x1188: (0x4C, None),
        0x11D4: (0x90, "main"),
        0x1080: (0x26, "entry0"),
    }
    return R2(
        base,
        sha256,
        {base + o: (size, name or f"fcn.{base + o:08x}") for o, (size, name) in functions.items()},
    )


def test_every_line_is_an_allowed_command() -> None:
    lines = r2_script().splitlines()
    assert [line for line in lines if not LINE.match(line)] == []
    assert lines[4:15] == [
        "f bs.base @ 0x7fffffff00000000",
        "f bs.named @ 0",
        "f bs.commented @ 0",
        "?= 1",
        f"?== {SHA256} `itj~{{sha256}}`",
        "?! f bs.base @ $B",
        "?= 1",
        f"?== {SHA256} `itj~{{sha256}}`",
        "?+ ?e binscribe: nothing changed: this export is for another file (sha256 differs)",
        "?= 1",
        f"?== {SHA256} `itj~{{sha256}}`",
    ]
    check = lines.index("# 0x1188")
    assert lines[check + 1 : check + 5] == [
        "?lq `afn. @ bs.base+0x1188~^fcn.`",
        "?+ f bs.named @ bs.named+1",
        "?lq `afn. @ bs.base+0x1188~^fcn.`",
        "?+ afn bs_verify_password @ bs.base+0x1188",
    ]
    assert "evil" not in r2_script()  # the model's text only travels in base64


@pytest.mark.parametrize("base", [0x0, 0x55550000])
def test_applies_at_r2s_base(base: int) -> None:
    r2 = loaded(base)
    r2.script(r2_script())
    names = {s - base: n for s, (_, n) in r2.functions.items()}
    assert names == {
        0x1169: "bs_strip_newline_in_place",
        0x1188: "bs_verify_password",
        0x11D4: "main",
        0x1080: "entry0",
    }
    assert sorted(a - base for a in r2.comments) == [0x1169, 0x1188, 0x118C, 0x11D4]
    assert r2.comments[base + 0x118C] == "binscribe: length check"
    assert "Line two: \\x41 ''' \"\"\" ; afn evil @ 0" in r2.comments[base + 0x1188]
    assert r2.out == [
        "binscribe: names applied, then skipped:",
        "2",
        "0",
        "binscribe: comments applied, then skipped:",
        "4",
        "0",
    ]
    assert r2.flags == {}


def test_another_file_changes_nothing() -> None:
    r2 = loaded(0, sha256="0" * 64)
    before = dict(r2.functions)
    r2.script(r2_script())
    assert (r2.functions, r2.comments) == (before, {})
    assert (
        r2.out[0] == "binscribe: nothing changed: this export is for another file (sha256 differs)"
    )
    assert r2.out[1:] == [
        "binscribe: names applied, then skipped:",
        "0",
        "2",
        "binscribe: comments applied, then skipped:",
        "0",
        "4",
    ]


def test_named_functions_keep_their_names() -> None:
    r2 = loaded(0)
    r2.functions[0x1188] = (0x4C, "sym.check_password")
    r2.script(r2_script(ExportOptions()))
    assert r2.functions[0x1188][1] == "sym.check_password"
    assert r2.functions[0x11D4][1] == "main"
    assert r2.functions[0x1169][1] == "strip_newline_in_place"
    assert r2.out[1:3] == ["1", "2"]
