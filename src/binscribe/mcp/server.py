"""The MCP server (official ``mcp`` SDK): binscribe's jobs and results as tools, resources and a
prompt, for AI agents over stdio (``binscribe mcp``) or streamable HTTP (``/mcp`` in the web
service).

Tools use the same services as the API (job repository, blob store, job submission, exports) and
answer small JSON documents with addresses as hex strings; lists are paginated. Long work
(analyzing a binary) returns a job id to poll with ``job_status``. A binscribe error becomes an
MCP tool error whose text is ``<code>: <message>``, the code and message the API would answer.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError

from binscribe import providers
from binscribe.db import jobs as job_repo
from binscribe.db.enums import JobStatus
from binscribe.errors import BinscribeError, ValidationFailed
from binscribe.exports import ExportFormat, render_export
from binscribe.exports.options import export_options
from binscribe.jobs.context import JobContext
from binscribe.jobs.markdown import render_markdown
from binscribe.jobs.results import JobResult, finished_result
from binscribe.jobs.submit import JobOptions, submit_job
from binscribe.mcp import views
from binscribe.mcp.ondemand_tools import register_ondemand_tools
from binscribe.mcp.paths import open_confined

INSTRUCTIONS = (
    "binscribe decompiles binaries with angr and explains them with an LLM. Start a job with "
    "analyze_binary (a file path) or find one with list_jobs, poll job_status until it is "
    "completed, then read program_summary, page through list_functions, read get_function, "
    "list_imports and search_strings; decompile_function and explain_functions add work to a "
    "finished job (poll the small job they return). Addresses are hex strings."
)


@dataclass
class Services:
    """What the tools use: the job context and how to hand a queued job to a runner."""

    ctx: JobContext
    submit: Callable[[uuid.UUID], None]
    allowed_dirs: list[Path] = field(default_factory=list)

    def result(self, job_id: str) -> JobResult:
        """The stored result of a job; errors as the API's (404 unknown, 409 not finished)."""
        with self.ctx.sessions() as session:
            job = job_repo.get_job(session, _uuid(job_id))
        return finished_result(self.ctx.blobs, job)


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ValidationFailed(f"not a job id: {text!r}", details={"job_id": text}) from None


def _as_tool_error[F: Callable[..., Any]](fn: F) -> F:
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BinscribeError as exc:
            raise ToolError(f"{exc.code}: {exc.message}") from None

    return call  # type: ignore[return-value]


def _job_status(services: Services, job_id: str) -> dict[str, Any]:
    with services.ctx.sessions() as session:
        job = job_repo.get_job(session, _uuid(job_id))
    return {
        "job_id": str(job.id),
        "status": job.status,
        "stage": job.stage,
        "progress": job.progress,
        "message": job.message,
        "file_name": job.file_name,
        "provider": job.provider_name,
        "model": job.provider_model,
        "functions_total": job.functions_total,
        "items_done": job.items_done,
        "items_total": job.items_total,
        "error_code": job.error_code,
        "error_message": job.error_message,
    }


def _analyze(
    services: Services, path: str, provider: str, function_limit: int | None
) -> dict[str, Any]:
    source, name = open_confined(path, services.allowed_dirs)
    ctx = services.ctx
    with source, ctx.blobs.writer(limit=ctx.settings.max_upload_bytes) as writer:
        while chunk := source.read(1024 * 1024):
            writer.write(chunk)
        blob = writer.commit()
    try:
        with ctx.sessions() as session:
            provider_id = providers.provider_id_named(session=session, name_or_id=provider)
        job = submit_job(
            ctx.sessions,
            cipher=ctx.cipher,
            blob=blob,
            file_name=name,
            options=JobOptions(function_limit=function_limit),
            provider_id=provider_id,
        )
    except BinscribeError:
        with ctx.sessions() as session:
            unused = not job_repo.jobs_using_blob(session, blob.sha256)
        if unused:
            ctx.blobs.delete(blob.sha256)
        raise
    services.submit(job.id)
    return {
        "job_id": str(job.id),
        "status": job.status,
        "file_name": job.file_name,
        "next": "poll job_status until status is completed",
    }


