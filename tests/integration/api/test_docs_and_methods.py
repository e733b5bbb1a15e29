"""``/docs`` and ``/redoc`` work offline (every asset from this server), and a 405 names every
method the path accepts in ``Allow`` (issue 9 item 9), on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

_ASSET = re.compile(r"""(?:src|href|url)\s*[=:]\s*["']([^"']+)["']""")


@pytest.mark.parametrize(
    ("page", "assets"),
    [
        ("/docs", {"/docs/static/swagger-ui.css", "/docs/static/swagger-ui-bundle.js"}),
        ("/redoc", {"/docs/static/redoc.standalone.js"}),
    ],
)
def test_api_reference_pages_load_nothing_from_elsewhere(
    client: TestClient, page: str, assets: set[str]
) -> None:
    html = client.get(page)
    assert html.status_code == 200
    referenced = set(_ASSET.findall(html.text))
    assert assets <= referenced
    assert "http://" not in html.text and "https://" not in html.text
    for url in referenced - {"/openapi.json"}:
        assert url.startswith("/docs/static/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 1000 or url.endswith(".png"), url
    if page == "/docs":
        bundle = client.get("/docs/static/swagger-ui-bundle.js").text
        # Swagger UI 5 renders OpenAPI 3.1, which FastAPI writes; version 4 refuses it.
        assert client.get("/openapi.json").json()["openapi"].startswith("3.1")
        assert re.search(r'"5\.\d+\.\d+"', bundle)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        (
            "PATCH",
            "/api/v1/user-llm-providers/00000000-0000-0000-0000-000000000001",
            "DELETE, GET, PUT",
        ),
        ("DELETE", "/api/v1/user-llm-providers", "GET, POST"),
        ("PUT", "/api/v1/decompile", "POST"),
        ("GET", "/api/v1/decompile", "POST"),
        ("DELETE", "/api/v1/health", "GET"),
        ("TRACE", "/api/v1/jobs", "GET"),
        ("POST", "/openapi.json", "GET, HEAD"),
        ("POST", "/docs/static/swagger-ui.css", "GET, HEAD"),
        ("POST", "/providers", "GET, HEAD"),
    ],
)
def test_405_names_every_allowed_method(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json() == {
        "code": "method_not_allowed",
        "message": "Method Not Allowed",
        "details": None,
    }
