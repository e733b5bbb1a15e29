"""``binscribe jobs decompile`` and ``binscribe jobs explain`` on a finished job (real
subprocesses, SQLite): exit 0 with the merged outcome, 2 with one line on bad input."""

from __future__ import annotations

import json

from tests.helpers import CRACKME, Cli, cli_add_provider
from tests.llm_servers.canned import function_summary
from tests.llm_servers.openai import OpenAIServer


def test_decompile_and_explain_one_more_function(cli: Cli, llm: OpenAIServer) -> None:
    analyzed = cli("analyze", str(CRACKME), "--depth", "basic", "--format", "json")
    assert analyzed.returncode == 0, analyzed.stderr
    job_id = cli("jobs", "list").stdout.split("\t")[0]
    main = next(
        f for f in json.loads(analyzed.stdout)["analysis"]["functions"] if f["name"] == "main"
    )
    assert main["pseudocode"] is None
    address = f"{main['address']:#x}"

    done = cli("jobs", "decompile", job_id, address)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("decompile job ") and f"merged into job {job_id}" in done.stdout
    again = cli("jobs", "decompile", job_id, address)
    assert (again.returncode, again.stderr) == (
        2,
        f"binscribe: error: function main ({address}) is already decompiled\n",
    )
    refused = cli("jobs", "explain", job_id, "--address", address)
    assert (refused.returncode, refused.stderr) == (
        2,
        "binscribe: error: this job was analyzed without a provider: choose one (provider_id)\n",
    )
    assert cli("jobs", "decompile", job_id, "zz").returncode == 2

    added = cli_add_provider(cli, llm)
    assert added.returncode == 0, added.stderr
    explained = cli("jobs", "explain", job_id, "--address", address, "--provider", "local")
    assert explained.returncode == 0, explained.stderr
    result = json.loads(cli("jobs", "show", job_id).stdout)
    assert (result["counts"]["functions_decompiled"], result["usage"]["input_tokens"] > 0) == (
        1,
        True,
    )
    report = cli("jobs", "show", job_id, "--report").stdout
    assert function_summary("main") in report
    assert cli("jobs", "list").stderr == "1 of 1 jobs\n"
