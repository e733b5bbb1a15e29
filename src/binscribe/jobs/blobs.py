"""Content-addressed blob store under ``<data_dir>/blobs``: ``ab/cd/<sha256>``.

Uploaded binaries and result documents are stored by the sha256 of their bytes, so the same file
uploaded twice is stored once. Writes go to ``blobs/tmp/`` first and are renamed into place, so a
reader never sees a partial blob. The database holds metadata; this module only files bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from binscribe.errors import BinscribeError

CHUNK_BYTES = 1024 * 1024


class UploadTooLarge(BinscribeError):
    """The upload is bigger than ``BINSCRIBE_MAX_UPLOAD_MB`` (HTTP 413)."""

    http_status = 413
    code = "upload_too_large"


@dataclass(frozen=True)
class StoredBlob:
    """A blob in the store: its sha256 (hex), size in bytes and path."""

    sha256: str
    size: int
    path: Path


class BlobWriter:
    """Writes one blob incrementally while hashing it; :meth:`commit` files it by its sha256.

    ``limit`` is the maximum size in bytes: :meth:`write` raises :class:`UploadTooLarge` as soon
    as it is passed (the partial file is removed). Use as a context manager: leaving without
    :meth:`commit` discards the partial file.
    """

    def __init__(self, store: BlobStore, *, limit: int | None = None) -> None:
        self._store = store
        self._limit = limit
        self._hash = hashlib.sha256()
        self.size = 0
        store.tmp_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, name = tempfile.mkstemp(dir=store.tmp_dir, prefix="upload-")
        self._file = os.fdopen(fd, "wb")
        self._tmp = Path(name)

    def write(self, data: bytes) -> None:
        """Append ``data``; raises :class:`UploadTooLarge` past the limit."""
        self.size += len(data)
        if self._limit is not None and self.size > self._limit:
            self.discard()
            mb = self._limit // (1024 * 1024)
            raise UploadTooLarge(
                f"the file is larger than the upload limit of {mb} MB",
                details={"limit_bytes": self._limit},
            )
        self._hash.update(data)
        self._file.write(data)

    def commit(self) -> StoredBlob:
        """Close the file and move it to ``ab/cd/<sha256>`` (keeping an existing copy)."""
        self._file.close()
        sha256 = self._hash.hexdigest()
        final = self._store.path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if final.exists():
            self._tmp.unlink(missing_ok=True)
        else:
            os.replace(self._tmp, final)
        return StoredBlob(sha256=sha256, size=self.size, path=final)

    def discard(self) -> None:
        """Drop the partial file."""
        if not self._file.closed:
            self._file.close()
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> BlobWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._file.closed:
            self.discard()


class BlobStore:
    """The store rooted at ``root`` (normally ``<data_dir>/blobs``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp_dir = root / "tmp"

    def path(self, sha256: str) -> Path:
        """Where the blob ``sha256`` (64 lower-case hex characters) lives."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        """Whether the blob is stored."""
        return self.path(sha256).is_file()

    def writer(self, *, limit: int | None = None) -> BlobWriter:
        """A :class:`BlobWriter` for a new blob of at most ``limit`` bytes."""
        return BlobWriter(self, limit=limit)

    async def write_stream(
        self, chunks: AsyncIterator[bytes], *, limit: int | None = None
    ) -> StoredBlob:
        """Store the bytes of ``chunks`` (hashing as they come); raises :class:`UploadTooLarge`."""
        with self.writer(limit=limit) as writer:
            async for chunk in chunks:
                writer.write(chunk)
            return writer.commit()

    def put_bytes(self, data: bytes) -> StoredBlob:
        """Store ``data``; returns its blob."""
        with self.writer() as writer:
            writer.write(data)
            return writer.commit()

    def put_json(self, text: str) -> StoredBlob:
        """Store a JSON document gzip-compressed (deterministic: no file name, no time)."""
        return self.put_bytes(gzip.compress(text.encode(), compresslevel=6, mtime=0))

    def read_json(self, sha256: str) -> str:
        """A JSON document stored with :meth:`put_json`; ``FileNotFoundError`` when missing."""
        return gzip.decompress(self.path(sha256).read_bytes()).decode()

    def delete(self, sha256: str) -> bool:
        """Remove the blob; False when it was not there."""
        try:
            self.path(sha256).unlink()
        except FileNotFoundError:
            return False
        return True
