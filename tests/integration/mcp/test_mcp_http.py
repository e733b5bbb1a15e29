"""MCP over streamable HTTP at ``/mcp`` of a live ``binscribe serve`` with an API token: the
SDK's ClientSession reads a stored job through every read tool, the report resource and the
prompt; without the token the endpoint answers 401 like the API."""

from __future__ import annotations

from pathlib import Path

import httpx
import httpx2
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from binscribe.crypto import generate_key
from binscribe.settings import Settings
from tests.integration.exports.stored import store_job
from tests.integration.mcp.client import call, refusal
from tests.live_server import running_server
from tests.unit.exports.conftest import GOLDEN, PIE

TOKEN = "mcp-test-token-4f9a2c71d0e8b3a6"
TOOLS = {
    "analyze_binary",
    "job_status",
    "list_jobs",
    "program_summary",
    "list_functions",
    "get_function",
    "list_imports",
    "search_strings",
    "export_names",
    "decompile_function",
    "explain_functions",
}


async def test_http_tools_resources_prompt_and_auth(tmp_path: Path) -> None:
    key = generate_key()
    env = {"BINSCRIBE_API_TOKEN": TOKEN, "LLM_PROVIDER_ENCRYPTION_KEY": key}
    with running_server(tmp_path, **env) as server:
        job_id = str(store_job(Settings(data_dir=server.data_dir, encryption_key=key), PIE))
        refused = httpx.post(
            f"{server.url}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
        )
        assert refused.status_code == 401
        assert refused.json()["code"] == "unauthorized"
        wrong = httpx.post(f"{server.url}/mcp", json={}, headers={"Authorization": "Bearer no"})
        assert wrong.status_code == 401
        headers = {"Authorization": f"Bearer {TOKEN}"}
        async with (
            httpx2.AsyncClient(headers=headers, timeout=60) as http,
            streamable_http_client(f"{server.url}/mcp", http_client=http) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            assert {t.name for t in (await session.list_tools()).tools} == TOOLS
            summary = await call(session, "program_summary", job_id=job_id)
            assert (summary["file_name"], summary["format"], summary["image_base"]) == (
                PIE,
                "elf",
                "0x400000",
            )
            first = await call(
                session, "list_functions", job_id=job_id, explained_only=True, limit=2
            )
            assert [f["name"] for f in first["items"]] == ["strip_newline", "check_password"]
            assert (first["count"], first["next_offset"]) == (3, 2)
            second = await call(
                session, "list_functions", job_id=job_id, explained_only=True, offset=2, limit=2
            )
            assert ([f["name"] for f in second["items"]], second["next_offset"]) == (["main"], None)
            detail = await call(session, "get_function", job_id=job_id, function="0x401188")
            assert detail["name"] == "check_password"
            assert detail["suggested_name"] == "verify_password"
            assert detail["explanation"]["security_notes"][0].startswith("Hard-coded password")
            assert "strlen" in detail["callees"]
            strings = await call(session, "search_strings", job_id=job_id, query="denied")
            assert [s["value"] for s in strings["items"]] == ["Access denied. Try harder."]
            options = {"prefix": "bs_", "min_confidence": 0.6, "evidence_comments": True}
            exported = await call(session, "export_names", job_id=job_id, format="r2", **options)
            assert exported["text"] == (GOLDEN / f"{PIE}.binscribe.r2").read_text()
            assert (await refusal(session, "program_summary", job_id="nope")).startswith(
                "validation_error: not a job id"
            )
            missing = await refusal(session, "get_function", job_id=job_id, function="nothing")
            assert missing == f"function_not_found: no function 'nothing' in job {job_id}"
            no_files = await refusal(session, "analyze_binary", path="/etc/passwd")
            assert no_files == (
                "path_not_allowed: this server reads no local files: "
                "set BINSCRIBE_MCP_ALLOWED_DIRS to allow some"
            )
            report = await session.read_resource(f"binscribe://jobs/{job_id}/report")
            assert report.contents[0].text.startswith(f"# {PIE}\n")
            pseudo = await session.read_resource(
                f"binscribe://jobs/{job_id}/functions/0x401188/pseudocode"
            )
            assert "strlen" in pseudo.contents[0].text
            prompt = await session.get_prompt("explain_this_binary", {"job_id": job_id})
            assert f"binscribe job {job_id}" in prompt.messages[0].content.text
        for secret in (TOKEN, key):
            assert secret not in server.log.read_text()
