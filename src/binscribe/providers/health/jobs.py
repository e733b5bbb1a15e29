"""What an analysis job's provider calls say about its provider.

- Every explained item failed, each with a provider error (an
  :class:`~binscribe.llm.errors.LLMErrorCode` code such as ``auth_failed``, ``unreachable``,
  ``model_not_found``) or as its consequence (the program summary's ``no_input``), and no
  provider call answered: the provider is marked failing with the most common provider error's
  code and message (the job itself fails ``llm_unavailable``).
- At least one provider call answered (even if its item then failed, say ``invalid_output``):
  the provider works, and is marked healthy.
- Otherwise (no item, every item from the explanation cache, a cancelled run, failures that are
  not the provider's such as ``internal_error``): nothing is marked.

The verdict is stored only while the provider still has the connection the job used (type,
endpoint, model, key): a provider edited while the job ran keeps its fresh "untested".
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from typing import Literal

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from binscribe.crypto import CredentialCipher
from binscribe.db import providers as repo
from binscribe.db.engine import make_session_factory
from binscribe.db.models import UserLLMProvider
from binscribe.errors import BinscribeError
from binscribe.explain.report import ExplanationReport, ItemError
from binscribe.llm.config import ProviderConfig
from binscribe.llm.errors import LLMErrorCode
from binscribe.providers.access import provider_config
from binscribe.providers.health.changes import same_connection

log = logging.getLogger(__name__)

Verdict = Literal["healthy", "failing"]

_LLM_CODES = frozenset(LLMErrorCode)
_CONSEQUENCES = frozenset({"no_input"})
"""Item failures that follow from the others' (no provider call is made for them)."""


def _provider_error(report: ExplanationReport) -> ItemError | None:
    """The most common provider error of a run in which every item failed, each with a provider
    error or one of :data:`_CONSEQUENCES`; None for any other run."""
    if not report.all_failed:
        return None
    items = [*report.functions, report.imports, report.strings, report.program]
    failed = [item for item in items if item is not None and item.status == "failed"]
    errors = [item.error for item in failed if item.error is not None]
    if len(errors) != len(failed):
        return None
    provider = [error for error in errors if error.code in _LLM_CODES]
    if not provider or any(error.code not in _LLM_CODES | _CONSEQUENCES for error in errors):
        return None
    code = Counter(error.code for error in provider).most_common(1)[0][0]
    return next(error for error in provider if error.code == code)


def job_verdict(report: ExplanationReport) -> tuple[Verdict, ItemError | None] | None:
    """``("failing", the provider error)``, ``("healthy", None)`` or None (nothing to say) for a
    finished explanation run, by the rules of this module."""
    if report.cancelled:
        return None
    if report.usage.requests > 0:
        return "healthy", None
    error = _provider_error(report)
    return ("failing", error) if error is not None else None


def _message(report: ExplanationReport, job_id: uuid.UUID, error: ItemError | None) -> str:
    job = f"analysis job {str(job_id)[:8]}"
    if error is None:
        return f"{report.model} answered {report.usage.requests} call(s) of {job}."
    return f"Every LLM call of {job} failed: {error.message}"


def record_job_outcome(
    engine: Engine,
    cipher: CredentialCipher,
    *,
    provider_id: uuid.UUID | None,
    used: ProviderConfig,
    report: ExplanationReport,
    job_id: uuid.UUID,
) -> Verdict | None:
    """Store what ``report`` (the job's explanation run with configuration ``used``) says about
    provider ``provider_id`` in the database of ``engine`` (``last_test_source = "job"``);
    returns the verdict stored, or None when nothing was stored. Never raises for a missing or
    changed provider; database errors are logged, not raised (a job's result matters more than
    its provider's health)."""
    found = job_verdict(report)
    if found is None or provider_id is None:
        return None
    verdict, error = found
    sessions = make_session_factory(engine, immediate=True)  # SQLite: take the write lock first
    try:
        with sessions.begin() as session:
            row = session.get(UserLLMProvider, provider_id)
            if row is None:
                return None
            try:
                current = provider_config(row, cipher)
            except BinscribeError:
                return None
            if not same_connection(used, current):
                return None
            repo.record_test_result(
                session,
                provider_id,
                success=error is None,
                message=_message(report, job_id, error),
                error_code=error.code if error else None,
                latency_ms=None,
                source="job",
            )
    except SQLAlchemyError:
        log.exception("could not store the health of provider %s after job %s", provider_id, job_id)
        return None
    return verdict
