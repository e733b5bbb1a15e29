"""Turn a stored upload into a queued job: check the file's format, the options and the
provider, then insert the job row. Shared by the API and the CLI; runners pick jobs up after."""

from __future__ import annotations

import re
import uuid

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session, sessionmaker

from binscribe.analysis.models import AnalysisDepth
from binscribe.analysis.triage import detect_format
from binscribe.crypto import CredentialCipher
from binscribe.db import jobs as job_repo
from binscribe.db import providers as provider_repo
from binscribe.db.models import Job, UserLLMProvider
from binscribe.errors import ConflictError
from binscribe.explain.report import TranslationDetail
from binscribe.jobs.blobs import StoredBlob
from binscribe.llm.types import ProviderType, provider_type_info

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")
MAX_BUDGET_TOKENS = 2_000_000_000
"""The largest token budget a job accepts (fits the database's 32-bit integer)."""
MAX_BUDGET_USD = 100_000.0
"""The largest USD budget a job accepts."""
BUDGET_FIELDS = ("budget_tokens", "budget_usd")


class JobOptions(BaseModel):
    """What a job does: ``analysis_depth`` (basic: no decompilation; standard: the most
    important functions; detailed: all), ``translation_detail`` (explanation length) and
    ``function_limit`` (at most this many functions decompiled and explained, the most
    important first; None: the depth's default, 50 at basic and standard, all non-library
    functions at detailed). ``budget_tokens`` / ``budget_usd``: stop explaining once the job's
    provider calls have used this many tokens (input + output) or this estimated cost in USD;
    functions cut short report ``coverage_reason: budget_exceeded`` and items left out the
    error code ``budget_exceeded`` (None: no limit; see :mod:`binscribe.explain.budget`)."""

    model_config = ConfigDict(extra="forbid")

    analysis_depth: AnalysisDepth = AnalysisDepth.STANDARD
    translation_detail: TranslationDetail = TranslationDetail.STANDARD
    function_limit: int | None = Field(default=None, ge=1, le=100_000)
    budget_tokens: int | None = Field(default=None, ge=1, le=MAX_BUDGET_TOKENS)
    budget_usd: float | None = Field(default=None, gt=0, le=MAX_BUDGET_USD, allow_inf_nan=False)


def display_name(file_name: str | None) -> str:
    """The client's file name reduced to metadata: last path component, no control
    characters, at most 255 characters; ``"upload"`` when nothing is left."""
    base = re.split(r"[\\/]", file_name or "")[-1]
    cleaned = _UNPRINTABLE.sub("", base).strip()
    return cleaned[:255] or "upload"


def usable_provider(
    session: Session, provider_id: uuid.UUID, cipher: CredentialCipher
) -> UserLLMProvider:
    """The provider a job may use.

    Raises:
        ProviderNotFound: 404 ``provider_not_found``.
        ConflictError: 409 ``provider_inactive``, or ``provider_key_unusable`` when the stored
            key cannot be decrypted with the configured keys (enter it again).
    """
    provider = provider_repo.get_provider(session, provider_id)
    if not provider.is_active:
        raise ConflictError(
            f"provider '{provider.name}' is inactive; activate it or choose another",
            code="provider_inactive",
            details={"provider_id": str(provider_id)},
        )
    if provider_repo.key_status(provider, cipher) != "ok":
        raise ConflictError(
            f"the API key of provider '{provider.name}' cannot be decrypted with the configured "
            "encryption keys; edit the provider and enter its key again",
            code="provider_key_unusable",
            details={"provider_id": str(provider_id)},
        )
    return provider


def submit_job(
    sessions: sessionmaker[Session],
    *,
    cipher: CredentialCipher,
    blob: StoredBlob,
    file_name: str | None,
    options: JobOptions,
    provider_id: uuid.UUID | None,
) -> Job:
    """Check the file and the provider, then insert and commit a queued job for ``blob``; the
    caller hands its id to a runner. The checks read in their own session and the insert is a
    transaction of its own (a write-first transaction never meets SQLite's "database is
    locked" for read-then-write upgrades).

    Raises:
        AnalysisError: ``empty_file`` (422), ``unsupported_format`` (415), ``corrupt_binary``
            (422) from the header triage.
        ProviderNotFound, ConflictError: see :func:`usable_provider`.
    """
    snapshot: dict[str, object] = {}
    if provider_id is not None:
        with sessions() as session:
            provider = usable_provider(session, provider_id, cipher)
            info = provider_type_info(ProviderType(provider.provider_type))
            snapshot = {
                "provider_id": provider.id,
                "provider_name": provider.name,
                "provider_type": provider.provider_type,
                "provider_model": provider.default_model or info.default_model,
            }
    triage = detect_format(blob.path)
    with sessions.begin() as session:
        return job_repo.create_job(
            session,
            file_sha256=blob.sha256,
            file_name=display_name(file_name),
            file_size=blob.size,
            file_format=triage.format,
            file_arch=triage.arch,
            analysis_depth=options.analysis_depth,
            translation_detail=options.translation_detail,
            function_limit=options.function_limit,
            budget_tokens=options.budget_tokens,
            budget_usd=options.budget_usd,
            **snapshot,
        )
