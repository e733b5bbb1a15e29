"""The value sets the database owns: a job's status, stage and kind, a provider's last test status.

Each is a ``StrEnum`` (members compare equal to their string values, which is what the rows
hold). The CHECK constraints in :mod:`binscribe.db.models`, the API schemas, the CLI and (through
the generated OpenAPI types) the UI derive from these classes; the Alembic revisions keep the
literal values they were written with.
"""

from __future__ import annotations

from enum import StrEnum


class JobStatus(StrEnum):
    """``jobs.status``: queued, running, then completed, failed or cancelled (final)."""

    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINAL_STATUSES = frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED})
"""Statuses after which a job no longer changes."""

ACTIVE_STATUSES = frozenset(JobStatus) - FINAL_STATUSES
"""Statuses of a job that has not finished (queued or running)."""


class JobStage(StrEnum):
    """``jobs.stage``, in pipeline order."""

    UPLOAD = "upload"
    ANALYZE = "analyze"
    EXPLAIN = "explain"
    STORE = "store"


class JobKind(StrEnum):
    """``jobs.kind``: a full ``analysis`` of an upload, or a small on-demand job on a finished
    analysis job (its ``parent_job_id``): ``decompile`` one more function, ``explain`` a
    selection, the rest or the failed items (see :mod:`binscribe.jobs.ondemand`)."""

    ANALYSIS = "analysis"
    DECOMPILE = "decompile"
    EXPLAIN = "explain"


class ProviderTestStatus(StrEnum):
    """``user_llm_providers.last_test_status``: how the last connection test ended."""

    SUCCESS = "success"
    FAILURE = "failure"
