"""Helpers for driving binscribe's MCP server with the SDK's own ``ClientSession``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters

from tests.helpers import BINSCRIBE, CRACKME, Cli, cli_add_provider
from tests.llm_servers.base import ProtocolServer


def agent_setup(
    cli: Cli, cli_env: dict[str, str], llm: ProtocolServer, tmp_path: Path
) -> tuple[StdioServerParameters, Path]:
    """What a desktop agent has before it starts ``binscribe mcp``: a provider ``local`` for
    ``llm``, the crackme fixture in the allowed directory ``tmp_path/samples``. Returns the
    server's stdio parameters (a real subprocess, as an agent starts it) and the sample's path."""
    added = cli_add_provider(cli, llm)
    assert added.returncode == 0, added.stderr
    allowed = tmp_path / "samples"
    allowed.mkdir()
    sample = allowed / "crackme.elf"
    shutil.copyfile(CRACKME, sample)
    env = {**cli_env, "BINSCRIBE_MCP_ALLOWED_DIRS": json.dumps([str(allowed)])}
    return StdioServerParameters(
        command=str(BINSCRIBE), args=["mcp"], env=env, cwd=tmp_path
    ), sample


async def call(session: ClientSession, tool: str, **arguments: Any) -> Any:
    """The structured result of a tool call that must succeed."""
    result = await session.call_tool(tool, arguments)
    assert not result.is_error, [getattr(c, "text", c) for c in result.content]
    return result.structured_content


async def refusal(session: ClientSession, tool: str, **arguments: Any) -> str:
    """The text of a tool call that must fail (``Error executing tool <tool>: <code>: ...``)."""
    result = await session.call_tool(tool, arguments)
    assert result.is_error, result.structured_content
    text = "".join(getattr(c, "text", "") for c in result.content)
    prefix = f"Error executing tool {tool}: "
    assert text.startswith(prefix), text
    return text.removeprefix(prefix)
