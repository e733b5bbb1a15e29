"""A real small job, reduced to what the frontend's job and result fakes read (``dump_test_data``).

:func:`job_sample` runs ``tests/fixtures/bin/crackme-x86_64.elf`` through a real app (local runner,
depth ``standard``, ``function_limit`` :data:`FUNCTION_LIMIT`) whose provider is the local
OpenAI-protocol test server (``tests.llm_servers.openai``) answering with the canned model
(``tests.llm_servers.canned``), as the backend's job tests do, and returns:

- ``job_overview``: ``GET /api/v1/jobs/{id}`` (the job and its result overview; ``sections`` emptied
  to keep the file small);
- ``functions``: ``GET /api/v1/jobs/{id}/functions`` rows of the non-library functions;
- ``function_detail``: ``GET /api/v1/jobs/{id}/functions/{address}`` of :data:`DETAIL_FUNCTION`.

Ids, timestamps and measurements change on every run, so they are replaced: ids by :data:`JOB_ID`
and :data:`PROVIDER_ID`, ``*_at`` by :data:`TIMESTAMP`, the keys in :data:`VOLATILE` by their value
there; other floats are rounded to 6 places. Takes about
20 s (angr's analysis of the crackme); must run under ``if __name__ == "__main__"`` because the
analysis sandbox starts a child process.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # the test servers and helpers live in tests/ (not installed)
    sys.path.insert(0, str(REPO))

from tests.helpers import KEY, add_provider, upload, wait_final  # noqa: E402
from tests.llm_servers.canned import CannedModel  # noqa: E402
from tests.llm_servers.openai import OpenAIServer  # noqa: E402

FUNCTION_LIMIT = 4
DETAIL_FUNCTION = "check_password"
PROVIDER_NAME = "Local OpenAI"
JOB_ID = "00000000-0000-4000-8000-00000000a001"
PROVIDER_ID = "00000000-0000-4000-8000-00000000b001"
TIMESTAMP = "2026-11-29T13:28:15Z"
# Measured or derived from the job id: analysis time per stage, peak memory, the result's revision.
VOLATILE: dict[str, Any] = {
    "stage_seconds": {"cfg": 0.1, "decompile": 2.0, "functions": 0.01, "load": 0.05},
    "peak_rss_mb": 256.0,
    "result_revision": "0123456789abcdef",
}


def job_sample(client: TestClient) -> dict[str, Any]:
    """Run the crackme job through ``client`` (an app with an encryption key) and return the
    normalized answers described in the module docstring; raises if the job does not complete."""
    server = OpenAIServer(api_key=KEY, reply=CannedModel()).start()
    try:
        provider_id = add_provider(client, server, name=PROVIDER_NAME)
        submitted = upload(client, provider_id=provider_id, function_limit=FUNCTION_LIMIT)
        submitted.raise_for_status()
        job_id = submitted.json()["job_id"]
        job = wait_final(client, job_id)
        if job["status"] != "completed":
            raise RuntimeError(f"the sample job ended {job['status']}: {job['error']}")
        base = f"/api/v1/jobs/{job_id}"
        overview = _get(client, base)
        rows = _get(client, f"{base}/functions", limit=500)["data"]
        detail_row = next(row for row in rows if row["name"] == DETAIL_FUNCTION)
        detail = _get(client, f"{base}/functions/{detail_row['address']:#x}")
    finally:
        server.stop()
    overview["result"]["sections"] = []
    sample = {
        "job_overview": overview,
        "functions": [row for row in rows if not row["is_library"]],
        "function_detail": detail,
    }
    normalized = _normalize(sample, {job_id: JOB_ID, provider_id: PROVIDER_ID})
    assert isinstance(normalized, dict)
    return normalized


def _get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    response.raise_for_status()
    return response.json()


def _normalize(value: Any, ids: dict[str, str], key: str = "") -> Any:
    """``value`` with the run's ids replaced, ``*_at`` timestamps fixed and floats rounded."""
    if isinstance(value, dict):
        return {k: VOLATILE.get(k, _normalize(v, ids, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalize(item, ids, key) for item in value]
    if isinstance(value, str):
        if key.endswith("_at"):
            return TIMESTAMP
        for old, new in ids.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, float):
        return round(value, 6)
    return value
