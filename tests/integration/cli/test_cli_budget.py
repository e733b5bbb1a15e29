"""``binscribe analyze --budget-tokens / --budget-usd``: bad values are one line on stderr and
exit 2 before any job exists; a small token budget completes the job with the budget's note on
stderr and ``budget_exceeded`` items in the JSON report."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import CRACKME, Cli, cli_add_provider
from tests.llm_servers.openai import OpenAIServer


def test_bad_budgets_exit_2_with_one_line(cli: Cli) -> None:
    cases = {
        ("--budget-tokens", "0"): "--budget-tokens must be a whole number of tokens from 1 to "
        "2,000,000,000 (got '0')",
        ("--budget-tokens", "lots"): "--budget-tokens must be a whole number of tokens from 1 "
        "to 2,000,000,000 (got 'lots')",
        ("--budget-usd", "-1"): "--budget-usd must be an amount in USD above 0 and at most "
        "100000 (got '-1')",
        ("--budget-usd", "0"): "--budget-usd must be an amount in USD above 0 and at most "
        "100000 (got '0')",
    }
    for args, message in cases.items():
        refused = cli("analyze", str(CRACKME), "--depth", "basic", *args)
        assert refused.returncode == 2, refused.stderr
        assert refused.stderr == f"binscribe: error: {message}\n"
    assert cli("jobs", "list").stderr == "0 of 0 jobs\n"


def test_a_token_budget_is_kept(cli: Cli, llm: OpenAIServer, tmp_path: Path) -> None:
    cli_add_provider(cli, llm)
    done = cli(
        "analyze",
        str(CRACKME),
        "--provider",
        "local",
        "--function-limit",
        "3",
        "--detail",
        "brief",
        "--budget-tokens",
        "100",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)["explanation"]
    assert report["budget"] == "100 tokens" and report["budget_exceeded"] is True
    assert report["program"]["error"]["code"] == "budget_exceeded"
    assert "binscribe: budget of 100 tokens reached: not explained (budget_exceeded): " in (
        done.stderr
    )
