"""``binscribe export`` as a user runs it: the golden scripts on stdout or in a file, and one
line with exit code 2 for every kind of bad input."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from binscribe.settings import Settings
from tests.helpers import Cli
from tests.integration.exports.stored import store_job
from tests.unit.exports.conftest import GOLDEN, PE, PIE


def _settings(env: dict[str, str]) -> Settings:
    return Settings(
        data_dir=Path(env["BINSCRIBE_DATA_DIR"]),
        database_url=env["BINSCRIBE_DATABASE_URL"],
        encryption_key=env["LLM_PROVIDER_ENCRYPTION_KEY"],
    )


def test_export_to_stdout_and_file(cli: Cli, cli_env: dict[str, str], tmp_path: Path) -> None:
    pe = store_job(_settings(cli_env), PE)
    pie = store_job(_settings(cli_env), PIE)
    printed = cli("export", str(pe), "--format", "ghidra")
    assert (printed.returncode, printed.stderr) == (0, "")
    assert printed.stdout == (GOLDEN / f"{PE}.binscribe.ghidra.py").read_text()
    out = tmp_path / "names.r2"
    written = cli(
        "export",
        str(pie),
        "-f",
        "r2",
        "-o",
        str(out),
        "--prefix",
        "bs_",
        "--min-confidence",
        "0.6",
        "--evidence-comments",
    )
    assert written.returncode == 0, written.stderr
    assert written.stderr == f"wrote {out} (r2 export of job {pie})\n"
    assert out.read_text() == (GOLDEN / f"{PIE}.binscribe.r2").read_text()


# (job: "done", "queued", "missing" or a literal id; the rest of the arguments; the message)
BAD_INPUT = [
    pytest.param(
        "done",
        ["--format", "cutter"],
        "unknown format 'cutter': use one of ida, ghidra, binja, r2, json",
        id="unknown-format",
    ),
    pytest.param(
        "latest",
        ["--format", "ida"],
        "not a job id: 'latest' (see `binscribe jobs list`)",
        id="not-an-id",
    ),
    pytest.param("missing", ["--format", "ida"], "no job with id {job}", id="no-such-job"),
    pytest.param(
        "queued",
        ["--format", "ida"],
        "job {job} has no result yet (status queued)",
        id="no-result-yet",
    ),
    pytest.param(
        "done",
        ["--format", "ida", "--min-confidence", "3"],
        "Invalid min_confidence: Input should be less than or equal to 1",
        id="confidence-out-of-range",
    ),
]


@pytest.mark.parametrize(("job", "args", "message"), BAD_INPUT)
def test_bad_input_is_one_line_and_exit_2(
    cli: Cli, cli_env: dict[str, str], job: str, args: list[str], message: str
) -> None:
    ids = {
        "done": str(store_job(_settings(cli_env), PIE)),
        "queued": str(store_job(_settings(cli_env), PIE, finished=False)),
        "missing": str(uuid.uuid4()),
    }
    job_id = ids.get(job, job)
    refused = cli("export", job_id, *args)
    assert (refused.returncode, refused.stdout, refused.stderr) == (
        2,
        "",
        f"binscribe: error: {message.format(job=job_id)}\n",
    )
