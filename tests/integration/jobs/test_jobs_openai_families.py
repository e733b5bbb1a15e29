"""Whole jobs on today's OpenAI model families against the strict OpenAI protocol server
(through the real ``openai`` SDK), and on a server that behaves like llama.cpp's, at the
provider's default concurrency; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.helpers import KEY, add_provider, upload, wait_final
from tests.llm_servers.canned import canned_reply
from tests.llm_servers.openai import OpenAIServer


@pytest.fixture
def servers() -> Iterator[list[OpenAIServer]]:
    started: list[OpenAIServer] = []
    yield started
    for server in started:
        server.stop()


def run_job(client: TestClient, server: OpenAIServer, model: str) -> dict:
    provider_id = add_provider(client, server, default_model=model)
    tested = client.post(f"/api/v1/user-llm-providers/{provider_id}/test").json()
    assert (tested["success"], tested["error_code"]) == (True, None), tested
    response = upload(client, provider_id=provider_id, function_limit=2, translation_detail="brief")
    assert response.status_code == 202, response.text
    return wait_final(client, response.json()["job_id"])


@pytest.mark.parametrize("model", ["gpt-5.4-mini", "gpt-5-nano", "o4-mini", "o3"])
def test_job_on_a_reasoning_model(
    model: str, client: TestClient, servers: list[OpenAIServer]
) -> None:
    server = OpenAIServer(api_key=KEY, reply=canned_reply, models=[model]).start()
    servers.append(server)
    job = run_job(client, server, model)
    assert (job["status"], job["error"], job["counts"]["items_failed"]) == ("completed", None, 0)
    assert job["provider"]["model"] == model
    bodies = [r.body for r in server.requests if r.route == "chat"]
    assert len(bodies) >= 5  # probe, 2 functions, imports, strings, program
    for body in bodies:
        assert body["reasoning_effort"] == "low"
        assert body["max_completion_tokens"] > 4096
        assert "max_tokens" not in body and "temperature" not in body
        assert body["response_format"]["json_schema"]["strict"] is True


def test_job_on_a_llama_cpp_like_server_at_default_concurrency(
    client: TestClient, servers: list[OpenAIServer]
) -> None:
    server = OpenAIServer(api_key=KEY, reply=canned_reply, flavor="llama_cpp").start()
    servers.append(server)
    provider_id = add_provider(client, server)
    config = client.get(f"/api/v1/user-llm-providers/{provider_id}").json()["config"]
    assert config["max_concurrency"] is None  # the default, 4
    response = upload(client, provider_id=provider_id, function_limit=4)
    job = wait_final(client, response.json()["job_id"])
    assert (job["status"], job["error"], job["counts"]["items_failed"]) == ("completed", None, 0)
    kinds = [
        (r.body.get("response_format") or {}).get("type")
        for r in server.requests
        if r.route == "chat"
    ]
    # Refused by the calls in flight when the first refusal came back, then never again.
    assert 1 <= kinds.count("json_schema") <= 4
    assert kinds[-1] == "json_object" and None not in kinds
