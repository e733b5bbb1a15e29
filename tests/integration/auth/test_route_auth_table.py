"""Every route of the app needs credentials once a user exists (issue 14): one case per route
and method, generated from the app's route table, so a new route cannot be forgotten."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.settings import Settings
from tests.integration.auth.conftest import AddUser

OPEN_API_ROUTES = {
    ("GET", "/api/v1/auth/session"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
}
"""API routes anonymous callers may use: they tell the UI to sign in, and sign in or out."""
PUBLIC_PATHS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/docs/static"}
"""Non-API routes with no data behind them: the API description and its static files."""
GUARDED_PATHS = {"/mcp"}
"""Non-API routes guarded like the API."""


def _app_routes() -> list[tuple[str | None, set[str]]]:
    """(path, methods) of every route, those of included routers too (FastAPI includes them
    lazily, so ``app.routes`` alone does not list them)."""
    with tempfile.TemporaryDirectory() as data:
        app = create_app(Settings(data_dir=Path(data), encryption_key=generate_key()))
        app.state.engine.dispose()
    return [
        (getattr(c, "path", None), set(getattr(c, "methods", None) or ()))
        for c in iter_route_contexts(app.routes)
    ]


ROUTE_TABLE = _app_routes()
ROUTES = sorted(
    [
        (method, path)
        for path, methods in ROUTE_TABLE
        if path and path.startswith("/api/v1/")
        for method in methods
    ]
    + [("POST", path) for path in sorted(GUARDED_PATHS)]
)


def test_every_route_is_classified() -> None:
    for path, _ in ROUTE_TABLE:
        if path is None or path.startswith("/api/v1/"):
            continue  # the UI's catch-all route has no path; the API is tested below
        assert path in PUBLIC_PATHS | GUARDED_PATHS, f"classify the new route {path}"
    assert OPEN_API_ROUTES <= set(ROUTES)
    assert len(ROUTES) > 30


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path)


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r not in OPEN_API_ROUTES])
def test_anonymous_callers_are_refused(
    client: TestClient, add_user: AddUser, method: str, path: str
) -> None:
    add_user("owner")
    response = client.request(method, _concrete(path))
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "unauthorized"
