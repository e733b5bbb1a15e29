"""``GET /api/v1/jobs/{id}/export`` on SQLite and PostgreSQL: the golden scripts as downloads,
and the 404/409/422 branches with their codes."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from binscribe.exports import ExportFormat
from binscribe.settings import Settings
from tests.integration.exports.stored import store_job
from tests.unit.exports.conftest import GOLDEN, PE, PIE

MEDIA = {
    ExportFormat.ida: "text/x-python; charset=utf-8",
    ExportFormat.ghidra: "text/x-python; charset=utf-8",
    ExportFormat.binja: "text/x-python; charset=utf-8",
    ExportFormat.r2: "text/plain; charset=utf-8",
    ExportFormat.json: "application/json",
}
SUFFIX = {
    ExportFormat.ida: "ida.py",
    ExportFormat.ghidra: "ghidra.py",
    ExportFormat.binja: "binja.py",
    ExportFormat.r2: "r2",
    ExportFormat.json: "symbols.json",
}


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_every_format_downloads_its_golden_file(
    client: TestClient, app_settings: Settings, fmt: ExportFormat
) -> None:
    pie = store_job(app_settings, PIE)
    response = client.get(
        f"/api/v1/jobs/{pie}/export",
        params={
            "format": fmt.value,
            "prefix": "bs_",
            "min_confidence": "0.6",
            "evidence_comments": "true",
        },
    )
    name = f"{PIE}.binscribe.{SUFFIX[fmt]}"
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == MEDIA[fmt]
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert response.text == (GOLDEN / name).read_text()


def test_default_options(client: TestClient, app_settings: Settings) -> None:
    pe = store_job(app_settings, PE)
    response = client.get(f"/api/v1/jobs/{pe}/export?format=r2")
    assert response.status_code == 200
    assert response.text == (GOLDEN / f"{PE}.binscribe.r2").read_text()


def test_refusals_have_codes(client: TestClient, app_settings: Settings) -> None:
    queued = store_job(app_settings, PIE, finished=False)
    done = store_job(app_settings, PIE)
    missing = uuid.uuid4()
    unknown = client.get(f"/api/v1/jobs/{missing}/export?format=ida")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "job_not_found")
    waiting = client.get(f"/api/v1/jobs/{queued}/export?format=ida")
    assert waiting.status_code == 409
    assert waiting.json() == {
        "code": "result_not_ready",
        "message": f"job {queued} has no result yet (status queued)",
        "details": {"status": "queued"},
    }
    bad_format = client.get(f"/api/v1/jobs/{done}/export?format=cutter")
    assert (bad_format.status_code, bad_format.json()["code"]) == (422, "validation_error")
    assert [f["field"] for f in bad_format.json()["details"]["fields"]] == ["format"]
    no_format = client.get(f"/api/v1/jobs/{done}/export")
    assert (no_format.status_code, no_format.json()["code"]) == (422, "validation_error")
    bad_prefix = client.get(f"/api/v1/jobs/{done}/export?format=ida&prefix=b%20s")
    assert bad_prefix.status_code == 422
    assert bad_prefix.json()["code"] == "validation_error"
    assert bad_prefix.json()["message"].startswith("Invalid prefix: String should match pattern")
    too_sure = client.get(f"/api/v1/jobs/{done}/export?format=ida&min_confidence=1.5")
    assert too_sure.status_code == 422
    assert too_sure.json()["message"] == (
        "Invalid min_confidence: Input should be less than or equal to 1"
    )
