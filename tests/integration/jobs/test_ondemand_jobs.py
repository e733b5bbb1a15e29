"""On-demand work on a finished job through the API and the local runner, on SQLite and
PostgreSQL (issue 11 section 3): decompile one more function, explain a selection, the rest,
retry failed items with another provider; history, totals, error codes, cancel."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.helpers import add_provider, upload, wait_final
from tests.llm_servers.canned import function_summary
from tests.llm_servers.openai import OpenAIServer


def _functions(client: TestClient, job_id: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/jobs/{job_id}/functions", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return list(response.json()["data"])


def _program(client: TestClient, job_id: str) -> list[dict[str, Any]]:
    return [f for f in _functions(client, job_id) if not f["is_library"]]


def _chats(server: OpenAIServer) -> int:
    return len([r for r in server.requests if r.route == "chat"])


def _error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["code"] == code, response.text


def test_decompile_one_more_function_of_a_basic_job(client: TestClient) -> None:
    parent = wait_final(client, upload(client, analysis_depth="basic").json()["job_id"])
    assert parent["status"] == "completed"
    assert parent["counts"]["functions_decompiled"] == 0
    job_id = parent["id"]
    main = next(f for f in _program(client, job_id) if f["name"] == "main")
    address = f"{main['address']:#x}"
    assert main["decompiled"] is False

    response = client.post(f"/api/v1/jobs/{job_id}/functions/{address}/decompile")
    assert response.status_code == 202, response.text
    small = response.json()
    assert (small["kind"], small["parent_job_id"], small["status"]) == (
        "decompile",
        job_id,
        "queued",
    )
    assert small["request"] == {"addresses": [address], "scope": None}
    done = wait_final(client, small["id"])
    assert (done["status"], done["error"]) == ("completed", None)
    assert done["counts"]["functions_decompiled"] == 1

    detail = client.get(f"/api/v1/jobs/{job_id}/functions/{address}").json()
    assert detail["decompiled"] is True
    assert "main(" in detail["pseudocode"]
    assert client.get(f"/api/v1/decompile/{job_id}").json()["counts"]["functions_decompiled"] == 1
    history = client.get(f"/api/v1/jobs/{job_id}/history").json()
    assert history["count"] == 1
    assert [(j["id"], j["kind"], j["status"]) for j in history["data"]] == [
        (small["id"], "decompile", "completed")
    ]
    # on-demand jobs are listed in their job's history, not among the jobs
    listed = client.get("/api/v1/jobs").json()
    assert [j["id"] for j in listed["data"]] == [job_id]

    again = client.post(f"/api/v1/jobs/{job_id}/functions/{address}/decompile")
    _error(again, 409, "already_decompiled")
    _error(client.post(f"/api/v1/jobs/{job_id}/functions/0x1/decompile"), 404, "function_not_found")
    _error(client.post(f"/api/v1/jobs/{job_id}/functions/zz/decompile"), 422, "invalid_address")
    _error(
        client.post(f"/api/v1/jobs/{small['id']}/functions/{address}/decompile"),
        409,
        "not_an_analysis_job",
    )
    unknown = "00000000-0000-4000-8000-000000000000"
    _error(
        client.post(f"/api/v1/jobs/{unknown}/functions/{address}/decompile"), 404, "job_not_found"
    )
    _error(client.get(f"/api/v1/jobs/{unknown}/history"), 404, "job_not_found")
    # explaining needs a provider: the job has none and the request names none
    body = {"scope": "selection", "addresses": [address]}
    _error(client.post(f"/api/v1/jobs/{job_id}/explain", json=body), 422, "provider_required")


def test_a_cancelled_decompile_changes_nothing(client: TestClient) -> None:
    parent = wait_final(client, upload(client, analysis_depth="basic").json()["job_id"])
    job_id = parent["id"]
    first = _program(client, job_id)[0]
    address = f"{first['address']:#x}"
    small = client.post(f"/api/v1/jobs/{job_id}/functions/{address}/decompile").json()
    cancel = client.post(f"/api/v1/jobs/{small['id']}/cancel")
    assert cancel.status_code == 200, cancel.text
    assert wait_final(client, small["id"])["status"] == "cancelled"
    after = client.get(f"/api/v1/decompile/{job_id}").json()
    assert (after["status"], after["counts"]["functions_decompiled"]) == ("completed", 0)
    assert client.get(f"/api/v1/jobs/{job_id}/functions/{address}").json()["decompiled"] is False
    history = client.get(f"/api/v1/jobs/{job_id}/history").json()
    assert [j["status"] for j in history["data"]] == ["cancelled"]


def test_explain_a_selection_then_the_rest(client: TestClient, llm: OpenAIServer) -> None:
    provider = add_provider(client, llm)
    options = {"function_limit": 1, "translation_detail": "brief", "provider_id": provider}
    parent = wait_final(client, upload(client, **options).json()["job_id"])
    assert parent["status"] == "completed"
    job_id = parent["id"]
    rows = _program(client, job_id)
    explained = [f for f in rows if f["explanation_status"] == "explained"]
    left = [f for f in rows if f["explanation_status"] is None]
    assert len(explained) == 1 and len(left) >= 2
    usage_before = parent["usage"]

    chats = _chats(llm)
    pick = left[0]
    body = {"scope": "selection", "addresses": [f"{pick['address']:#x}"]}
    response = client.post(f"/api/v1/jobs/{job_id}/explain", json=body)
    assert response.status_code == 202, response.text
    small = wait_final(client, response.json()["id"])
    assert (small["kind"], small["status"]) == ("explain", "completed")
    assert _chats(llm) - chats == 1  # the one function: no imports, strings or program again
    assert small["usage"]["input_tokens"] > 0
    detail = client.get(f"/api/v1/jobs/{job_id}/functions/{pick['address']:#x}").json()
    assert detail["explanation"]["explanation"]["summary"] == function_summary(pick["name"])
    after = client.get(f"/api/v1/decompile/{job_id}").json()
    for field in ("input_tokens", "output_tokens"):
        assert after["usage"][field] == usage_before[field] + small["usage"][field]

    rest = client.post(f"/api/v1/jobs/{job_id}/explain", json={"scope": "rest"})
    assert rest.status_code == 202, rest.text
    assert wait_final(client, rest.json()["id"])["status"] == "completed"
    states = {f["name"]: f["explanation_status"] for f in _program(client, job_id)}
    assert set(states.values()) == {"explained"}, states
    report = client.get(f"/api/v1/decompile/{job_id}").json()["result"]["explanation"]
    assert report["explained"] == len(states)

    _error(
        client.post(f"/api/v1/jobs/{job_id}/explain", json={"scope": "rest"}),
        409,
        "nothing_to_explain",
    )
    _error(
        client.post(f"/api/v1/jobs/{job_id}/explain", json={"scope": "selection"}),
        422,
        "invalid_request",
    )
    body = {"scope": "selection", "addresses": ["0x1"]}
    _error(client.post(f"/api/v1/jobs/{job_id}/explain", json=body), 404, "function_not_found")
    body = {"scope": "rest", "provider_id": "00000000-0000-4000-8000-000000000000"}
    _error(client.post(f"/api/v1/jobs/{job_id}/explain", json=body), 404, "provider_not_found")
    history = client.get(f"/api/v1/jobs/{job_id}/history").json()
    assert [(j["kind"], j["request"]["scope"]) for j in history["data"]] == [
        ("explain", "selection"),
        ("explain", "rest"),
    ]


def test_retry_failed_items_with_another_provider(client: TestClient, llm: OpenAIServer) -> None:
    unreachable = add_provider(client, llm, endpoint_url="http://127.0.0.1:1/v1")
    working = add_provider(client, llm)
    options = {"function_limit": 2, "translation_detail": "brief", "provider_id": unreachable}
    parent = wait_final(client, upload(client, **options).json()["job_id"])
    assert (parent["status"], parent["error"]["code"]) == ("failed", "llm_unavailable")
    job_id = parent["id"]

    body = {"scope": "failed", "provider_id": working}
    response = client.post(f"/api/v1/jobs/{job_id}/explain", json=body)
    assert response.status_code == 202, response.text
    assert response.json()["provider"]["id"] == working
    small = wait_final(client, response.json()["id"])
    assert small["status"] == "completed"
    assert _chats(llm) == 5  # two functions, imports, strings; no program summary on a retry
    after = client.get(f"/api/v1/decompile/{job_id}").json()
    assert (after["status"], after["error"]) == ("completed", None)
    report = after["result"]["explanation"]
    assert (report["explained"], report["failed"], report["all_failed"]) == (2, 0, False)
    assert after["counts"]["items_failed"] == 0
    _error(
        client.post(f"/api/v1/jobs/{job_id}/explain", json={"scope": "failed"}),
        409,
        "nothing_to_explain",
    )
