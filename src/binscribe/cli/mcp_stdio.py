"""``binscribe mcp``: serve binscribe to AI agents over the Model Context Protocol on
stdin/stdout, with this process's database, blob store and a job runner (see
:mod:`binscribe.mcp.server`). Files the agent may analyze: BINSCRIBE_MCP_ALLOWED_DIRS."""

from __future__ import annotations

from binscribe.cli._context import cli_context
from binscribe.jobs.runners import make_runner
from binscribe.mcp.server import Services, build_server


def mcp_command() -> None:
    """Serve binscribe's tools over MCP on stdio (for desktop agents; see the README)."""
    ctx = cli_context()
    runner = make_runner(ctx)
    runner.start()
    try:
        services = Services(
            ctx=ctx, submit=runner.submit, allowed_dirs=ctx.settings.mcp_allowed_dirs
        )
        build_server(services).run("stdio")
    finally:
        runner.stop()
        ctx.engine.dispose()
