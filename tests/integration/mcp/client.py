"""Helpers for driving binscribe's MCP server with the SDK's own ``ClientSession``."""

from __future__ import annotations

from typing import Any

from mcp import ClientSession


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
