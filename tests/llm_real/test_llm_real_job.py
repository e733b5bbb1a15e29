"""A whole job through the real llama.cpp server at the provider's default concurrency (4).

llama-cpp-python's server refuses ``response_format: json_schema`` (it knows only ``text`` and
``json_object``): the concurrent calls must learn that once and go on with ``json_object``,
which the server constrains to the schema, so the job explains and completes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.llm.config import DEFAULT_MAX_CONCURRENCY
from binscribe.settings import Settings
from tests.helpers import add_provider, upload, wait_final
from tests.llm_real.conftest import MODEL

pytestmark = pytest.mark.llm_real

# Seconds for the whole job: about 5 minutes on an idle 2-core machine (prompt evaluation near
# 100 tokens/s); a loaded one evaluates prompts 3-4 times slower.
JOB_TIMEOUT_S = 2400.0


class _Server:
    """What ``add_provider`` needs of a protocol server: its base URL."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url


@pytest.fixture
def client(tmp_path: Path, sqlite_template: Path) -> Iterator[TestClient]:
    database = tmp_path / "binscribe.db"
    shutil.copyfile(sqlite_template, database)
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{database}",
        encryption_key=generate_key(),
        workers=1,
        job_poll_s=0.5,
        allow_private_endpoints=True,
    )
    app = create_app(settings)
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


def test_job_explains_through_llama_cpp_at_default_concurrency(
    client: TestClient, llama_server: str
) -> None:
    provider_id = add_provider(
        client,
        _Server(llama_server),  # type: ignore[arg-type]
        name="llama.cpp",
        default_model=MODEL,
        # The server runs with a 2,048-token context; max_concurrency stays the default.
        config={"context_tokens": 2048, "timeout_s": 600},
    )
    provider = client.get(f"/api/v1/user-llm-providers/{provider_id}").json()
    assert provider["config"]["max_concurrency"] is None  # so the default applies
    assert DEFAULT_MAX_CONCURRENCY == 4
    tested = client.post(f"/api/v1/user-llm-providers/{provider_id}/test").json()
    assert (tested["success"], tested["error_code"]) == (True, None), tested

    response = upload(client, provider_id=provider_id, function_limit=2, translation_detail="brief")
    assert response.status_code == 202, response.text
    job = wait_final(client, response.json()["job_id"], timeout=JOB_TIMEOUT_S)

    assert (job["status"], job["error"]) == ("completed", None), job["error"]
    explanation = job["result"]["explanation"]
    items = [
        *explanation["functions"],
        *(explanation[key] for key in ("imports", "strings", "program") if explanation[key]),
    ]
    errors = [item["error"]["code"] for item in items if item["error"]]
    assert "internal_error" not in errors and "request_rejected" not in errors, errors
    assert any(f["status"] == "explained" for f in explanation["functions"]), errors
    assert job["usage"]["input_tokens"] > 0 and job["usage"]["output_tokens"] > 0
