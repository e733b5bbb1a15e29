"""``binscribe eval`` end to end: the real CLI, a provider in the database pointing at the
local OpenAI-protocol server answering with known suggested names, the corpus binary analyzed
for real; the metrics must come out exactly as computed by hand (tests/unit/evaluation)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import KEY, Cli, cli_add_provider
from tests.llm_servers.openai import OpenAIServer
from tests.unit.evaluation.canned_model import BINARY, EXPECTED, SUGGESTED, CannedEvalModel

CORPUS = Path(__file__).parents[2] / "fixtures" / "eval"


@pytest.fixture
def canned() -> Iterator[OpenAIServer]:
    server = OpenAIServer(api_key=KEY, reply=CannedEvalModel()).start()
    try:
        yield server
    finally:
        server.stop()


def test_eval_scores_known_names_exactly(cli: Cli, canned: OpenAIServer, tmp_path: Path) -> None:
    cli_add_provider(cli, canned, "canned")
    out = tmp_path / "eval.json"
    done = cli(
        "eval",
        str(CORPUS / BINARY),
        "--provider",
        "canned",
        "--functions",
        "20",
        "--json",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert "overall" in done.stdout and "canned (gpt-4.1-mini)" in done.stdout
    report = json.loads(out.read_text())
    assert (report["binaries"], report["providers"]) == ([BINARY], ["canned"])
    [run] = report["runs"]
    summary = run["summary"]
    for key, value in EXPECTED.items():
        assert summary[key] == pytest.approx(value), key
    assert report["overall"][0]["summary"] == summary
    by_address = {f"{f['address']:#x}": f for f in run["functions"]}
    assert {a: by_address[a]["suggested_name"] for a in SUGGESTED} == SUGGESTED
    main = next(f for f in run["functions"] if f["input_name"] == "main")
    assert (main["status"], main["error_code"], main["named_in_input"]) == (
        "failed",
        "invalid_output",
        True,
    )
    # tokens and cost are the sums of the functions' own (the server counts the tokens)
    functions = run["functions"]
    assert summary["input_tokens"] == sum(f["input_tokens"] for f in functions) > 0
    assert summary["cost_usd"] == pytest.approx(sum(f["cost_usd"] for f in functions))
    assert summary["latency_ms_mean"] is not None and summary["latency_ms_p95"] is not None
    # the grounding score is read from the explanations: the canned model cites only facts of
    # each function; main's answer failed, so it has none
    assert [f["grounding"] for f in functions if f["input_name"] != "main"] == [1.0] * 10
    assert main["grounding"] is None
    assert summary["grounding"] == 1.0


@pytest.mark.parametrize(
    ("binary", "provider", "message"),
    [
        pytest.param("nope", "x", "{path} is not a readable file", id="missing-file"),
        pytest.param(
            "stripped",
            "x",
            "{path} has no function symbols: give the unstripped binary as the reference",
            id="no-symbols",
        ),
        pytest.param(
            "reference",
            "nobody",
            "no provider named 'nobody' (see `binscribe providers list`)",
            id="unknown-provider",
        ),
    ],
)
def test_eval_refuses_bad_input(
    cli: Cli, tmp_path: Path, binary: str, provider: str, message: str
) -> None:
    path = {"reference": CORPUS / BINARY}.get(binary, tmp_path / binary)
    if binary == "stripped":
        shutil.copyfile(CORPUS / f"{BINARY}.stripped", path)
    refused = cli("eval", str(path), "--provider", provider)
    assert (refused.returncode, refused.stderr) == (
        2,
        f"binscribe: error: {message.format(path=path)}\n",
    )
