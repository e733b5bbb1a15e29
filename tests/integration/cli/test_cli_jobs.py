"""``binscribe analyze``, ``jobs`` and ``providers`` as a user runs them, on SQLite and
PostgreSQL, against the local OpenAI-protocol server."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from binscribe.llm.types import ProviderType, provider_type_info
from tests.fixtures.large_binary import build_large_binary
from tests.helpers import CRACKME, KEY, Cli, cli_add_provider
from tests.llm_servers.base import Step
from tests.llm_servers.canned import PROGRAM_PURPOSE, function_summary
from tests.llm_servers.openai import OpenAIServer


def test_providers_add_list_test_remove(cli: Cli, llm: OpenAIServer) -> None:
    added = cli_add_provider(cli, llm, "local", "--model", "gpt-4.1-mini")
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added local (openai) ")
    listed = cli("providers", "list")
    assert listed.returncode == 0
    name, ptype, model, key, state, test, _ = listed.stdout.strip().split("\t")
    assert (name, ptype, model, key, state, test) == (
        "local",
        "openai",
        "gpt-4.1-mini",
        "key ...9c2e (ok)",
        "active",
        "untested",
    )
    tested = cli("providers", "test", "local")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert tested.stdout.startswith("local: ok in ")
    llm.always(Step("auth"))
    failing = cli("providers", "test", "local")
    assert failing.returncode == 1
    assert "failed (auth_failed)" in failing.stdout
    assert cli("providers", "remove", "local").stdout == "removed local\n"
    missing = cli("providers", "remove", "local")
    assert (missing.returncode, missing.stderr) == (
        2,
        "binscribe: error: no provider named 'local' (see `binscribe providers list`)\n",
    )
    for run in (added, listed, tested, failing):
        assert KEY not in run.stdout + run.stderr


def test_providers_add_takes_the_model_from_a_pasted_gemini_method_url(cli: Cli) -> None:
    added = cli(
        "providers",
        "add",
        "--name",
        "g",
        "--type",
        "gemini",
        "--api-key",
        "AIza-k-1234",
        "--endpoint",
        "https://generativelanguage.googleapis.com/v1beta/models/"
        "gemini-3.5-flash-lite:generateContent",
    )
    assert added.returncode == 0, added.stderr
    name, ptype, model, *_ = cli("providers", "list").stdout.strip().split("\t")
    assert (name, ptype, model) == ("g", "gemini", "gemini-3.5-flash-lite")


def test_import_env_creates_each_type_once(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("ANTHROPIC_API_KEY=sk-ant-envfile-1234567890\n")
    env = {
        "OPENAI_API_KEY": "sk-env-openai-abcdef123456",
        "OPENAI_MODEL": "gpt-4o-mini",
        "OLLAMA_HOST": "127.0.0.1:11434",
        "OLLAMA_MODEL": "llama3.2",
    }
    anthropic_default = provider_type_info(ProviderType.ANTHROPIC).default_model
    first = cli("providers", "import-env", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "created openai (env): openai, model gpt-4o-mini",
        f"created anthropic (env): anthropic, model {anthropic_default}",
        "created ollama (env): ollama, model llama3.2",
    ]
    second = cli("providers", "import-env", env=env)
    assert second.stdout.splitlines() == [
        "kept openai (env): already present",
        "kept anthropic (env): already present",
        "kept ollama (env): already present",
    ]
    listed = cli("providers", "list").stdout
    assert "ollama (env)\tollama\tllama3.2\tno key (ok)" in listed
    for text in (first.stdout, first.stderr, second.stdout, listed):
        assert "sk-env-openai-abcdef123456" not in text
        assert "sk-ant-envfile-1234567890" not in text


def test_analyze_with_provider_then_jobs_commands(
    cli: Cli, llm: OpenAIServer, tmp_path: Path
) -> None:
    cli_add_provider(cli, llm)
    report = tmp_path / "report.md"
    done = cli(
        "analyze",
        str(CRACKME),
        "--provider",
        "local",
        "--function-limit",
        "3",
        "--detail",
        "brief",
        "-o",
        str(report),
    )
    assert done.returncode == 0, done.stderr
    text = report.read_text()
    assert text.startswith("# crackme-x86_64.elf\n")
    assert PROGRAM_PURPOSE in text and function_summary("main") in text
    as_json = cli(
        "analyze",
        str(CRACKME),
        "--provider",
        "local",
        "--function-limit",
        "3",
        "--detail",
        "brief",
        "--format",
        "json",
    )
    assert as_json.returncode == 0
    document = json.loads(as_json.stdout)
    assert document["explanation"]["program"]["result"]["purpose"] == PROGRAM_PURPOSE
    functions = document["explanation"]["functions"]
    assert functions and [f["cached"] for f in functions] == [True] * len(functions)

    listed = cli("jobs", "list")
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in rows] == [
        ("completed", "store", "100%", "crackme-x86_64.elf", "local")
    ] * 2
    assert listed.stderr == "2 of 2 jobs\n"
    shown = json.loads(cli("jobs", "show", rows[0][0]).stdout)
    assert (shown["status"], shown["analysis_reused"]) == ("completed", True)
    assert cli("jobs", "show", rows[1][0], "--report").stdout == text
    refused = cli("jobs", "cancel", rows[0][0])
    assert (refused.returncode, refused.stderr) == (
        2,
        f"binscribe: error: job {rows[0][0]} already completed\n",
    )


def test_analyze_exit_codes(cli: Cli, llm: OpenAIServer, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello, not a binary\n")
    refused = cli("analyze", str(text))
    assert (refused.returncode, refused.stdout, refused.stderr) == (
        2,
        "",
        "binscribe: error: not an ELF, PE or Mach-O binary (looks like text)\n",
    )
    unknown = cli("analyze", str(CRACKME), "--provider", "nobody")
    assert unknown.returncode == 2
    missing = cli("analyze", str(tmp_path / "nope.elf"))
    assert (missing.returncode, missing.stderr) == (
        2,
        f"binscribe: error: {tmp_path / 'nope.elf'} is not a readable file\n",
    )
    # Every LLM call fails: the job fails with llm_unavailable, the decompilation is still shown.
    cli_add_provider(cli, llm, "broken")
    llm.always(Step("auth"))
    failed = cli("analyze", str(CRACKME), "--provider", "broken", "--function-limit", "2")
    assert failed.returncode == 1
    assert "(llm_unavailable)" in failed.stderr.splitlines()[-1]
    assert "## Functions" in failed.stdout
    assert cli("jobs", "show", str(uuid.uuid4())).returncode == 2


def test_analyze_says_what_its_cfg_budget_cut(cli: Cli, tmp_path: Path) -> None:
    binary = build_large_binary(tmp_path)
    done = cli(
        "analyze", str(binary), "--depth", "basic", env={"BINSCRIBE_ANALYSIS_CFG_BUDGET_S": "1"}
    )
    assert done.returncode == 0, done.stderr
    last = done.stderr.splitlines()[-1]
    assert last.startswith("binscribe: partial result: CFG recovery stopped after its 1 s budget: ")
    assert last.endswith(
        "functions in the rest are missing "
        "(raise BINSCRIBE_ANALYSIS_CFG_BUDGET_S for a complete analysis)"
    )
    assert f"- Note: {last.removeprefix('binscribe: partial result: ')}" in done.stdout
