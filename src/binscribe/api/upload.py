"""Streaming ``multipart/form-data`` reader for uploads: the file part goes straight to the blob
store while it is hashed, so the server never holds the file in memory and stops storing it as
soon as it passes the size limit.

Starlette's ``request.form()`` would first spool the whole file to a temporary file; this reader
feeds ``request.stream()`` chunks to python-multipart's push parser instead. Past the limit the
rest of the body is read and dropped (so the client, still sending, gets the 413 answer rather
than a reset connection), then :class:`~binscribe.jobs.blobs.UploadTooLarge` is raised.

Everything else in the form is bounded too, and refused as soon as a bound is passed (nothing
more is stored; the rest of the body is drained as above): at most :data:`MAX_FORM_FIELDS` text
fields of at most :data:`MAX_FIELD_BYTES` each (413 ``form_field_too_large`` /
``too_many_form_fields``), part headers of at most :data:`MAX_PART_HEADER_BYTES` per line and
:data:`MAX_PART_HEADERS` per part (413 ``part_header_too_large``; a 10,000-character file name
is one), and a body that is not multipart at all is 400 ``malformed_multipart``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from binscribe.errors import BinscribeError, ValidationFailed, field_errors
from binscribe.jobs.blobs import BlobStore, BlobWriter, StoredBlob

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

MAX_FIELD_BYTES = 4096
"""Bytes in one text field (the upload's fields are a UUID, two words and a number)."""
MAX_FORM_FIELDS = 16
"""Parts besides the file; more is refused before any of them is kept."""
MAX_PART_HEADER_BYTES = 8192
"""Bytes in one part header line: room for a 255-character UTF-8 file name several times over."""
MAX_PART_HEADERS = 8
"""Header lines in one part (browsers send two: Content-Disposition and Content-Type)."""


class FormTooLarge(BinscribeError):
    """A form field, the number of fields or a part header passed its bound (HTTP 413)."""

    http_status = 413
    code = "form_too_large"


class MalformedForm(BinscribeError):
    """The body is not the ``multipart/form-data`` its Content-Type announces (HTTP 400)."""

    http_status = 400
    code = "malformed_multipart"


def _parse_error(exc: FormParserError) -> BinscribeError:
    """python-multipart's refusal as ours: its header bounds are ours (set on the parser)."""
    if str(exc).startswith("Maximum header"):
        return FormTooLarge(
            f"a part header of the form is longer than {MAX_PART_HEADER_BYTES} bytes, or a part "
            f"has more than {MAX_PART_HEADERS} headers (a very long file name?)",
            code="part_header_too_large",
            details={"max_header_bytes": MAX_PART_HEADER_BYTES, "max_headers": MAX_PART_HEADERS},
        )
    return MalformedForm(f"the request body is not valid multipart/form-data ({exc})")


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
        self._parts = 0

    def on_part_begin(self) -> None:
        self._headers, self._name, self._value = {}, None, bytearray()
        self._parts += 1
        if self._parts > MAX_FORM_FIELDS + 1:
            raise FormTooLarge(
                f"the form has more than {MAX_FORM_FIELDS} fields besides the file",
                code="too_many_form_fields",
                details={"max_fields": MAX_FORM_FIELDS},
            )

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
            message = "send exactly one file"
            raise ValidationFailed(
                message, details=field_errors((self.file_field, message, "validation_error"))
            )
        self.file_name = params.get(b"filename", b"").decode("utf-8", "replace")
        self.writer = self.store.writer(limit=self.limit)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.writer is not None:
            self.writer.write(data[start:end])
            return
        if len(self._value) + end - start > MAX_FIELD_BYTES:
            raise FormTooLarge(
                f"form field '{self._name[:64] if self._name else ''}' is longer than "
                f"{MAX_FIELD_BYTES} bytes",
                code="form_field_too_large",
                details={"max_field_bytes": MAX_FIELD_BYTES},
            )
        self._value += data[start:end]

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
        FormTooLarge: 413 ``form_field_too_large``, ``too_many_form_fields`` or
            ``part_header_too_large`` (see the module docstring).
        MalformedForm: 400 ``malformed_multipart``, a body that does not parse.
        ValidationFailed: not multipart, no file part or two file parts.
    """
    content_type, params = parse_options_header(request.headers.get("content-type"))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        message = "send the file as multipart/form-data"
        raise ValidationFailed(
            message, details=field_errors((file_field, message, "validation_error"))
        )
    collector = _Collector(store, file_field, limit)
    stream = request.stream()
    try:
        try:
            parser = MultipartParser(
                boundary,
                callbacks=_callbacks(collector),
                max_header_count=MAX_PART_HEADERS,
                max_header_size=MAX_PART_HEADER_BYTES,
            )
            async for chunk in stream:
                parser.write(chunk)
            parser.finalize()
        except FormParserError as exc:
            raise _parse_error(exc) from None
    except BinscribeError:
        async for _ in stream:  # drain what the client still sends, store nothing
            pass
        raise
    finally:
        if collector.writer is not None:
            collector.writer.discard()
    if collector.blob is None:
        message = f"the form has no '{file_field}' file part"
        raise ValidationFailed(
            message, details=field_errors((file_field, message, "validation_error"))
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
