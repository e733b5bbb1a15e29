"""On-demand jobs on a finished analysis job: decompile one more function, explain a selection,
the rest, or the failed items again (optionally with another provider).

Each request is a small job row (``kind`` ``decompile`` or ``explain``, ``parent_job_id`` the
analysis job) run by the same runners and limits as any job (see
:mod:`binscribe.jobs.ondemand_run`); its result is merged into the parent's stored result (a
new result blob) and its tokens and cost are added to the parent's totals.

Errors at submission: ``job_not_found`` (404), ``function_not_found`` (404) with the unknown
addresses, ``result_not_ready`` (409, the parent has no result), ``not_an_analysis_job`` (409),
``already_decompiled`` (409), ``nothing_to_explain`` (409), ``upload_missing`` (409, the binary
is past its retention period), ``provider_required`` (422, neither the request nor the parent
names a provider), the provider errors of :func:`~binscribe.jobs.submit.usable_provider`, and
``invalid_request`` (422) for addresses with scope ``rest``/``failed`` or none with ``selection``.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session, sessionmaker

from binscribe.analysis.models import Function
from binscribe.crypto import CredentialCipher
from binscribe.db import jobs as job_repo
from binscribe.db.enums import JobKind
from binscribe.db.models import Job
from binscribe.errors import ConflictError, NotFoundError, ValidationFailed, field_errors
from binscribe.explain.report import ExplanationReport, ItemStatus
from binscribe.jobs.blobs import BlobStore
from binscribe.jobs.results import JobResult, finished_result
from binscribe.jobs.submit import usable_provider
from binscribe.llm.types import ProviderType, provider_type_info


class ExplainScope(StrEnum):
    """What an ``explain`` job explains: a ``selection`` of functions, the ``rest`` (every
    function with code not explained yet), or the ``failed`` items again."""

    SELECTION = "selection"
    REST = "rest"
    FAILED = "failed"


MAX_ADDRESSES = 1000
"""Functions one ``selection`` request may name."""
_RETRIED = (ItemStatus.FAILED, ItemStatus.CANCELLED)
"""Item statuses scope ``failed`` runs again."""


class FunctionNotFound(NotFoundError):
    """No function of the result starts at an asked address (HTTP 404)."""

    code = "function_not_found"


class ExplainRequest(BaseModel):
    """What to explain: ``selection`` (the functions at ``addresses``), ``rest`` (every
    function with code not explained yet) or ``failed`` (items whose explanation failed or was
    cancelled); with ``provider_id`` or, when None, the analysis job's provider."""

    model_config = ConfigDict(extra="forbid")

    scope: ExplainScope = ExplainScope.SELECTION
    addresses: list[int] | None = Field(default=None, max_length=MAX_ADDRESSES)
    provider_id: uuid.UUID | None = None


def explain_targets(
    result: JobResult, scope: ExplainScope, addresses: list[int] | None
) -> list[int]:
    """Addresses of the functions ``scope`` explains in ``result`` (address order)."""
    report = result.explanation
    items = {item.address: item for item in report.functions} if report else {}
    if scope == ExplainScope.SELECTION:
        chosen = set(addresses or ())
        return [f.address for f in result.analysis.functions if f.address in chosen]
    if scope == ExplainScope.FAILED:
        return [a for a, item in sorted(items.items()) if item.status in _RETRIED]
    done = {a for a, item in items.items() if item.status == ItemStatus.EXPLAINED}
    return [
        f.address
        for f in result.analysis.functions
        if f.address not in done and not f.is_library and (f.pseudocode or f.disassembly)
    ]


def retried_extras(report: ExplanationReport | None, scope: ExplainScope) -> dict[str, bool]:
    """Which of imports, strings and the program summary an explain job runs: ``rest`` runs
    those missing or not explained, ``failed`` those that failed or were cancelled,
    ``selection`` none. (The program summary then reads the functions this job explains.)"""
    if scope == ExplainScope.SELECTION:
        return {"explain_imports": False, "explain_strings": False, "summarize_program": False}

    def redo(item: object) -> bool:
        if item is None:
            return scope == ExplainScope.REST
        status = getattr(item, "status", "")
        return (
            status in _RETRIED if scope == ExplainScope.FAILED else status != ItemStatus.EXPLAINED
        )

    return {
        "explain_imports": redo(report.imports if report else None),
        "explain_strings": redo(report.strings if report else None),
        "summarize_program": redo(report.program if report else None),
    }


