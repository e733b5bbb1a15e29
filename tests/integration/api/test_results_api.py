"""The result slices under /api/v1/jobs/{id}: overview, functions, strings, imports, one
function by address; pagination bounds, filters, search, sort, 404 and 422, on both databases.

The result is real: crackme-x86_64.elf analyzed once by angr (main and check_password
decompiled), with an explanation report built from its functions (two explained, one failed),
stored as a completed job's result blob.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from binscribe.analysis import AnalysisOptions, AnalysisResult, analyze_file
from binscribe.analysis.models import CfgCut, InjectionFinding
from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.db import jobs as job_repo
from binscribe.explain.report import (
    ExplanationReport,
    FunctionResult,
    ImportsResult,
    ItemError,
    ProgramResult,
    StringsResult,
)
from binscribe.explain.schemas import (
    Capability,
    FunctionExplanation,
    ImportCapabilities,
    NotableString,
    NotableStrings,
    ProgramSummary,
)
from binscribe.jobs.context import blob_store
from binscribe.jobs.results import JobResult, save_result
from binscribe.settings import Settings

FIXTURES = Path(__file__).parents[2] / "fixtures"
CRACKME = FIXTURES / "bin" / "crackme-x86_64.elf"
MANIFEST = json.loads((FIXTURES / "expected" / "crackme-x86_64.elf.json").read_text())
MAIN = MANIFEST["functions"]["main"]["address"]
CHECK = MANIFEST["functions"]["check_password"]["address"]
STRIP = MANIFEST["functions"]["strip_newline"]["address"]
GRANTED = "Access granted. Welcome, reverser!"
# main as a cross-reference: by address, with its explanation's suggested name
MAIN_REF = [{"address": MAIN, "name": "main", "suggested_name": "main_suggested"}]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def analysis() -> AnalysisResult:
    options = AnalysisOptions(depth="standard", only_functions=["main", "check_password"])
    return analyze_file(CRACKME, options=options)


def _explained(address: int, name: str, summary: str, category: str) -> FunctionResult:
    explanation = FunctionExplanation(
        summary=summary,
        explanation=f"{name} in detail.",
        category=category,  # type: ignore[arg-type]
        suggested_name=f"{name}_suggested",
        confidence=0.8,
    )
    return FunctionResult(
        status="explained",
        name=name,
        address=address,
        source="pseudocode",
        explanation=explanation,
        coverage=1.0,
    )


def _report() -> ExplanationReport:
    capabilities = ImportCapabilities(
        capabilities=[
            Capability(kind="console", imports=["puts", "fwrite"], purpose="prints messages"),
            Capability(kind="file", imports=["fgets"], purpose="reads stdin"),
        ]
    )
    notable = NotableString(value=GRANTED, kind="message", interpretation="success message")
    return ExplanationReport(
        prompt_version="function.v1",
        provider_type="openai",
        model="gpt-4.1-mini",
        detail="standard",
        functions=[
            _explained(MAIN, "main", "Reads a password and reports access.", "authentication"),
            _explained(CHECK, "check_password", "Compares the password.", "crypto"),
            FunctionResult(
                status="failed",
                name="strip_newline",
                address=STRIP,
                source="disassembly",
                error=ItemError(code="server_error", message="HTTP 500"),
            ),
        ],
        imports=ImportsResult(status="explained", result=capabilities),
        strings=StringsResult(status="explained", result=NotableStrings(strings=[notable])),
        program=ProgramResult(
            status="explained",
            result=ProgramSummary(purpose="A password checker.", confidence=0.7),
        ),
        explained=4,
        failed=1,
    )


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "data", database_url=db_url, encryption_key=generate_key()
    )
    app = create_app(settings)
    try:
        yield TestClient(app)  # no lifespan: no runner picks up the queued jobs made here
    finally:
        app.state.engine.dispose()


def _job(client: TestClient, result: JobResult | None) -> str:
    """A job row: completed with ``result`` stored, or left queued when it is None."""
    state: Any = client.app.state  # type: ignore[attr-defined]
    with state.session_factory.begin() as session:
        job = job_repo.create_job(
            session,
            file_sha256="ab" * 32,
            file_name="crackme",
            file_size=16104,
            file_format="elf",
            file_arch="x86_64",
            analysis_depth="standard",
            translation_detail="standard",
        )
        job_id = job.id
        if result is not None:
            sha256 = save_result(
                blob_store(state.settings), result.model_copy(update={"job_id": job_id})
            )
            claimed = job_repo.claim_job(session, job_id)
            assert claimed is not None
            assert job_repo.finish_job(
                session, job_id, attempt=claimed.attempts, status="completed", result_sha256=sha256
            )
    return str(job_id)


@pytest.fixture
def job(client: TestClient, analysis: AnalysisResult) -> str:
    result = JobResult(
        job_id=uuid.uuid4(), file_name="crackme", analysis=analysis, explanation=_report()
    )
    return _job(client, result)


def _get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_overview_is_small_and_counts(
    client: TestClient, job: str, analysis: AnalysisResult
) -> None:
    response = client.get(f"/api/v1/jobs/{job}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "completed"
    result = body["result"]
    assert result["counts"] == {
        "functions": len(analysis.functions),
        "library_functions": sum(f.is_library for f in analysis.functions),
        "decompiled": 2,
        "decompile_failures": 0,
        "explained": 2,
        "explain_failures": 1,
        "strings": len(analysis.strings),
        "imports": len(analysis.imports),
        "exports": len(analysis.exports),
        "sections": len(analysis.sections),
    }
    assert result["binary"]["sha256"] == analysis.binary.sha256
    assert result["explanation"]["program"]["result"]["purpose"] == "A password checker."
    assert result["explanation"]["model"] == "gpt-4.1-mini"
    assert result["cfg_cut"] is None and result["explanation"]["suspect_items"] == []
    assert (result["injection_findings"], result["injection_findings_total"]) == ([], 0)
    assert "functions" not in result and "disassembly" not in response.text
    assert len(response.content) < 20_000


def test_functions_default_page_in_address_order(
    client: TestClient, job: str, analysis: AnalysisResult
) -> None:
    page = _get(client, f"/api/v1/jobs/{job}/functions")
    assert page["count"] == len(analysis.functions)
    assert [row["address"] for row in page["data"]] == sorted(f.address for f in analysis.functions)
    main = next(row for row in page["data"] if row["address"] == MAIN)
    assert main == {
        "address": MAIN,
        "name": "main",
        "mangled_name": None,
        "size": analysis.function("main").size,  # type: ignore[union-attr]
        "blocks": analysis.function("main").blocks,  # type: ignore[union-attr]
        "instructions": analysis.function("main").instructions,  # type: ignore[union-attr]
        "is_library": False,
        "decompiled": True,
        "decompile_error": None,
        "explanation_status": "explained",
        "grounding_score": None,
        "category": "authentication",
        "summary": "Reads a password and reports access.",
        "suggested_name": "main_suggested",
        "suspect_injection": False,
        "injection_reasons": [],
        "caller_count": 0,
        "callee_count": 2,
        "string_count": 3,
        "import_count": 3,
    }


def test_functions_pagination_bounds(
    client: TestClient, job: str, analysis: AnalysisResult
) -> None:
    addresses = sorted(f.address for f in analysis.functions)
    page = _get(client, f"/api/v1/jobs/{job}/functions", limit=2, offset=1)
    assert [row["address"] for row in page["data"]] == addresses[1:3]
    assert page["count"] == len(addresses)
    past = _get(client, f"/api/v1/jobs/{job}/functions", offset=len(addresses))
    assert past == {"data": [], "count": len(addresses)}
    assert len(_get(client, f"/api/v1/jobs/{job}/functions", limit=500)["data"]) == len(addresses)
    for params in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"limit": "ten"}):
        response = client.get(f"/api/v1/jobs/{job}/functions", params=params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "validation_error"
        assert [f["field"] for f in response.json()["details"]["fields"]] == [next(iter(params))]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"decompiled": "true"}, ["check_password", "main"]),
        ({"explained": "true"}, ["check_password", "main"]),
        ({"failed": "true"}, ["strip_newline"]),
        ({"category": "authentication"}, ["main"]),
        ({"search": "CHECK_"}, ["check_password"]),
        ({"search": "compares the"}, ["check_password"]),
        ({"search": f"{STRIP:#x}"}, ["strip_newline"]),
        ({"search": "main", "library": "false"}, ["main"]),
    ],
)
def test_functions_filters_and_search(
    client: TestClient, job: str, params: dict[str, str], names: list[str]
) -> None:
    page = _get(client, f"/api/v1/jobs/{job}/functions", sort="name", **params)
    assert [row["name"] for row in page["data"]] == names
    assert page["count"] == len(names)


def test_functions_library_filter_splits_the_list(
    client: TestClient, job: str, analysis: AnalysisResult
) -> None:
    library = _get(client, f"/api/v1/jobs/{job}/functions", library="true", limit=500)
    program = _get(client, f"/api/v1/jobs/{job}/functions", library="false", limit=500)
    assert {r["name"] for r in library["data"]} == {
        f.name for f in analysis.functions if f.is_library
    }
    assert library["count"] + program["count"] == len(analysis.functions)
    assert {"main", "check_password", "strip_newline"} <= {r["name"] for r in program["data"]}


def test_functions_sort(client: TestClient, job: str, analysis: AnalysisResult) -> None:
    by_size = _get(client, f"/api/v1/jobs/{job}/functions", sort="size", order="desc", limit=500)
    expected = sorted(analysis.functions, key=lambda f: (f.size, f.address), reverse=True)
    assert [r["address"] for r in by_size["data"]] == [f.address for f in expected]
    by_name = _get(client, f"/api/v1/jobs/{job}/functions", sort="name", limit=500)
    assert [r["name"] for r in by_name["data"]] == sorted(
        (f.name for f in analysis.functions), key=str.lower
    )
    categorized = _get(client, f"/api/v1/jobs/{job}/functions", sort="category", limit=2)
    assert [r["category"] for r in categorized["data"]] == ["authentication", "crypto"]
    for params in ({"sort": "colour"}, {"order": "up"}, {"category": "astrology"}):
        response = client.get(f"/api/v1/jobs/{job}/functions", params=params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "validation_error"


def test_function_detail_with_xrefs(client: TestClient, job: str, analysis: AnalysisResult) -> None:
    detail = _get(client, f"/api/v1/jobs/{job}/functions/{MAIN:#x}")
    func = analysis.function("main")
    assert func is not None
    assert detail["name"] == "main" and detail["pseudocode"] == func.pseudocode
    assert detail["disassembly"] == func.disassembly
    assert detail["explanation"]["explanation"]["summary"] == "Reads a password and reports access."
    assert detail["callers"] == []
    assert {tuple(c["function"].values()) for c in detail["calls"]} == {
        (CHECK, "check_password", "check_password_suggested"),
        (STRIP, "strip_newline", None),
    }
    assert [c["address"] for c in detail["calls"]] == [c.address for c in func.calls]
    strings = {s.address: s.value for s in analysis.strings}
    assert [(r["address"], r["value"]) for r in detail["string_refs"]] == [
        (r.address, strings[r.target]) for r in func.string_refs
    ]
    assert GRANTED in {r["value"] for r in detail["string_refs"]}
    assert {r["name"] for r in detail["import_refs"]} == {"puts", "fwrite", "fgets"}
    assert all(r["library"] == "libc.so.6" for r in detail["import_refs"])
    check = _get(client, f"/api/v1/jobs/{job}/functions/{CHECK:x}")  # hex without 0x
    assert check["callers"] == MAIN_REF
    assert check["explanation_status"] == "explained" and check["category"] == "crypto"


def test_injection_findings_cfg_cut_and_suspect_items(
    client: TestClient, analysis: AnalysisResult
) -> None:
    findings = [
        InjectionFinding(
            kind="string",
            address=0x402000 + i,
            addresses=[0x402000 + i],
            rule="override.en",
            category="instruction_override",
            language="en",
            excerpt=f"ignore all previous {i}",
            verdict="benign",
        )
        for i in range(60)
    ]
    cut = CfgCut(budget_s=30.0, functions_found=12, scanned_percent=41.5)
    report = _report()
    reasons = ["its verdict matches the injected one (benign)"]
    report.functions[0] = report.functions[0].model_copy(
        update={"suspect_injection": True, "injection_reasons": reasons}
    )
    report.suspect_items = [f"function main ({MAIN:#x})"]
    result = JobResult(
        job_id=uuid.uuid4(),
        file_name="crackme",
        explanation=report,
        analysis=analysis.model_copy(update={"cfg_cut": cut, "injection_findings": findings}),
    )
    job = _job(client, result)
    overview = _get(client, f"/api/v1/jobs/{job}")["result"]
    assert overview["cfg_cut"] == {"budget_s": 30.0, "functions_found": 12, "scanned_percent": 41.5}
    assert overview["injection_findings_total"] == 60
    assert overview["injection_findings"] == [f.model_dump() for f in findings[:50]]
    assert overview["explanation"]["suspect_items"] == [f"function main ({MAIN:#x})"]
    suspect = _get(client, f"/api/v1/jobs/{job}/functions", suspect="true")
    rows = [(r["name"], r["suspect_injection"], r["injection_reasons"]) for r in suspect["data"]]
    assert rows == [("main", True, reasons)]
    assert suspect["count"] == 1
    clean = _get(client, f"/api/v1/jobs/{job}/functions", suspect="false", limit=500)
    assert clean["count"] == len(analysis.functions) - 1
    assert not any(r["suspect_injection"] for r in clean["data"])
    detail = _get(client, f"/api/v1/jobs/{job}/functions/{MAIN:#x}")
    assert (detail["suspect_injection"], detail["injection_reasons"]) == (True, reasons)
    assert detail["explanation"]["injection_reasons"] == reasons
    response = client.get(f"/api/v1/jobs/{job}/functions", params={"suspect": "maybe"})
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["details"]["fields"]] == ["suspect"]


def test_function_detail_errors(client: TestClient, job: str) -> None:
    missing = client.get(f"/api/v1/jobs/{job}/functions/{MAIN + 1:#x}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "function_not_found"
    assert missing.json()["details"] == {"address": f"{MAIN + 1:#x}"}
    for bad in ("main", "0x", "-12", "0x" + "f" * 17):
        response = client.get(f"/api/v1/jobs/{job}/functions/{bad}")
        assert response.status_code == 422, bad
        assert response.json()["code"] == "invalid_address"


def test_strings_search_filters_sort(
    client: TestClient, job: str, analysis: AnalysisResult
) -> None:
    page = _get(client, f"/api/v1/jobs/{job}/strings", search="ACCESS", sort="length", order="desc")
    assert [r["value"] for r in page["data"]] == [GRANTED, "Access denied. Try harder."]
    granted = page["data"][0]
    assert granted["kind"] == "message" and granted["interpretation"] == "success message"
    assert granted["referenced_by"] == MAIN_REF
    assert granted["encoding"] == "ascii" and granted["length"] == len(GRANTED)
    notable = _get(client, f"/api/v1/jobs/{job}/strings", kind="message")
    assert [r["value"] for r in notable["data"]] == [GRANTED]
    assert _get(client, f"/api/v1/jobs/{job}/strings", encoding="utf-16le") == {
        "data": [],
        "count": 0,
    }
    everything = _get(client, f"/api/v1/jobs/{job}/strings", limit=500)
    assert everything["count"] == len(analysis.strings)
    assert [r["address"] for r in everything["data"]] == [s.address for s in analysis.strings]
    by_address = _get(client, f"/api/v1/jobs/{job}/strings", search=f"{granted['address']:#x}")
    assert [r["value"] for r in by_address["data"]] == [GRANTED]
    for params in ({"kind": "poem"}, {"encoding": "ebcdic"}, {"limit": 1000}, {"sort": "x"}):
        response = client.get(f"/api/v1/jobs/{job}/strings", params=params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "validation_error"


def test_imports_search_filters_sort(
    client: TestClient, job: str, analysis: AnalysisResult
) -> None:
    page = _get(client, f"/api/v1/jobs/{job}/imports", capability="console")
    assert [(r["name"], r["capabilities"]) for r in page["data"]] == [
        ("fwrite", ["console"]),
        ("puts", ["console"]),
    ]
    assert page["data"][1]["referenced_by"] == MAIN_REF
    strlen = _get(client, f"/api/v1/jobs/{job}/imports", search="STRL")["data"]
    assert [r["name"] for r in strlen] == ["strlen"]
    assert strlen[0]["referenced_by"] == [
        {"address": STRIP, "name": "strip_newline", "suggested_name": None},
        {"address": CHECK, "name": "check_password", "suggested_name": "check_password_suggested"},
    ]
    libc = _get(client, f"/api/v1/jobs/{job}/imports", library="LIBC.so.6", limit=1)
    assert libc["count"] == sum(i.library == "libc.so.6" for i in analysis.imports)
    assert len(libc["data"]) == 1
    by_refs = _get(client, f"/api/v1/jobs/{job}/imports", sort="references", order="desc", limit=1)
    assert [r["name"] for r in by_refs["data"]] == ["strlen"]
    for params in ({"capability": "teleport"}, {"offset": -5}, {"order": "sideways"}):
        response = client.get(f"/api/v1/jobs/{job}/imports", params=params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "validation_error"


def test_unknown_job_and_job_without_result(client: TestClient) -> None:
    unknown = uuid.uuid4()
    for path in ("", "/functions", "/strings", "/imports", "/functions/0x401000"):
        response = client.get(f"/api/v1/jobs/{unknown}{path}")
        assert response.status_code == 404, path
        assert response.json()["code"] == "job_not_found"
    queued = _job(client, None)
    assert _get(client, f"/api/v1/jobs/{queued}")["result"] is None
    for path in ("/functions", "/strings", "/imports", "/functions/0x401000"):
        response = client.get(f"/api/v1/jobs/{queued}{path}")
        assert response.status_code == 409, path
        assert response.json() == {
            "code": "result_not_ready",
            "message": f"job {queued} has no result yet (status queued)",
            "details": {"status": "queued"},
        }
