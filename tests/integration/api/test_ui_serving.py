"""The built UI at ``/``: files, the client-route fallback, and the paths it must never shadow."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.api.ui import accepted_encodings
from binscribe.crypto import generate_key
from binscribe.settings import Settings

INDEX = "<!doctype html><title>binscribe</title><div id=root></div>"
SCRIPT = "console.log('binscribe');"
# A chunk the build precompressed: its brotli copy is stand-in bytes (read raw, never decoded).
CHUNK = "export const rows = [" + ",".join(str(n) for n in range(400)) + "];"
CHUNK_BR = b"brotli copy of the chunk"
CHUNK_GZ = gzip.compress(CHUNK.encode(), mtime=0)
# A stylesheet without copies, large enough for on-the-fly gzip (over GZipMiddleware's 500 bytes).
STYLE = ".row { color: #123456; }\n" * 40


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    folder = tmp_path / "dist"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text(INDEX)
    (folder / "assets" / "index-abc123.js").write_text(SCRIPT)
    (folder / "assets" / "chunk-def456.js").write_text(CHUNK)
    (folder / "assets" / "chunk-def456.js.br").write_bytes(CHUNK_BR)
    (folder / "assets" / "chunk-def456.js.gz").write_bytes(CHUNK_GZ)
    (folder / "assets" / "index-abc123.css").write_text(STYLE)
    (tmp_path / "secret.txt").write_text("outside the dist folder")
    return folder


def make_client(tmp_path: Path, ui_dir: Path, api_token: str | None = None) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "data",
        encryption_key=generate_key(),
        ui_dir=ui_dir,
        api_token=api_token,
    )
    app = create_app(settings)
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


@pytest.fixture
def client(tmp_path: Path, dist: Path) -> Iterator[TestClient]:
    yield from make_client(tmp_path, dist)


@pytest.mark.parametrize("path", ["/", "/providers", "/analyze", "/jobs", "/jobs/3f2a-77"])
def test_client_routes_answer_index_html(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"


def test_head_answers_like_get(client: TestClient) -> None:
    response = client.head("/providers")
    assert response.status_code == 200
    assert response.text == ""


def test_hashed_assets_are_files_cached_for_a_year(client: TestClient) -> None:
    response = client.get("/assets/index-abc123.js")
    assert response.status_code == 200
    assert response.text == SCRIPT
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def raw_get(client: TestClient, path: str, accept_encoding: str) -> tuple[dict[str, str], bytes]:
    """Headers and the undecoded body bytes, as they went over the wire."""
    with client.stream("GET", path, headers={"accept-encoding": accept_encoding}) as response:
        assert response.status_code == 200
        return dict(response.headers), b"".join(response.iter_raw())


@pytest.mark.parametrize(
    ("accept_encoding", "encoding", "body"),
    [
        ("gzip, deflate, br, zstd", "br", CHUNK_BR),
        ("br;q=1.0, gzip;q=0.8", "br", CHUNK_BR),
        ("gzip, deflate", "gzip", CHUNK_GZ),
        ("gzip, br;q=0", "gzip", CHUNK_GZ),
    ],
    ids=["browser", "weighted", "gzip-only", "brotli-refused"],
)
def test_precompressed_copy_is_sent_when_accepted(
    client: TestClient, accept_encoding: str, encoding: str, body: bytes
) -> None:
    headers, raw = raw_get(client, "/assets/chunk-def456.js", accept_encoding)
    assert headers["content-encoding"] == encoding
    assert raw == body
    assert headers["content-length"] == str(len(body))
    assert headers["content-type"].startswith("text/javascript")
    assert headers["vary"] == "Accept-Encoding"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("accept_encoding", ["identity", "", "gzip;q=0, br;q=0"])
def test_uncompressed_when_no_coding_is_accepted(client: TestClient, accept_encoding: str) -> None:
    headers, raw = raw_get(client, "/assets/chunk-def456.js", accept_encoding)
    assert "content-encoding" not in headers
    assert raw == CHUNK.encode()
    assert headers["cache-control"] == "public, max-age=31536000, immutable"


def test_file_without_copies_is_gzipped_on_the_fly(client: TestClient) -> None:
    headers, raw = raw_get(client, "/assets/index-abc123.css", "gzip, deflate, br")
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw) == STYLE.encode()
    assert headers["content-type"] == "text/css; charset=utf-8"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    # below GZipMiddleware's minimum size a file goes out as it is
    small_headers, small = raw_get(client, "/assets/index-abc123.js", "gzip")
    assert "content-encoding" not in small_headers
    assert small == SCRIPT.encode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br, zstd", {"gzip", "deflate", "br", "zstd"}),
        ("BR;q=0.5, gzip;q=0", {"br"}),
        ("gzip; q=0.001, identity;q=bad", {"gzip"}),
        ("", set()),
    ],
    ids=["browser", "weights", "spaces-and-garbage", "empty"],
)
def test_accepted_encodings(header: str, expected: set[str]) -> None:
    assert accepted_encodings(header) == expected


def test_missing_file_is_404_not_index(client: TestClient) -> None:
    response = client.get("/assets/index-old999.js")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "No file /assets/index-old999.js in the web UI.",
        "details": None,
    }


def test_no_file_outside_dist_is_served(client: TestClient) -> None:
    response = client.get("/%2e%2e/secret.txt")
    assert response.status_code == 404
    assert "outside the dist folder" not in response.text


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_unknown_api_path_is_a_json_404(client: TestClient, method: str) -> None:
    response = client.request(method, "/api/v1/nope")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": f"No route {method} /api/v1/nope. The API is described at /docs.",
        "details": None,
    }


def test_api_and_docs_are_not_shadowed(client: TestClient) -> None:
    health = client.get("/api/v1/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    schema = client.get("/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "binscribe"
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.text
    assert client.get("/docs/nothing").status_code == 404
    assert client.get("/api").json()["code"] == "not_found"


def test_wrong_method_keeps_405(client: TestClient) -> None:
    api = client.delete("/api/v1/health")
    assert api.status_code == 405
    assert api.json()["code"] == "method_not_allowed"
    ui = client.post("/providers")
    assert ui.status_code == 405
    assert ui.json()["code"] == "method_not_allowed"
    assert ui.headers["allow"] == "GET, HEAD"


def test_unbuilt_ui_says_how_to_build_it(tmp_path: Path) -> None:
    missing = tmp_path / "no-dist"
    for client in make_client(tmp_path, missing):
        response = client.get("/providers")
        assert response.status_code == 404
        body = response.json()
        assert body["code"] == "ui_not_built"
        assert body["message"] == (
            f"The web UI is not built (no {missing / 'index.html'}): run `make ui`, "
            "or use the API at /docs."
        )
        assert client.get("/api/v1/health").status_code == 200


def test_ui_is_public_when_the_api_needs_a_token(tmp_path: Path, dist: Path) -> None:
    for client in make_client(tmp_path, dist, api_token="s3cret-token-abcdef"):
        assert client.get("/providers").text == INDEX
        denied = client.get("/api/v1/health")
        assert denied.status_code == 401
        assert denied.json()["code"] == "unauthorized"
        allowed = client.get(
            "/api/v1/health", headers={"authorization": "Bearer s3cret-token-abcdef"}
        )
        assert allowed.status_code == 200