def build_server(services: Services) -> MCPServer:
    """An MCP server with binscribe's tools, resources and prompt over ``services``."""
    server = MCPServer(name="binscribe", instructions=INSTRUCTIONS)

    @server.tool()
    @_as_tool_error
    def analyze_binary(
        path: str, provider: str = "", function_limit: int | None = None
    ) -> dict[str, Any]:
        """Start analyzing (and, with a provider name or id, explaining) an ELF, PE or Mach-O
        file at an absolute path inside the directories the server allows. Returns a job id at
        once; poll job_status until it is completed (seconds to minutes)."""
        return _analyze(services, path, provider, function_limit)

    @server.tool()
    @_as_tool_error
    def job_status(job_id: str) -> dict[str, Any]:
        """A job's status (queued, running, completed, failed, cancelled), stage, progress 0-100
        and error, if any."""
        return _job_status(services, job_id)

    @server.tool()
    @_as_tool_error
    def list_jobs(
        status: JobStatus | None = None, limit: int = 20, offset: int = 0
    ) -> dict[str, Any]:
        """Jobs newest first (optionally only one status): ids, files, states."""
        page = {"limit": max(1, min(limit, 100)), "offset": max(0, offset)}
        with services.ctx.sessions() as session:
            rows, total = job_repo.list_jobs(session, status=status, **page)
        return {
            "count": total,
            "items": [
                {
                    "job_id": str(r.id),
                    "status": r.status,
                    "file_name": r.file_name,
                    "created_at": r.created_at.isoformat(),
                }
                for r in rows
            ],
        }

    @server.tool()
    @_as_tool_error
    def program_summary(job_id: str) -> dict[str, Any]:
        """What a completed job's program is (format, arch, size, counts) and what the model
        says it does (purpose, key behaviours, security considerations)."""
        return views.program_summary(services.result(job_id))

    @server.tool()
    @_as_tool_error
    def list_functions(
        job_id: str,
        query: str = "",
        explained_only: bool = False,
        offset: int = 0,
        limit: int = 50,
    ) -> dict[str, Any]:
        """A page of a job's functions in address order: name, hex address, size, suggested
        name, category and one-line summary. ``query`` filters by name or summary text."""
        return views.list_functions(
            services.result(job_id),
            query=query,
            explained_only=explained_only,
            offset=max(0, offset),
            limit=max(1, min(limit, 200)),
        )

    @server.tool()
    @_as_tool_error
    def get_function(job_id: str, function: str) -> dict[str, Any]:
        """One function by name or hex address: pseudocode, disassembly, the explanation
        (summary, parameters, security notes, evidence), callers, callees, strings, imports."""
        result = services.result(job_id)
        return views.function_detail(result, views.find_function(result, function))

    @server.tool()
    @_as_tool_error
    def list_imports(job_id: str, capability: str = "") -> dict[str, Any]:
        """A job's imports grouped by capability (file, network, process, crypto, ...; filter
        with ``capability``), and every import with its library and hex address."""
        return views.list_imports(services.result(job_id), capability=capability)

    @server.tool()
    @_as_tool_error
    def search_strings(
        job_id: str, query: str = "", offset: int = 0, limit: int = 50
    ) -> dict[str, Any]:
        """A page of a job's string literals containing ``query`` (case-insensitive), with the
        hex addresses of the functions that use them."""
        return views.search_strings(
            services.result(job_id),
            query=query,
            offset=max(0, offset),
            limit=max(1, min(limit, 200)),
        )

    @server.tool()
    @_as_tool_error
    def export_names(
        job_id: str,
        format: str,
        prefix: str = "",
        min_confidence: float = 0.0,
        evidence_comments: bool = False,
    ) -> dict[str, Any]:
        """A script applying a job's function names and comments in IDA (ida), Ghidra
        (ghidra), Binary Ninja (binja) or radare2 (r2), or the JSON symbol map (json)."""
        try:
            fmt = ExportFormat(format)
        except ValueError:
            raise ValidationFailed(f"unknown format {format!r}") from None
        options = export_options(prefix, min_confidence, evidence_comments)
        result = services.result(job_id)
        export = render_export(
            fmt, result.analysis, result.explanation, options, file_name=result.file_name
        )
        return {"file_name": export.file_name, "media_type": export.media_type, "text": export.text}

    register_ondemand_tools(server, services)

    @server.resource("binscribe://jobs/{job_id}/report", mime_type="text/markdown")
    def job_report(job_id: str) -> str:
        """A completed job's Markdown report."""
        try:
            return render_markdown(services.result(job_id))
        except BinscribeError as exc:
            raise ResourceError(f"{exc.code}: {exc.message}") from None

    @server.resource(
        "binscribe://jobs/{job_id}/functions/{address}/pseudocode", mime_type="text/x-c"
    )
    def function_pseudocode(job_id: str, address: str) -> str:
        """One function's pseudocode (angr's C-like output), by hex address."""
        try:
            function = views.find_function(services.result(job_id), address)
        except BinscribeError as exc:
            raise ResourceError(f"{exc.code}: {exc.message}") from None
        return function.pseudocode or f"// no pseudocode: {function.decompile_error or 'none'}"

    @server.prompt()
    def explain_this_binary(job_id: str) -> str:
        """Explain what a binary does, using binscribe's tools on its job."""
        return (
            f"Explain what the program of binscribe job {job_id} does. Call program_summary "
            "first, then list_functions (explained_only=true) and get_function for the functions "
            "that matter, list_imports for its capabilities and search_strings for URLs, paths "
            "and messages. Cite function names with their hex addresses, say what is uncertain, "
            "and end with the security-relevant behaviour."
        )

    return server
