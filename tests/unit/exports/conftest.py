"""Export fixtures: the stored job results of the crackme fixtures (real analysis, canned model;
see ``tests/fixtures/exports/gen_results.py``) and the options each golden file was made with."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from binscribe.exports import ExportOptions
from binscribe.jobs.results import JobResult

EXPORTS = Path(__file__).parents[2] / "fixtures" / "exports"
GOLDEN = EXPORTS / "golden"
PIE = "crackme-x86_64-pie.elf"
PE = "crackme-x86_64.exe"
# The PIE's goldens use every option, the PE's the defaults.
OPTIONS = {
    PIE: ExportOptions(prefix="bs_", min_confidence=0.6, evidence_comments=True),
    PE: ExportOptions(),
}


@cache
def job_result(binary: str) -> JobResult:
    """The stored result of the job that explained ``binary`` (one of :data:`OPTIONS`)."""
    data = gzip.decompress((EXPORTS / "results" / f"{binary}.json.gz").read_bytes())
    return JobResult.model_validate_json(data)
