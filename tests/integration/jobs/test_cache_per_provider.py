"""The explanation cache never serves one provider's answers to another (issue 9 item 1), on
SQLite and PostgreSQL: two local OpenAI-protocol servers of the same type and model answering
differently, and an unreachable third provider, each explain the same file."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.helpers import KEY, add_provider, upload, wait_final
from tests.llm_servers.canned import canned_reply, function_summary
from tests.llm_servers.openai import OpenAIServer


def _other_reply(request: dict[str, Any]) -> str:
    return canned_reply(request).replace("Canned summary of", "Other summary of")


def _summaries(job: dict[str, Any]) -> dict[str, tuple[str | None, bool]]:
    functions = job["result"]["explanation"]["functions"]
    return {f["name"]: ((f["explanation"] or {}).get("summary"), f["cached"]) for f in functions}


def _chats(server: OpenAIServer) -> int:
    return len([r for r in server.requests if r.route == "chat"])


def test_a_provider_is_never_served_another_providers_explanations(
    client: TestClient, llm: OpenAIServer
) -> None:
    other = OpenAIServer(api_key=KEY, reply=_other_reply).start()
    try:
        first = add_provider(client, llm, name="server-a")
        second = add_provider(client, other, name="server-b")
        unreachable = add_provider(
            client, llm, name="unreachable", endpoint_url="http://127.0.0.1:1/v1"
        )
        options = {"function_limit": 2, "translation_detail": "brief"}

        job_a = wait_final(client, upload(client, provider_id=first, **options).json()["job_id"])
        assert job_a["status"] == "completed"
        names = sorted(_summaries(job_a))
        assert len(names) == 2
        assert _summaries(job_a) == {n: (function_summary(n), False) for n in names}

        # Same type, model, file and detail, another provider: its own answers, none cached.
        job_b = wait_final(client, upload(client, provider_id=second, **options).json()["job_id"])
        assert job_b["status"] == "completed"
        assert _summaries(job_b) == {n: (f"Other summary of {n}.", False) for n in names}
        assert job_b["result"]["explanation"]["cached"] == 0
        assert _chats(other) == 5  # two functions, imports, strings, program

        # A provider that cannot be reached gets nothing from the cache: the job fails.
        job_c = wait_final(
            client, upload(client, provider_id=unreachable, **options).json()["job_id"]
        )
        assert (job_c["status"], job_c["error"]["code"]) == ("failed", "llm_unavailable")
        assert job_c["usage"]["input_tokens"] == 0
        assert job_c["result"]["explanation"]["cached"] == 0
        assert {f["status"] for f in job_c["result"]["explanation"]["functions"]} == {"failed"}

        # Each provider still finds its own entries: A again is served A's answers only.
        chats_a = _chats(llm)
        again = wait_final(client, upload(client, provider_id=first, **options).json()["job_id"])
        assert _summaries(again) == {n: (function_summary(n), True) for n in names}
        assert _chats(llm) - chats_a == 3  # imports, strings, program; no function call
    finally:
        other.stop()
