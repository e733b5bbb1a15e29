"""Process-wide settings, read once from the environment (prefix ``BINSCRIBE_``) and ``.env``.

``LLM_PROVIDER_ENCRYPTION_KEY`` is read without the prefix, as the design names it. Use
:func:`get_settings` (cached) everywhere; tests build ``Settings(...)`` directly.
"""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_API_TOKEN_LENGTH = 16
"""Shortest ``BINSCRIBE_API_TOKEN`` accepted: it alone guards every ``/api`` request."""


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/binscribe``, else ``~/.local/share/binscribe``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "binscribe"


class Settings(BaseSettings):
    """All runtime configuration. Every field maps to ``BINSCRIBE_<FIELD>`` unless noted."""

    model_config = SettingsConfigDict(
        env_prefix="BINSCRIBE_", env_file=".env", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default sqlite:///<data_dir>/binscribe.db. "
        "PostgreSQL as postgresql+psycopg://user@host/db.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    max_upload_mb: int = Field(default=100, ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    api_token: SecretStr | None = Field(
        default=None,
        description=f"Bearer token every /api request needs; at least {MIN_API_TOKEN_LENGTH} "
        "characters.",
    )
    encryption_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("LLM_PROVIDER_ENCRYPTION_KEY", "encryption_key"),
        description="One Fernet key, or a comma-separated list: the first encrypts, all decrypt.",
    )
    sqlite_busy_timeout_s: float | None = Field(
        default=None,
        gt=0,
        description="SQLite: how long a write waits for other writes before the request "
        "answers 503 database_busy (s); unset: binscribe.db.engine.SQLITE_BUSY_TIMEOUT_S.",
    )
    allowed_hosts: list[str] | None = Field(
        default=None,
        description="Host header values accepted while no API token is set (DNS-rebinding "
        "guard). Default: localhost, 127.0.0.1 and ::1 when bound to loopback, else any.",
    )
    allow_private_endpoints: bool = True
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Extra browser origins (scheme://host[:port]) allowed to send POST, PUT, "
        "PATCH and DELETE requests besides the UI's own (JSON list).",
    )
    session_hours: float = Field(
        default=12.0, gt=0, description="How long a UI sign-in lasts before it must be renewed."
    )
    login_max_failures: int = Field(
        default=5,
        ge=1,
        description="Failed sign-ins allowed per account within login_window_minutes; further "
        "attempts answer 429 until the window passes.",
    )
    login_max_failures_per_client: int = Field(
        default=20,
        ge=1,
        description="Failed sign-ins allowed per client address within login_window_minutes.",
    )
    login_window_minutes: float = Field(
        default=15.0, gt=0, description="The window the sign-in rate limits count failures in."
    )
    analysis_workers: int | None = Field(default=None, ge=1)
    analysis_cfg_budget_s: float = Field(
        default=60.0,
        gt=0,
        description="Seconds CFG recovery may scan at basic depth, scaled up when decompiling "
        "(AnalysisOptions.cfg_budget); when spent, the analysis goes on with the functions "
        "found so far and says what was cut.",
    )
    workers: int | None = Field(
        default=None,
        ge=1,
        description="Jobs the local runner (or a Celery worker) runs at once; unset: the "
        "job_workers default.",
    )
    queue: Literal["local", "celery"] = "local"
    broker_url: str | None = None
    celery_queue: str = Field(default="binscribe", description="Celery queue of job tasks.")
    celery_visibility_timeout_s: int = Field(
        default=3600,
        ge=1,
        description="Seconds before Redis redelivers a job whose worker died without acking.",
    )
    celery_lost_after_s: float = Field(
        default=120.0,
        gt=0,
        description="Celery: a running job whose heartbeat is older than this (s) has lost its "
        "worker and is re-queued once, then failed worker_lost; a job queued longer than this "
        "with no message in Redis is sent again. At least twice the job heartbeat interval.",
    )
    job_poll_s: float = Field(
        default=0.5, gt=0, description="How often a running job checks for cancellation (s)."
    )
    partial_results_s: float = Field(
        default=1.0,
        ge=0,
        description="While a job explains, the explanations finished so far are stored as its "
        "result at most this often (s; longer for large results); 0 stores none until the end.",
    )
    upload_retention_days: int = Field(
        default=7, ge=0, description="Uploaded binaries of finished jobs are deleted after this."
    )
    provider_health_max_age_s: int = Field(
        default=3600,
        ge=0,
        description="Provider health older than this (s) is re-checked with a cheap probe "
        "(model list, no completion) when the Analyze page shows its provider selector, at "
        "most once per provider per this interval; 0 turns the re-check off.",
    )
    ui_dir: Path | None = Field(
        default=None, description="The built web UI; default: the repository's frontend/dist."
    )
    mcp_allowed_dirs: list[Path] = Field(
        default_factory=list,
        description="Directories whose files the MCP tool analyze_binary may read (JSON list); "
        "empty: none.",
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("api_token", "encryption_key", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("api_token")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().strip()) < MIN_API_TOKEN_LENGTH:
            raise ValueError(
                f"must be at least {MIN_API_TOKEN_LENGTH} characters; make one with "
                "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`"
            )
        return value

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL in use: ``database_url`` or the SQLite file in ``data_dir``."""
        return self.database_url or f"sqlite:///{self.data_dir / 'binscribe.db'}"

    @property
    def host_is_loopback(self) -> bool:
        """True when ``host`` only accepts connections from this machine."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    @property
    def effective_allowed_hosts(self) -> list[str]:
        """``allowed_hosts``, or its default for the bind address (``["*"]`` means any)."""
        if self.allowed_hosts is not None:
            return self.allowed_hosts
        return ["localhost", "127.0.0.1", "::1"] if self.host_is_loopback else ["*"]

    @property
    def job_workers(self) -> int:
        """Jobs run at once: ``workers``, else the CPU count clamped to 2-4. At least 2 so one
        long analysis never holds the only worker while small jobs wait (each analysis runs in
        its own process; two share a single core), at most 4 because each may use up to its
        memory limit (4 GiB by default)."""
        if self.workers is not None:
            return self.workers
        return min(max(os.cpu_count() or 1, 2), 4)

    @property
    def max_upload_bytes(self) -> int:
        """Upload limit in bytes."""
        return self.max_upload_mb * 1024 * 1024


def settings_error(exc: ValidationError) -> str:
    """One line naming the environment variable of the first invalid setting and what is wrong
    (never the value: it may be a secret)."""
    first = exc.errors(include_input=False)[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    variable = (
        "LLM_PROVIDER_ENCRYPTION_KEY" if field == "encryption_key" else f"BINSCRIBE_{field.upper()}"
    )
    return f"{variable}: {first['msg'].removeprefix('Value error, ')}"


@lru_cache
def get_settings() -> Settings:
    """The process's settings, built once from the environment."""
    return Settings()
