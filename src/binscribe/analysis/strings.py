"""String literals in data sections: ASCII, UTF-8 and UTF-16LE runs.

Bytes that are not valid UTF-8 inside a text-like run are escaped as ``\\xNN``; nothing here
raises on arbitrary input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from binscribe.analysis.models import StringEncoding

_TEXT_RUN = re.compile(rb"[\t\n\r\x20-\x7e\x80-\xff]{%d,}")
_UTF16_RUN = re.compile(rb"(?:[\t\n\r\x20-\x7e\xa0-\xff]\x00){%d,}")


@dataclass(frozen=True)
class FoundString:
    """One literal: virtual ``address``, decoded ``value``, ``encoding``, containing section."""

    address: int
    value: str
    encoding: StringEncoding
    section: str


def _looks_like_text(raw: bytes) -> bool:
    ascii_printable = sum(0x20 <= b < 0x7F for b in raw)
    return ascii_printable >= 0.6 * len(raw) and any(chr(b).isalnum() for b in raw if b < 0x80)


def _decode_8bit(raw: bytes) -> tuple[str, StringEncoding]:
    if raw.isascii():
        return raw.decode("ascii"), "ascii"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace"), "ascii"


def find_strings(
    regions: list[tuple[str, int, bytes]], *, min_length: int = 4, limit: int = 20000
) -> list[FoundString]:
    """Literals of at least ``min_length`` characters in ``regions`` (section name, address,
    bytes), in address order, at most ``limit``. 8-bit runs are ``"ascii"`` when every byte is
    ASCII, ``"utf-8"`` when they decode as UTF-8 with non-ASCII characters, and ``"ascii"`` with
    the other bytes escaped as ``\\xNN`` otherwise."""
    found: list[FoundString] = []
    text_run = re.compile(_TEXT_RUN.pattern % min_length)
    utf16_run = re.compile(_UTF16_RUN.pattern % min_length)
    for section, base, data in regions:
        for match in text_run.finditer(data):
            raw = match.group()
            if _looks_like_text(raw):
                value, encoding = _decode_8bit(raw)
                found.append(FoundString(base + match.start(), value, encoding, section))
        for match in utf16_run.finditer(data):
            if match.start() % 2:
                continue
            value = match.group().decode("utf-16-le")
            if any(ch.isalnum() for ch in value):
                found.append(FoundString(base + match.start(), value, "utf-16le", section))
    found.sort(key=lambda s: s.address)
    return found[:limit]
