"""Blob store (content addressing, limit while streaming, JSON documents) and file-name
sanitizing."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from binscribe.jobs.blobs import BlobStore, UploadTooLarge
from binscribe.jobs.submit import display_name


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_stream_is_stored_under_its_sha256(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    blob = await store.write_stream(_chunks(b"abc", b"def"), limit=6)
    digest = hashlib.sha256(b"abcdef").hexdigest()
    assert (blob.sha256, blob.size) == (digest, 6)
    assert blob.path == tmp_path / "blobs" / digest[:2] / digest[2:4] / digest
    assert blob.path.read_bytes() == b"abcdef"
    again = await store.write_stream(_chunks(b"abcdef"))
    assert again.path == blob.path
    assert list((tmp_path / "blobs" / "tmp").iterdir()) == []


async def test_limit_is_enforced_while_streaming(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    seen: list[bytes] = []

    async def endless() -> AsyncIterator[bytes]:
        for _ in range(100):
            seen.append(b"x")
            yield b"x" * 1024

    with pytest.raises(UploadTooLarge) as raised:
        await store.write_stream(endless(), limit=3000)
    assert (raised.value.http_status, raised.value.code) == (413, "upload_too_large")
    assert len(seen) == 3  # stopped at the chunk that passed the limit
    assert [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == []


def test_json_documents_round_trip_and_delete(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    text = '{"a": 1, "b": "\\u00e9"}'
    first, second = store.put_json(text), store.put_json(text)
    assert first.sha256 == second.sha256  # deterministic gzip: no name, no time
    assert store.read_json(first.sha256) == text
    assert store.delete(first.sha256) is True
    assert store.delete(first.sha256) is False
    assert store.exists(first.sha256) is False
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\evil.exe", "evil.exe"),
        ("name\x00with\x1fcontrol.bin", "namewithcontrol.bin"),
        ("", "upload"),
        (None, "upload"),
        ("dir/", "upload"),
        ("a" * 300, "a" * 255),
    ],
)
def test_display_name_is_metadata_only(given: str | None, stored: str) -> None:
    assert display_name(given) == stored
