"""A long job does not starve small ones (default workers), and a job whose CFG recovery hit its
budget completes with a partial result that says what was cut and is cached under its budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.jobs.pipeline import ENGINE_VERSION, cut_engine_version
from binscribe.settings import Settings
from tests.fixtures.large_binary import build_large_binary
from tests.helpers import add_provider, upload, wait_final, wait_for
from tests.llm_servers.base import Step
from tests.llm_servers.openai import OpenAIServer


@pytest.fixture(scope="module")
def large_binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_large_binary(tmp_path_factory.mktemp("large"))


@pytest.fixture
def app_settings(app_settings: Settings) -> Settings:
    """The defaults a user gets (no ``workers``), polling for cancellation every 0.2 s."""
    return app_settings.model_copy(update={"workers": None})


@pytest.mark.slow
def test_a_small_job_completes_while_a_long_one_runs(
    client: TestClient, llm: OpenAIServer, app_settings: Settings
) -> None:
    assert app_settings.workers is None and app_settings.job_workers >= 2
    llm.always(Step("slow", delay_s=120))  # every LLM call hangs: the first job stays running
    provider_id = add_provider(client, llm)
    long_id = upload(client, provider_id=provider_id, analysis_depth="basic").json()["job_id"]
    wait_for(client, long_id, lambda j: j["stage"] == "explain" and len(llm.requests) > 0)

    small_id = upload(client, analysis_depth="basic").json()["job_id"]
    small = wait_final(client, small_id, timeout=120)
    assert (small["status"], small["error"], small["message"]) == ("completed", None, None)
    long = client.get(f"/api/v1/decompile/{long_id}").json()
    assert (long["status"], long["stage"]) == ("running", "explain")
    assert client.post(f"/api/v1/jobs/{long_id}/cancel").status_code == 200


def _analyze(settings: Settings, path: Path) -> dict[str, Any]:
    """Run one basic job without a provider on an app with ``settings``; its final JSON."""
    app = create_app(settings)
    try:
        with TestClient(app) as test_client:
            job_id = upload(test_client, path, analysis_depth="basic").json()["job_id"]
            return wait_final(test_client, job_id, timeout=180)
    finally:
        app.state.engine.dispose()


@pytest.mark.slow
def test_a_cut_analysis_says_so_and_is_reused_only_for_the_same_budget(
    app_settings: Settings, large_binary: Path
) -> None:
    one_second = app_settings.model_copy(update={"analysis_cfg_budget_s": 1.0})
    first = _analyze(one_second, large_binary)
    assert (first["status"], first["error"], first["analysis_reused"]) == ("completed", None, False)
    analysis = first["result"]["analysis"]
    cut = analysis["cfg_cut"]
    # every symbol is a function before the scan starts: the budget cuts the scan of their code
    assert cut["budget_s"] == 1.0 and cut["functions_found"] > 0 and cut["scanned_percent"] < 100
    assert analysis["notes"] == [first["message"].removeprefix("partial result: ")]
    assert first["message"].startswith(
        "partial result: CFG recovery stopped after its 1 s budget: "
        f"{cut['functions_found']:,} functions found"
    )

    again = _analyze(one_second, large_binary)
    assert (again["status"], again["analysis_reused"]) == ("completed", True)
    assert again["message"] == first["message"]

    two_seconds = app_settings.model_copy(update={"analysis_cfg_budget_s": 2.0})
    larger = _analyze(two_seconds, large_binary)
    assert (larger["status"], larger["analysis_reused"]) == ("completed", False)
    assert larger["message"].startswith(
        "partial result: CFG recovery stopped after its 2 s budget: "
    )


def test_cut_results_have_their_own_cache_engine_version() -> None:
    assert cut_engine_version(60) == f"{ENGINE_VERSION}~cfg60s"
    assert cut_engine_version(0.5) == f"{ENGINE_VERSION}~cfg0.5s"
    assert len(cut_engine_version(12345.678)) <= 32  # the column is String(32)
