"""``binscribe mcp`` as a desktop agent runs it: a real subprocess driven over stdio by the SDK's
ClientSession. The agent analyzes a fixture in an allowed directory with a provider (the local
OpenAI-protocol server), polls the job, pages through the explained functions and reads one;
paths outside the allowed directory, through a symlink out of it, FIFOs and relative paths are
refused with ``path_not_allowed``."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from mcp import ClientSession
from mcp.client.stdio import stdio_client

from tests.helpers import KEY, Cli
from tests.integration.mcp.client import agent_setup, call, refusal
from tests.llm_servers.canned import function_summary
from tests.llm_servers.openai import OpenAIServer


async def test_stdio_agent_analyzes_and_reads_a_fixture(
    cli: Cli, cli_env: dict[str, str], llm: OpenAIServer, tmp_path: Path
) -> None:
    params, sample = agent_setup(cli, cli_env, llm, tmp_path)
    allowed = sample.parent
    (allowed / "escape").symlink_to("/etc/passwd")
    os.mkfifo(allowed / "pipe")
    with (tmp_path / "mcp.log").open("w") as log:
        async with (
            stdio_client(params, errlog=log) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            for path, reason in [
                ("/etc/passwd", "/etc/passwd is outside the allowed directories"),
                (
                    str(allowed / "escape"),
                    f"{allowed / 'escape'} is outside the allowed directories",
                ),
                (str(allowed / "pipe"), f"{allowed / 'pipe'} is not a regular file"),
                ("samples/crackme.elf", "'samples/crackme.elf' is not an absolute path"),
            ]:
                assert await refusal(session, "analyze_binary", path=path) == (
                    f"path_not_allowed: {reason}"
                )
            (allowed / "notes.txt").write_text("just some text, not a program\n" * 20)
            assert await refusal(session, "analyze_binary", path=str(allowed / "notes.txt")) == (
                "unsupported_format: not an ELF, PE or Mach-O binary (looks like text)"
            )
            blobs = Path(cli_env["BINSCRIBE_DATA_DIR"]) / "blobs"
            assert [p for p in blobs.rglob("*") if p.is_file()] == []  # the refused file is gone
            started = await call(
                session, "analyze_binary", path=str(sample), provider="local", function_limit=3
            )
            assert (started["status"], started["file_name"]) == ("queued", "crackme.elf")
            job_id = started["job_id"]
            status = await call(session, "job_status", job_id=job_id)
            while status["status"] in ("queued", "running"):
                await asyncio.sleep(0.5)
                status = await call(session, "job_status", job_id=job_id)
            assert (status["status"], status["provider"]) == ("completed", "local")
            pages, offset = [], 0
            while offset is not None:
                page = await call(
                    session,
                    "list_functions",
                    job_id=job_id,
                    explained_only=True,
                    offset=offset,
                    limit=2,
                )
                pages.append([f["name"] for f in page["items"]])
                offset = page["next_offset"]
            assert [len(p) for p in pages] == [2, 1]
            assert "check_password" in sum(pages, [])
            detail = await call(session, "get_function", job_id=job_id, function="check_password")
            assert detail["address"] == "0x401175"
            assert detail["summary"] == function_summary("check_password")
            assert "strlen" in detail["pseudocode"]
            summary = await call(session, "program_summary", job_id=job_id)
            assert summary["explained"]["provider_type"] == "openai"
            prompts = await session.list_prompts()
            assert [p.name for p in prompts.prompts] == ["explain_this_binary"]
    assert KEY not in (tmp_path / "mcp.log").read_text()
