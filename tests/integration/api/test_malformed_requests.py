"""Malformed and oversized requests get a 4xx with a ``code``, never a 500, and store nothing
(issue 9 items 5 and 6), on SQLite and PostgreSQL; the multipart bounds keep a server's memory
flat under a form of 6,000 large fields (a real server process)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from binscribe.api.paging import MAX_OFFSET
from binscribe.api.upload import (
    MAX_FIELD_BYTES,
    MAX_FORM_FIELDS,
    MAX_PART_HEADER_BYTES,
    MAX_PART_HEADERS,
)
from binscribe.settings import Settings
from tests.helpers import CRACKME
from tests.live_server import running_server

DECOMPILE = "/api/v1/decompile"
BOUNDARY = "binscribe-test-boundary"
HEADER_LIMITS = {"max_header_bytes": MAX_PART_HEADER_BYTES, "max_headers": MAX_PART_HEADERS}


def _form(*parts: bytes) -> bytes:
    return b"".join(f"--{BOUNDARY}\r\n".encode() + p + b"\r\n" for p in parts) + (
        f"--{BOUNDARY}--\r\n".encode()
    )


def _field(name: str, value: bytes) -> bytes:
    return f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value


def _file(name: str = "crackme", extra_headers: bytes = b"") -> bytes:
    disposition = f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
    return disposition.encode() + extra_headers + b"\r\n" + CRACKME.read_bytes()


def _post(client: TestClient, body: bytes, boundary: str = BOUNDARY) -> httpx.Response:
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    return client.post(DECOMPILE, content=body, headers=headers)


def _nothing_stored(client: TestClient, settings: Settings) -> None:
    assert client.get("/api/v1/jobs").json() == {"data": [], "count": 0}
    blobs = settings.data_dir / "blobs"
    assert not blobs.exists() or not [p for p in blobs.rglob("*") if p.is_file()]


def test_bodies_that_are_not_multipart_are_400(client: TestClient, app_settings: Settings) -> None:
    for body, boundary in [
        (os.urandom(256 * 1024), BOUNDARY),  # random bytes
        (b"--other\r\n" + _file()[:500], BOUNDARY),  # another boundary
        (_form(_file()), "b" * 300),  # boundary over python-multipart's 256 bytes
    ]:
        response = _post(client, body, boundary)
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "malformed_multipart"
        assert response.json()["message"].startswith(
            "the request body is not valid multipart/form-data ("
        )
    _nothing_stored(client, app_settings)


def test_long_file_names_and_huge_part_headers_are_413(
    client: TestClient, app_settings: Settings
) -> None:
    message = (
        f"a part header of the form is longer than {MAX_PART_HEADER_BYTES} bytes, or a part has "
        f"more than {MAX_PART_HEADERS} headers (a very long file name?)"
    )
    cases = [
        _form(_file("a" * 10_000)),
        _form(_file("\u00e9" * 10_000)),
        _form(_file(extra_headers=b"X-Pad: " + b"p" * (20 * 1024 * 1024) + b"\r\n")),
        _form(_file(extra_headers=b"".join(b"X-%d: 1\r\n" % i for i in range(9)))),
    ]
    for body in cases:
        response = _post(client, body)
        assert response.status_code == 413, response.text
        assert response.json() == {
            "code": "part_header_too_large",
            "message": message,
            "details": HEADER_LIMITS,
        }
    # A long but sane file name passes the reader: the options check is what answers here.
    passed = _post(client, _form(_field("analysis_depth", b"deep"), _file("n" * 1000)))
    assert (passed.status_code, passed.json()["code"]) == (422, "validation_error")
    _nothing_stored(client, app_settings)


def test_text_fields_are_bounded_in_size_and_number(
    client: TestClient, app_settings: Settings
) -> None:
    too_long = _post(client, _form(_field("provider_id", b"x" * (MAX_FIELD_BYTES + 1)), _file()))
    assert too_long.status_code == 413
    assert too_long.json() == {
        "code": "form_field_too_large",
        "message": f"form field 'provider_id' is longer than {MAX_FIELD_BYTES} bytes",
        "details": {"max_field_bytes": MAX_FIELD_BYTES},
    }
    many = [_field(f"f{i}", b"v") for i in range(MAX_FORM_FIELDS + 1)]
    too_many = _post(client, _form(*many, _file()))
    assert too_many.status_code == 413
    assert too_many.json() == {
        "code": "too_many_form_fields",
        "message": f"the form has more than {MAX_FORM_FIELDS} fields besides the file",
        "details": {"max_fields": MAX_FORM_FIELDS},
    }
    _nothing_stored(client, app_settings)
    # At the bounds the reader accepts the form; the options check then names the stray field.
    at_bounds = [_field(f"f{i}", b"v" * MAX_FIELD_BYTES) for i in range(MAX_FORM_FIELDS)]
    stray = _post(client, _form(*at_bounds, _file()))
    assert (stray.status_code, stray.json()["code"]) == (422, "validation_error")
    assert stray.json()["message"].startswith("Invalid f0: ")


def test_page_bounds_on_the_jobs_list(client: TestClient) -> None:
    for query in (
        "offset=99999999999999999999",
        f"offset={MAX_OFFSET + 1}",
        "offset=-1",
        "limit=0",
        "limit=201",
        "limit=abc",
        f"limit={2**64}",
    ):
        response = client.get(f"/api/v1/jobs?{query}")
        assert (response.status_code, response.json()["code"]) == (422, "validation_error"), query
    deepest = client.get(f"/api/v1/jobs?offset={MAX_OFFSET}&limit=200")
    assert deepest.status_code == 200
    assert deepest.json() == {"data": [], "count": 0}


def _peak_rss_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of process ``pid`` in KiB."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def test_six_thousand_large_fields_leave_the_server_memory_flat(tmp_path: Path) -> None:
    """The attack of issue 9 item 5: 6,000 fields of 65,000 bytes (390 MB, streamed). The old
    reader kept them all (the server grew by 380 MB); now the first field is refused, the rest
    is read and dropped."""
    field = _field("analysis_depth", b"d" * 65_000)

    def body() -> Iterator[bytes]:
        for _ in range(6000):
            yield f"--{BOUNDARY}\r\n".encode() + field + b"\r\n"
        yield f"--{BOUNDARY}--\r\n".encode()

    many_small = _form(*[_field("x", b"1") for _ in range(6000)], _file())
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    with running_server(tmp_path) as server:
        Path(f"/proc/{server.pid}/clear_refs").write_text("5")  # peak RSS := current RSS
        rss_before, _ = _peak_rss_kib(server.pid)
        with httpx.Client(base_url=server.url, timeout=120) as client:
            large = client.post(DECOMPILE, content=body(), headers=headers)
            small = client.post(DECOMPILE, content=many_small, headers=headers)
        _, peak_after = _peak_rss_kib(server.pid)
    assert (large.status_code, large.json()["code"]) == (413, "form_field_too_large")
    assert (small.status_code, small.json()["code"]) == (413, "too_many_form_fields")
    assert peak_after - rss_before < 64 * 1024, (rss_before, peak_after)  # KiB: under 64 MB
