"""String literal extraction from section bytes: encodings, escaping, addresses, limits."""

from __future__ import annotations

from binscribe.analysis.strings import FoundString, find_strings


def _find(data: bytes, **kwargs: int) -> list[FoundString]:
    return find_strings([(".rodata", 0x402000, data)], **kwargs)


def test_encodings_are_ascii_utf8_and_utf16le() -> None:
    data = (
        b"\0Enter the password\0"
        + "Größe: %d Bytes".encode()
        + b"\0\0\0"  # UTF-16 literals are 2-byte aligned: 0x402028
        + "Fehler öffnen".encode("utf-16-le")
        + b"\0\0"
    )
    found = _find(data)
    assert [(s.address, s.value, s.encoding) for s in found] == [
        (0x402001, "Enter the password", "ascii"),
        (0x402014, "Größe: %d Bytes", "utf-8"),
        (0x402028, "Fehler öffnen", "utf-16le"),
    ]
    assert {s.section for s in found} == {".rodata"}


def test_bytes_that_are_not_utf8_are_escaped_not_fatal() -> None:
    found = _find(b"\0bad\xff\xfe text here\0")
    assert [(s.value, s.encoding) for s in found] == [("bad\\xff\\xfe text here", "ascii")]


def test_short_runs_and_binary_noise_are_not_strings() -> None:
    assert _find(b"\0abc\0\x01\x02\x03\x04\x05\0") == []
    assert _find(b"\0abc\0", min_length=3)[0].value == "abc"
    assert _find(bytes(i % 32 for i in range(1024))) == []


def test_limit_keeps_the_lowest_addresses() -> None:
    data = b"".join(b"string%04d\0" % i for i in range(50))
    found = _find(data, limit=3)
    assert [s.value for s in found] == ["string0000", "string0001", "string0002"]
