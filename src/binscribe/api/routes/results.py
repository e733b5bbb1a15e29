"""``/api/v1/jobs/{id}`` and its result slices: the small job document, paginated functions,
strings and imports, one function's detail by hex address. The stored result is loaded once
per process and indexed (:mod:`binscribe.jobs.result_index`). While a job explains, these serve
its partial result: the analysis and the explanations finished so far (each snapshot has its
own sha256, so the index is rebuilt per snapshot, never stale)."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from binscribe.analysis.models import StringEncoding
from binscribe.api.deps import SessionDep
from binscribe.api.result_tables import list_imports, list_strings
from binscribe.api.result_views import function_detail, list_functions, overview
from binscribe.api.schemas.jobs import job_public
from binscribe.api.schemas.results import (
    DEFAULT_PAGE,
    MAX_PAGE,
    FunctionDetail,
    FunctionSort,
    FunctionsPage,
    ImportSort,
    ImportsPage,
    JobOverview,
    SortOrder,
    StringSort,
    StringsPage,
)
from binscribe.db import jobs as job_repo
from binscribe.db.models import Job
from binscribe.errors import ConflictError, ValidationFailed, field_errors
from binscribe.explain.schemas import CapabilityKind, Category, StringKind
from binscribe.jobs.result_index import ResultCache, ResultIndex

router = APIRouter(prefix="/jobs/{job_id}", tags=["results"])

_HEX_ADDRESS = re.compile(r"(?:0[xX])?([0-9a-fA-F]{1,16})")
_NOT_READY: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown job (`job_not_found`)."},
    409: {"description": "The job has no result yet (`result_not_ready`)."},
}

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")]
Offset = Annotated[int, Query(ge=0, description="rows to skip")]
Search = Annotated[str | None, Query(max_length=200, description="case-insensitive substring")]
Order = Annotated[SortOrder, Query()]


def get_result_cache(request: Request) -> ResultCache:
    """The process's cache of indexed results (built by the app factory)."""
    cache: ResultCache = request.app.state.result_cache
    return cache


ResultCacheDep = Annotated[ResultCache, Depends(get_result_cache)]


def _index(session: Session, cache: ResultCache, job_id: uuid.UUID) -> ResultIndex:
    """The job's indexed result: the final one, or while it runs the partial result stored so
    far (:mod:`binscribe.jobs.partial`). A snapshot replaced and deleted between reading the
    row and loading it is retried once with the row's newer result."""
    index, job = _load(session, cache, job_id)
    if index is None and job.status == "running":
        session.expire_all()
        index, job = _load(session, cache, job_id)
    if index is not None:
        return index
    raise ConflictError(
        f"job {job_id} has no result yet (status {job.status})",
        code="result_not_ready",
        details={"status": job.status},
    )


def _load(
    session: Session, cache: ResultCache, job_id: uuid.UUID
) -> tuple[ResultIndex | None, Job]:
    job = job_repo.get_job(session, job_id)
    if job.result_sha256 is not None:
        try:
            return cache.get(job.result_sha256), job
        except FileNotFoundError:
            pass
    return None, job


@router.get("", response_model=JobOverview, responses={404: _NOT_READY[404]})
def get_job(job_id: uuid.UUID, session: SessionDep, cache: ResultCacheDep) -> JobOverview:
    """Read a job's state and, once it has one, its result overview (no lists)."""
    index, job = _load(session, cache, job_id)
    if index is None and job.status == "running":  # a replaced snapshot: read the row again
        session.expire_all()
        index, job = _load(session, cache, job_id)
    detail = JobOverview.model_validate(job_public(job).model_dump())
    detail.result = overview(index) if index is not None else None
    return detail


@router.get("/functions", response_model=FunctionsPage, responses=_NOT_READY)
def list_job_functions(
    job_id: uuid.UUID,
    session: SessionDep,
    cache: ResultCacheDep,
    search: Search = None,
    library: Annotated[bool | None, Query(description="library/runtime code or not")] = None,
    decompiled: Annotated[bool | None, Query(description="has pseudocode or not")] = None,
    explained: Annotated[bool | None, Query(description="has an explanation or not")] = None,
    failed: Annotated[
        bool | None, Query(description="decompilation or explanation failed, or neither")
    ] = None,
    category: Annotated[Category | None, Query()] = None,
    suspect: Annotated[
        bool | None, Query(description="the explanation may have obeyed prompt injection, or not")
    ] = None,
    sort: Annotated[FunctionSort, Query()] = "address",
    order: Order = "asc",
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
) -> FunctionsPage:
    """One page of the result's functions, filtered, searched and sorted."""
    return list_functions(
        _index(session, cache, job_id),
        search=search,
        library=library,
        decompiled=decompiled,
        explained=explained,
        failed=failed,
        category=category,
        suspect=suspect,
        sort=sort,
        order=order,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/functions/{address}",
    response_model=FunctionDetail,
    responses={**_NOT_READY, 404: {"description": "`job_not_found`, `function_not_found`"}},
)
def get_job_function(
    job_id: uuid.UUID, address: str, session: SessionDep, cache: ResultCacheDep
) -> FunctionDetail:
    """One function by its hex start address (``0x4011c1``): code, explanation, xrefs."""
    match = _HEX_ADDRESS.fullmatch(address)
    if match is None:
        raise ValidationFailed(
            f"Invalid address: {address[:40]!r} is not a hex address like 0x4011c1",
            code="invalid_address",
            details=field_errors(("address", "expected a hex address", "invalid_address")),
        )
    return function_detail(_index(session, cache, job_id), int(match.group(1), 16))


@router.get("/strings", response_model=StringsPage, responses=_NOT_READY)
def list_job_strings(
    job_id: uuid.UUID,
    session: SessionDep,
    cache: ResultCacheDep,
    search: Search = None,
    encoding: Annotated[StringEncoding | None, Query()] = None,
    kind: Annotated[StringKind | None, Query(description="kind of a notable string")] = None,
    sort: Annotated[StringSort, Query()] = "address",
    order: Order = "asc",
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
) -> StringsPage:
    """One page of the result's strings, with the functions referencing each."""
    return list_strings(
        _index(session, cache, job_id),
        search=search,
        encoding=encoding,
        kind=kind,
        sort=sort,
        order=order,
        limit=limit,
        offset=offset,
    )


@router.get("/imports", response_model=ImportsPage, responses=_NOT_READY)
def list_job_imports(
    job_id: uuid.UUID,
    session: SessionDep,
    cache: ResultCacheDep,
    search: Search = None,
    library: Annotated[str | None, Query(max_length=255)] = None,
    capability: Annotated[CapabilityKind | None, Query()] = None,
    sort: Annotated[ImportSort, Query()] = "name",
    order: Order = "asc",
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
) -> ImportsPage:
    """One page of the result's imports, with their capabilities and calling functions."""
    return list_imports(
        _index(session, cache, job_id),
        search=search,
        library=library,
        capability=capability,
        sort=sort,
        order=order,
        limit=limit,
        offset=offset,
    )
