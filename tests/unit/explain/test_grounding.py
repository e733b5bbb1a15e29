"""The grounding score: known claims about copy_file (0x4011e6, 176 bytes) of the fileio fixture
checked against the function and the binary, and the weighted job score."""

from __future__ import annotations

import pytest

from binscribe.analysis.models import CodeRef, ImportRef
from binscribe.explain.engine import job_grounding_score
from binscribe.explain.evidence import Grounding
from binscribe.explain.report import (
    ExplanationReport,
    FunctionResult,
    GroundingScore,
    ImportsResult,
    ItemError,
    ProgramResult,
    StringsResult,
)
from binscribe.explain.schemas import Evidence
from tests.unit.explain.samples import fileio_result


def _score(claims: list[tuple[str, str]], name: str = "copy_file") -> GroundingScore:
    result = fileio_result()
    func = next(f for f in result.functions if f.name == name)
    evidence = [
        Evidence(kind=kind, value=value, supports=f"claim {i}")
        for i, (kind, value) in enumerate(claims)
    ]
    return Grounding(result).score(func, evidence)


@pytest.mark.parametrize(
    ("kind", "value", "grounded"),
    [
        ("address", "0x4011e6", True),  # its entry
        ("address", "0x401295", True),  # its last byte
        ("address", "0x401296", False),  # send_report's entry, just past it
        ("address", "0x402004", True),  # "rb", which it loads
        ("address", "0x402058", False),  # "127.0.0.1", which main loads
        ("address", "0x404048", True),  # fopen's GOT slot: an import it calls
        ("address", "0x404000", False),  # recv's GOT slot: send_report's import
        ("string", '"wb"', True),
        ("string", "report.txt", False),  # main's string
        ("import", "fwrite@plt", True),
        ("import", "socket", False),
        ("callee", "fclose()", True),
        ("callee", "send_report", False),
    ],
)
def test_each_kind_is_checked_against_the_function(kind: str, value: str, grounded: bool) -> None:
    score = _score([(kind, value)])
    assert (score.grounded, score.total, score.score) == (int(grounded), 1, float(grounded))


def test_score_is_the_share_of_claims_grounded_in_the_function() -> None:
    score = _score(
        [
            ("address", "0x4011e6"),
            ("string", "rb"),
            ("import", "fopen"),
            ("callee", "fread"),
            ("string", "report.txt"),
            ("import", "CryptEncrypt"),
            ("callee", "send_report"),
            ("address", "0xdeadbeef"),
        ]
    )
    assert score == GroundingScore(
        score=0.5,
        grounded=4,
        total=8,
        unverified=[
            'string "report.txt" (elsewhere in the binary, not in this function): claim 4',
            'import "CryptEncrypt" (not in the binary): claim 5',
            'callee "send_report" (elsewhere in the binary, not in this function): claim 6',
            'address "0xdeadbeef" (not in the binary): claim 7',
        ],
    )


def test_no_evidence_scores_zero_of_zero() -> None:
    assert _score([]) == GroundingScore(score=0.0, grounded=0, total=0, unverified=[])


def test_xrefs_by_address_ground_call_targets_and_callers() -> None:
    result = fileio_result()
    main = next(f for f in result.functions if f.name == "main")
    main.calls = [CodeRef(address=0x4013A0, target=0x4011E6)]
    main.caller_addresses = [0x401100]
    main.import_refs = [ImportRef(address=0x4013B0, name="strlen")]
    evidence = [
        Evidence(kind="address", value="0x4011e6"),  # copy_file, which it calls
        Evidence(kind="address", value="0x401100"),  # _start, which calls it
        Evidence(kind="import", value="strlen"),  # an import it references by address
        Evidence(kind="address", value="0x401296"),  # send_report: no xref in this result
    ]
    score = Grounding(result).score(main, evidence)
    assert (score.grounded, score.total, score.score) == (3, 4, 0.75)


def _explained(grounded: int, total: int) -> FunctionResult:
    score = GroundingScore(score=grounded / total if total else 0.0, grounded=grounded, total=total)
    return FunctionResult(
        name="f", address=0, source="pseudocode", status="explained", grounding=score
    )


def test_the_job_score_is_weighted_by_claims() -> None:
    functions = [_explained(1, 1), _explained(1, 4), _explained(0, 0)]
    # (1 + 1) / (1 + 4 + 0), not the mean of 1.0, 0.25 and 0.0
    assert job_grounding_score(functions) == 0.4
    assert job_grounding_score([_explained(0, 0)]) is None
    assert job_grounding_score([]) is None


def test_failure_note_names_the_failed_parts() -> None:
    error = ItemError(code="server_error", message="The provider answered HTTP 500.")
    report = ExplanationReport(
        prompt_version="v3",
        provider_type="openai",
        model="m",
        detail="brief",
        functions=[_explained(1, 1)],
        imports=ImportsResult(status="failed", error=error),
        strings=StringsResult(status="failed", error=error),
        program=ProgramResult(status="failed", error=error),
        failed_parts=["imports", "strings", "program"],
    )
    assert report.failure_note() == (
        "explanations failed for imports, strings, program (every item besides the functions):"
        " server_error: The provider answered HTTP 500."
    )
    report.program = ProgramResult(status="explained")
    report.failed_parts = ["imports", "strings"]
    assert report.failure_note() == (
        "explanations failed for imports, strings: server_error: The provider answered HTTP 500."
    )
    report.failed_parts = []
    assert report.failure_note() is None
