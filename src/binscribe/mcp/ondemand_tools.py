"""MCP tools for on-demand work on a finished job: ``decompile_function`` and
``explain_functions``. Both queue a small job (see :mod:`binscribe.jobs.ondemand`) and answer its
id at once; the agent polls ``job_status`` with it, then reads the function again with
``get_function`` (the outcome is merged into the analysis job's result)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mcp.server import MCPServer

from binscribe import providers
from binscribe.db.models import Job
from binscribe.errors import ValidationFailed
from binscribe.jobs.ondemand import (
    ExplainRequest,
    ExplainScope,
    submit_decompile_function,
    submit_explain,
)
from binscribe.mcp import views

if TYPE_CHECKING:
    from binscribe.mcp.server import Services

_SCOPES = tuple(ExplainScope)


def _started(services: Services, job: Job) -> dict[str, Any]:
    services.submit(job.id)
    return {
        "job_id": str(job.id),
        "kind": job.kind,
        "status": job.status,
        "analysis_job_id": str(job.parent_job_id),
        "next": "poll job_status with this job_id until it is completed, then call "
        "get_function on the analysis job",
    }


def decompile_function(services: Services, job_id: str, function: str) -> dict[str, Any]:
    """Queue the decompilation of one function (name or hex address) of a finished job."""
    from binscribe.mcp.server import _uuid

    parent_id = _uuid(job_id)
    target = views.find_function(services.result(job_id), function)
    ctx = services.ctx
    return _started(
        services, submit_decompile_function(ctx.sessions, ctx.blobs, parent_id, target.address)
    )


def explain_functions(
    services: Services, job_id: str, functions: list[str], scope: str, provider: str
) -> dict[str, Any]:
    """Queue explanations of a selection of functions, the rest, or the failed items."""
    from binscribe.mcp.server import _uuid

    if scope not in _SCOPES:
        raise ValidationFailed(
            f"unknown scope {scope!r}: one of {', '.join(_SCOPES)}", code="invalid_request"
        )
    parent_id = _uuid(job_id)
    result = services.result(job_id)
    addresses = [views.find_function(result, f).address for f in functions] or None
    ctx = services.ctx
    with ctx.sessions() as session:
        provider_id = providers.provider_id_named(session=session, name_or_id=provider)
    ask = ExplainRequest.model_validate(
        {"scope": scope, "addresses": addresses, "provider_id": provider_id}
    )
    return _started(services, submit_explain(ctx.sessions, ctx.blobs, ctx.cipher, parent_id, ask))


def register_ondemand_tools(server: MCPServer, services: Services) -> None:
    """Add ``decompile_function`` and ``explain_functions`` to ``server``."""
    from binscribe.mcp.server import _as_tool_error

    @server.tool(name="decompile_function")
    @_as_tool_error
    def decompile_tool(job_id: str, function: str) -> dict[str, Any]:
        """Decompile one more function (name or hex address) of a completed job that was not
        decompiled (basic depth, or outside the most important ones). Returns a small job id at
        once: poll job_status with it, then read get_function on the original job."""
        return decompile_function(services, job_id, function)

    @server.tool(name="explain_functions")
    @_as_tool_error
    def explain_tool(
        job_id: str,
        functions: list[str] | None = None,
        scope: str = "selection",
        provider: str = "",
    ) -> dict[str, Any]:
        """Explain functions of a completed job with an LLM: scope "selection" explains the
        given functions (names or hex addresses), "rest" every program function not explained
        yet, "failed" retries failed items only. ``provider`` (name or id) defaults to the job's.
        Cached explanations cost nothing. Returns a small job id to poll with job_status."""
        return explain_functions(services, job_id, functions or [], scope, provider)
