"""Streaming ``multipart/form-data`` reader for uploads: the file part goes straight to the blob
store while it is hashed, so the server never holds the file in memory and stops storing it as
soon as it passes the size limit.

Starlette's ``request.form()`` would first spool the whole file to a temporary file; this reader
feeds ``request.stream()`` chunks to python-multipart's push parser instead. Past the limit the
rest of the body is read and dropped (so the client, still sending, gets the 413 answer rather
than a reset connection), then :class:`~binscribe.jobs.blobs.UploadTooLarge` is raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import Request
from python_multipart.multipart import MultipartParser, parse_options_header

from binscribe.errors import BinscribeError, ValidationFailed
from binscribe.jobs.blobs import BlobStore, BlobWriter, StoredBlob

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

MAX_FIELD_BYTES = 64 * 1024


@dataclass
class UploadForm:
    """The parsed form: the stored file (with the client's file name) and the text fields."""

    blob: StoredBlob
    file_name: str
    fields: dict[str, str] = field(default_factory=dict)


class _Collector:
    """python-multipart callbacks: routes the ``file_field`` part to a blob writer and the
    other parts to small in-memory text fields."""

    def __init__(self, store: BlobStore, file_field: str, limit: int) -> None:
        self.store, self.file_field, self.limit = store, file_field, limit
        self.fields: dict[str, str] = {}
        self.writer: BlobWriter | None = None
        self.blob: StoredBlob | None = None
        self.file_name: str | None = None
        self._headers: dict[bytes, bytes] = {}
        self._header_name = b""
        self._header_value = b""
        self._name: str | None = None
        self._value = bytearray()

    def on_part_begin(self) -> None:
        self._headers, self._name, self._value = {}, None, bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._header_name.lower()] = self._header_value
        self._header_name, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = params.get(b"name", b"").decode("utf-8", "replace")
        if self._name != self.file_field:
            return
        if self.writer is not None or self.blob is not None:
            raise ValidationFailed("send exactly one file", details={"field": self.file_field})
        self.file_name = params.get(b"filename", b"").decode("utf-8", "replace")
        self.writer = self.store.writer(limit=self.limit)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.writer is not None:
            self.writer.write(data[start:end])
            return
        self._value += data[start:end]
        if len(self._value) > MAX_FIELD_BYTES:
            raise ValidationFailed(
                f"form field '{self._name}' is too long", details={"field": self._name}
            )

    def on_part_end(self) -> None:
        if self.writer is not None:
            self.blob = self.writer.commit()
            self.writer = None
        elif self._name:
            self.fields[self._name] = self._value.decode("utf-8", "replace")


async def read_upload(
    request: Request, store: BlobStore, *, limit: int, file_field: str = "file"
) -> UploadForm:
    """Read the request's multipart body: the ``file_field`` part into ``store`` (at most
    ``limit`` bytes), other parts as text fields.

    Raises:
        UploadTooLarge: the file passed ``limit`` (413 ``upload_too_large``).
        ValidationFailed: not multipart, no file part, two file parts or a huge text field.
    """
    content_type, params = parse_options_header(request.headers.get("content-type"))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise ValidationFailed(
            "send the file as multipart/form-data", details={"field": file_field}
        )
    collector = _Collector(store, file_field, limit)
    parser = MultipartParser(boundary, callbacks=_callbacks(collector))
    stream = request.stream()
    try:
        async for chunk in stream:
            parser.write(chunk)
        parser.finalize()
    except BinscribeError:
        async for _ in stream:  # drain what the client still sends, store nothing
            pass
        raise
    finally:
        if collector.writer is not None:
            collector.writer.discard()
    if collector.blob is None:
        raise ValidationFailed(
            f"the form has no '{file_field}' file part", details={"field": file_field}
        )
    return UploadForm(
        blob=collector.blob, file_name=collector.file_name or "", fields=collector.fields
    )


def _callbacks(collector: _Collector) -> MultipartCallbacks:
    return {
        "on_part_begin": collector.on_part_begin,
        "on_header_field": collector.on_header_field,
        "on_header_value": collector.on_header_value,
        "on_header_end": collector.on_header_end,
        "on_headers_finished": collector.on_headers_finished,
        "on_part_data": collector.on_part_data,
        "on_part_end": collector.on_part_end,
    }