def _parent(session: Session, blobs: BlobStore, parent_id: uuid.UUID) -> tuple[Job, JobResult]:
    parent = job_repo.get_job(session, parent_id)
    if parent.kind != JobKind.ANALYSIS:
        raise ConflictError(
            f"job {parent_id} is an on-demand job; use its analysis job {parent.parent_job_id}",
            code="not_an_analysis_job",
            details={"parent_job_id": str(parent.parent_job_id)},
        )
    return parent, finished_result(blobs, parent)


def _functions(result: JobResult, addresses: list[int]) -> list[Function]:
    by_address = {f.address: f for f in result.analysis.functions}
    missing = [a for a in addresses if a not in by_address]
    if missing:
        shown = ", ".join(f"{a:#x}" for a in missing[:10])
        raise FunctionNotFound(
            f"no function starts at {shown}", details={"addresses": [f"{a:#x}" for a in missing]}
        )
    return [by_address[a] for a in addresses]


def _insert(sessions: sessionmaker[Session], parent: Job, kind: JobKind, **values: object) -> Job:
    copied = {
        name: getattr(parent, name)
        for name in (
            "file_sha256",
            "file_name",
            "file_size",
            "file_format",
            "file_arch",
            "analysis_depth",
            "translation_detail",
            "function_limit",
        )
    }
    with sessions.begin() as session:
        return job_repo.create_job(session, kind=kind, parent_job_id=parent.id, **copied, **values)


def submit_decompile_function(
    sessions: sessionmaker[Session], blobs: BlobStore, parent_id: uuid.UUID, address: int
) -> Job:
    """Queue a ``decompile`` job for the function at ``address`` of analysis job
    ``parent_id``; the caller hands its id to a runner. Errors: see the module docstring."""
    with sessions() as session:
        parent, result = _parent(session, blobs, parent_id)
    function = _functions(result, [address])[0]
    if function.pseudocode is not None:
        raise ConflictError(
            f"function {function.name} ({address:#x}) is already decompiled",
            code="already_decompiled",
            details={"address": f"{address:#x}"},
        )
    if not blobs.exists(parent.file_sha256):
        raise ConflictError(
            "the uploaded file is no longer stored (retention period); upload it again",
            code="upload_missing",
        )
    return _insert(sessions, parent, JobKind.DECOMPILE, request={"addresses": [address]})


def submit_explain(
    sessions: sessionmaker[Session],
    blobs: BlobStore,
    cipher: CredentialCipher,
    parent_id: uuid.UUID,
    ask: ExplainRequest,
) -> Job:
    """Queue an ``explain`` job on analysis job ``parent_id``; the caller hands its id to a
    runner. Errors: see the module docstring."""
    if (ask.scope == ExplainScope.SELECTION) != bool(ask.addresses):
        need = "needs addresses" if ask.scope == ExplainScope.SELECTION else "takes no addresses"
        raise ValidationFailed(
            f"scope '{ask.scope}' {need}",
            code="invalid_request",
            details=field_errors(("addresses", need, "invalid_request")),
        )
    with sessions() as session:
        parent, result = _parent(session, blobs, parent_id)
        provider_id = ask.provider_id or parent.provider_id
        if provider_id is None:
            raise ValidationFailed(
                "this job was analyzed without a provider: choose one (provider_id)",
                code="provider_required",
                details=field_errors(("provider_id", "required", "provider_required")),
            )
        provider = usable_provider(session, provider_id, cipher)
        snapshot = {
            "provider_id": provider.id,
            "provider_name": provider.name,
            "provider_type": provider.provider_type,
            "provider_model": provider.default_model
            or provider_type_info(ProviderType(provider.provider_type)).default_model,
        }
    addresses = list(dict.fromkeys(ask.addresses or ()))
    _functions(result, addresses)
    targets = explain_targets(result, ask.scope, addresses)
    extras = retried_extras(result.explanation, ask.scope)
    if not targets and not any(extras.values()):
        raise ConflictError(
            f"nothing to explain for scope '{ask.scope}'", code="nothing_to_explain"
        )
    request = {"scope": ask.scope, "addresses": addresses or None}
    return _insert(sessions, parent, JobKind.EXPLAIN, request=request, **snapshot)
