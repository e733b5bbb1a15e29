"""Jobs on thinking models of Gemini, Anthropic and Ollama, each through its real SDK against its
strict protocol server: the job explains, thinking is asked as binscribe.llm.thinking says, and
the thinking tokens are counted in the job's usage and report, apart from the rest."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers import KEY, upload, wait_final
from tests.llm_servers.base import ProtocolServer, serve
from tests.llm_servers.canned import PROGRAM_PURPOSE

CASES = [
    # (protocol, model, provider config, what the chat requests must carry)
    ("gemini", "gemini-3.5-flash", {}, {"thinkingConfig": {"thinking_level": "LOW"}}),
    ("anthropic", "claude-sonnet-5-5", {}, {"thinking": {"type": "between_tools"}}),
    (
        "anthropic",
        "claude-haiku-4-5",
        {"thinking_budget": 2048},
        {"thinking": {"type": "enabled", "budget_tokens": 2048}},
    ),
    (
        "ollama",
        "qwen3:8b",
        {"input_usd_per_mtok": 0.5, "output_usd_per_mtok": 1.5},
        {"think": True},
    ),
]


def _sent(protocol: str, body: dict[str, Any]) -> dict[str, Any]:
    return body.get("generationConfig", {}) if protocol == "gemini" else body


@pytest.mark.parametrize(("protocol", "model", "config", "expected"), CASES)
def test_job_on_a_thinking_model(
    client: TestClient,
    protocol: str,
    model: str,
    config: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    from tests.llm_servers.canned import canned_reply

    server: ProtocolServer
    with serve(protocol, api_key=KEY, reply=canned_reply) as server:
        created = client.post(
            "/api/v1/user-llm-providers",
            json={
                "name": f"{protocol}-{model}",
                "provider_type": protocol,
                "api_key": KEY,
                "endpoint_url": server.base_url,
                "default_model": model,
                "config": config,
            },
        )
        assert created.status_code == 201, created.text
        response = upload(
            client, provider_id=created.json()["id"], function_limit=1, translation_detail="brief"
        )
        assert response.status_code == 202, response.text
        job = wait_final(client, response.json()["job_id"])
        chats = [r for r in server.requests if r.route == "chat"]

    assert (job["status"], job["error"], job["counts"]["items_failed"]) == ("completed", None, 0)
    assert job["result"]["explanation"]["program"]["result"]["purpose"] == PROGRAM_PURPOSE
    assert chats and all(_sent(protocol, r.body).items() >= expected.items() for r in chats)
    usage = job["usage"]
    thinks = expected != {"thinking": {"type": "between_tools"}}
    if thinks:
        assert 0 < usage["reasoning_tokens"] < usage["output_tokens"]
        assert (
            job["result"]["explanation"]["usage"]["reasoning_tokens"] == usage["reasoning_tokens"]
        )
    else:
        assert usage["reasoning_tokens"] == 0
    # Every model here has a price: the table's, or the provider's own for the Ollama model.
    assert usage["estimated_cost_usd"] > 0
    report = client.get(f"/api/v1/jobs/{job['id']}/report").text
    thinking_note = (
        f"{usage['output_tokens']} output tokens ({usage['reasoning_tokens']} of them thinking)"
    )
    assert (thinking_note in report) is thinks
