"""On-demand tools over stdio (``binscribe mcp`` subprocess, the SDK's ClientSession): an agent
decompiles a function the analysis left out and explains it, polling the small jobs the tools
return; refusals carry the API's codes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from mcp import ClientSession
from mcp.client.stdio import stdio_client

from tests.helpers import Cli
from tests.integration.mcp.client import agent_setup, call, refusal
from tests.llm_servers.canned import function_summary
from tests.llm_servers.openai import OpenAIServer


async def _final(session: ClientSession, job_id: str) -> dict[str, Any]:
    status: dict[str, Any] = await call(session, "job_status", job_id=job_id)
    while status["status"] in ("queued", "running"):
        await asyncio.sleep(0.3)
        status = await call(session, "job_status", job_id=job_id)
    return status


async def test_agent_decompiles_and_explains_one_more_function(
    cli: Cli, cli_env: dict[str, str], llm: OpenAIServer, tmp_path: Path
) -> None:
    params, sample = agent_setup(cli, cli_env, llm, tmp_path)
    with (tmp_path / "mcp.log").open("w") as log:
        async with (
            stdio_client(params, errlog=log) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            tools = {tool.name for tool in (await session.list_tools()).tools}
            assert {"decompile_function", "explain_functions"} <= tools
            started = await call(
                session, "analyze_binary", path=str(sample), provider="local", function_limit=1
            )
            job_id = started["job_id"]
            assert (await _final(session, job_id))["status"] == "completed"
            page = await call(session, "list_functions", job_id=job_id, limit=200)
            names = [f["name"] for f in page["items"]]
            details = [
                await call(session, "get_function", job_id=job_id, function=n) for n in names
            ]
            done = next(d for d in details if d["pseudocode"])
            left = next(d for d in details if not d["pseudocode"] and not d["is_library"])
            address = left["address"]

            assert await refusal(
                session, "decompile_function", job_id=job_id, function=done["address"]
            ) == (
                f"already_decompiled: function {done['name']} ({done['address']}) is already "
                "decompiled"
            )
            small = await call(session, "decompile_function", job_id=job_id, function=address)
            assert (small["kind"], small["analysis_job_id"]) == ("decompile", job_id)
            assert (await _final(session, small["job_id"]))["status"] == "completed"
            after = await call(session, "get_function", job_id=job_id, function=address)
            assert after["pseudocode"] and f"{left['name']}(" in after["pseudocode"]

            assert (
                await refusal(
                    session, "explain_functions", job_id=job_id, scope="rest", functions=[address]
                )
            ).startswith("invalid_request: ")
            small = await call(session, "explain_functions", job_id=job_id, functions=[address])
            assert small["kind"] == "explain"
            assert (await _final(session, small["job_id"]))["status"] == "completed"
            explained = await call(session, "get_function", job_id=job_id, function=address)
            assert explained["explanation"]["summary"] == function_summary(left["name"])
