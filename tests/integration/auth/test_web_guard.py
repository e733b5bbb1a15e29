"""Web hardening (issue 14 §5): cross-origin writes refused, security headers everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from binscribe.api.app import create_app
from binscribe.api.web_guard import DOCS_CSP, UI_CSP
from binscribe.settings import Settings

REFUSED = {
    "code": "cross_origin_refused",
    "message": "Refused a cross-origin POST: only the binscribe UI's own pages may change data "
    "from a browser (add other origins to BINSCRIBE_ALLOWED_ORIGINS).",
    "details": None,
}
PROVIDER = {"name": "local", "provider_type": "ollama", "endpoint_url": "http://127.0.0.1:11434"}


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "null"},
    ],
)
def test_a_cross_site_upload_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    files = {"file": ("a.elf", b"\x7fELF" + bytes(60), "application/octet-stream")}
    response = client.post("/api/v1/decompile", files=files, headers=headers)
    assert (response.status_code, response.json()) == (403, REFUSED)
    assert response.headers["content-security-policy"] == UI_CSP
    assert client.get("/api/v1/jobs").json()["count"] == 0


def test_same_origin_and_header_less_writes_pass(client: TestClient) -> None:
    same = client.post(
        "/api/v1/user-llm-providers", json=PROVIDER, headers={"Origin": "http://testserver"}
    )
    assert same.status_code == 201
    fetched = client.delete(
        f"/api/v1/user-llm-providers/{same.json()['id']}",
        headers={"Origin": "http://evil.example", "Sec-Fetch-Site": "same-origin"},
    )
    assert fetched.status_code == 204
    assert client.post("/api/v1/user-llm-providers", json=PROVIDER).status_code == 201
    # reads are not refused (the browser keeps the answer from the other site)
    read = client.get("/api/v1/user-llm-providers", headers={"Origin": "http://evil.example"})
    assert read.status_code == 200


def test_configured_origins_may_write(app_settings: Settings) -> None:
    settings = app_settings.model_copy(update={"allowed_origins": ["http://localhost:5173"]})
    app = create_app(settings)
    with TestClient(app) as client:
        ok = client.post(
            "/api/v1/user-llm-providers", json=PROVIDER, headers={"Origin": "http://localhost:5173"}
        )
        assert ok.status_code == 201
        other = client.put(
            f"/api/v1/user-llm-providers/{ok.json()['id']}",
            json={"name": "x"},
            headers={"Origin": "http://localhost:5174"},
        )
        assert other.json()["code"] == "cross_origin_refused"
    app.state.engine.dispose()


def _assert_guarded(headers: object, csp: str = UI_CSP) -> None:
    assert isinstance(headers, dict) or hasattr(headers, "get")
    assert headers.get("content-security-policy") == csp  # type: ignore[attr-defined]
    assert headers.get("x-content-type-options") == "nosniff"  # type: ignore[attr-defined]
    assert headers.get("referrer-policy") == "no-referrer"  # type: ignore[attr-defined]
    assert headers.get("x-frame-options") == "DENY"  # type: ignore[attr-defined]
    assert "frame-ancestors 'none'" in csp


def test_security_headers_on_api_ui_docs_and_errors(app_settings: Settings, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>binscribe</title>")
    token = "a-long-api-token-0123456789"
    settings = app_settings.model_copy(update={"ui_dir": dist, "api_token": SecretStr(token)})
    app = create_app(settings)
    with TestClient(app) as client:
        bearer = {"Authorization": f"Bearer {token}"}
        for path, status in (
            ("/api/v1/health", 200),
            ("/api/v1/nope", 404),
            ("/", 200),
            ("/jobs/1", 200),
            ("/missing.js", 404),
        ):
            response = client.get(path, headers=bearer)
            assert response.status_code == status, path
            _assert_guarded(response.headers)
        anonymous = client.get("/api/v1/health")
        assert anonymous.status_code == 401
        _assert_guarded(anonymous.headers)
        invalid = client.post("/api/v1/user-llm-providers", json={}, headers=bearer)
        assert invalid.status_code == 422
        _assert_guarded(invalid.headers)
        for docs in ("/docs", "/redoc"):
            _assert_guarded(client.get(docs).headers, DOCS_CSP)
    app.state.engine.dispose()
