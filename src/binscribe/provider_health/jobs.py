"""What an analysis job's provider calls say about its provider.

- Every explained item failed, each with a provider error (an
  :data:`~binscribe.llm.errors.LLM_ERROR_CODES` code such as ``auth_failed``, ``unreachable``,
  ``model_not_found``) and no provider call answered: the provider is marked failing with the
  most common error's code and message (the job itself fails ``llm_unavailable``).
- At least one provider call answered (even if its item then failed, say ``invalid_output``):
  the provider works, and is marked healthy.
- Otherwise (no item, every item from the explanation cache, a cancelled run, failures that are
  not the provider's such as ``no_input`` or ``internal_error``): nothing is marked.

The verdict is stored only while the provider still has the connection the job used (type,
endpoint, model, key): a provider edited while the job ran keeps its fresh "untested".
"""

from __future__ import annotations

import logging
import uuid
from typing import Literal

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from binscribe.crypto import CredentialCipher
from binscribe.db import providers as repo
from binscribe.db.models import UserLLMProvider
from binscribe.errors import BinscribeError
from binscribe.explain.report import ExplanationReport
from binscribe.llm.config import ProviderConfig
from binscribe.llm.errors import LLM_ERROR_CODES
from binscribe.provider_access import provider_config
from binscribe.provider_health.changes import same_connection

log = logging.getLogger(__name__)

Verdict = Literal["healthy", "failing"]


def job_verdict(report: ExplanationReport) -> Verdict | None:
    """``"failing"``, ``"healthy"`` or None (nothing to say) for a finished explanation run,
    by the rules of this module."""
    if report.cancelled:
        return None
    if report.usage.requests > 0:
        return "healthy"
    items = [*report.functions, report.imports, report.strings, report.program]
    attempted = [item for item in items if item is not None and item.status != "cancelled"]
    if not attempted or not report.all_failed:
        return None
    codes = {item.error.code if item.error else None for item in attempted}
    return "failing" if codes <= LLM_ERROR_CODES else None


def _message(report: ExplanationReport, verdict: Verdict, job_id: uuid.UUID) -> str:
    job = f"analysis job {str(job_id)[:8]}"
    if verdict == "healthy":
        return f"{report.model} answered {report.usage.requests} call(s) of {job}."
    reason = report.error.message if report.error else "no provider call succeeded"
    return f"Every LLM call of {job} failed: {reason}"


def record_job_outcome(
    sessions: sessionmaker[Session],
    cipher: CredentialCipher,
    *,
    provider_id: uuid.UUID | None,
    used: ProviderConfig,
    report: ExplanationReport,
    job_id: uuid.UUID,
) -> Verdict | None:
    """Store what ``report`` (the job's explanation run with configuration ``used``) says about
    provider ``provider_id`` (``last_test_source = "job"``); returns the verdict stored, or None
    when nothing was stored. Never raises for a missing or changed provider; database errors
    are logged, not raised (a job's result matters more than its provider's health)."""
    verdict = job_verdict(report)
    if verdict is None or provider_id is None:
        return None
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
                success=verdict == "healthy",
                message=_message(report, verdict, job_id),
                error_code=report.error.code if verdict == "failing" and report.error else None,
                latency_ms=None,
                source="job",
            )
    except SQLAlchemyError:
        log.exception("could not store the health of provider %s after job %s", provider_id, job_id)
        return None
    return verdict
