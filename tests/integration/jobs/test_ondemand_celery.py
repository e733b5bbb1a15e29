"""On-demand jobs through the Celery runner (Redis, PostgreSQL, a real ``binscribe worker``):
decompile one more function of a finished job and explain it against the local OpenAI-protocol
server; both small jobs are merged into the job's result and listed in its history."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from tests.helpers import add_provider, upload, wait_final
from tests.integration.jobs.test_celery_workers import (  # noqa: F401 (fixtures)
    KEY,
    Cluster,
    broker,
    cluster,
    pg_url,
)
from tests.llm_servers.canned import canned_reply, function_summary
from tests.llm_servers.openai import OpenAIServer

pytestmark = pytest.mark.postgres


def test_decompile_and_explain_on_demand_through_celery(cluster: Cluster) -> None:  # noqa: F811
    llm = OpenAIServer(api_key=KEY, reply=canned_reply).start()
    app = create_app(cluster.settings)
    try:
        with TestClient(app) as client:
            provider_id = add_provider(client, llm, api_key=KEY)
            cluster.workers.start("worker-1")
            job_id = upload(client, provider_id=provider_id, function_limit=1).json()["job_id"]
            assert wait_final(client, job_id, 300)["status"] == "completed"
            rows = client.get(f"/api/v1/jobs/{job_id}/functions?limit=500").json()["data"]
            left = next(f for f in rows if not f["decompiled"] and not f["is_library"])
            address = f"{left['address']:#x}"

            small = client.post(f"/api/v1/jobs/{job_id}/functions/{address}/decompile")
            assert small.status_code == 202, small.text
            assert wait_final(client, small.json()["id"], 300)["status"] == "completed"
            body = {"scope": "selection", "addresses": [address]}
            explain = client.post(f"/api/v1/jobs/{job_id}/explain", json=body)
            assert explain.status_code == 202, explain.text
            assert wait_final(client, explain.json()["id"], 300)["status"] == "completed"

            detail = client.get(f"/api/v1/jobs/{job_id}/functions/{address}").json()
            assert detail["decompiled"] is True
            assert detail["explanation"]["source"] == "pseudocode"
            assert detail["explanation"]["explanation"]["summary"] == function_summary(left["name"])
            history = client.get(f"/api/v1/jobs/{job_id}/history").json()
            assert [(j["kind"], j["status"]) for j in history["data"]] == [
                ("decompile", "completed"),
                ("explain", "completed"),
            ]
    finally:
        app.state.engine.dispose()
        llm.stop()
