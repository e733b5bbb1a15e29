"""Provider schemas: ``ProviderCreate``, ``ProviderUpdate``, ``ProviderPublic`` and friends.

Booleans are strict (``true``/``false`` only, never ``0`` or ``"yes"``). The API key travels in
requests only (as ``SecretStr``, so it never shows in a repr or an error)
and never in a response: responses carry ``api_key_hint`` (at most the last 4 characters) and
``key_status``.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StrictBool,
    StringConstraints,
    model_validator,
)

from binscribe.db.enums import ProviderTestStatus
from binscribe.llm.config import MAX_PRICE_PER_MTOK, MAX_THINKING_BUDGET, MIN_CONTEXT_TOKENS
from binscribe.llm.openai_params import ReasoningEffort
from binscribe.llm.types import ProviderType

_Trimmed255 = StringConstraints(strip_whitespace=True, min_length=1, max_length=255)


def _printable(value: str) -> str:
    """NFC-normalized text without control or invisible format characters (NUL, U+202E...)."""
    value = unicodedata.normalize("NFC", value)
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise ValueError("must not contain control or invisible formatting characters")
    return value


def _api_key(value: SecretStr | None) -> SecretStr | None:
    """API keys travel in HTTP headers: printable ASCII without spaces inside."""
    if value is None:
        return None
    text = value.get_secret_value().strip()
    if any(not (0x21 <= ord(ch) <= 0x7E) for ch in text):
        raise ValueError("API keys contain only printable ASCII characters, without spaces")
    return SecretStr(text)


ProviderName = Annotated[str, _Trimmed255, AfterValidator(_printable)]
ModelName = Annotated[str, _Trimmed255, AfterValidator(_printable)]
EndpointText = Annotated[str, StringConstraints(max_length=2048), AfterValidator(_printable)]
ApiKey = Annotated[SecretStr, Field(max_length=4096), AfterValidator(_api_key)]


class ProviderOptions(BaseModel):
    """Per-provider tuning stored in ``config_json``."""

    model_config = ConfigDict(extra="forbid")

    max_concurrency: int | None = Field(
        default=None, ge=1, le=64, description="Concurrent requests during a job (default 4)."
    )
    timeout_s: int | None = Field(
        default=None, ge=1, le=3600, description="Seconds per request (default 120, Ollama 300)."
    )
    context_tokens: int | None = Field(
        default=None,
        ge=MIN_CONTEXT_TOKENS,
        le=10_000_000,
        description="The model's context window in tokens; prompts are split to fit it "
        "(default: 16,384 assumed). Either way a prompt the provider refuses as too long is "
        "split again for half the window.",
    )
    thinking_budget: int | None = Field(
        default=None,
        ge=0,
        le=MAX_THINKING_BUDGET,
        description="Thinking tokens one call may spend (Gemini, Anthropic; on Ollama any "
        "positive value turns thinking on). Empty: a small default; 0: off where the model "
        "allows it.",
    )
    input_usd_per_mtok: float | None = Field(
        default=None,
        ge=0,
        le=MAX_PRICE_PER_MTOK,
        description="Your price per million input tokens (USD), for models the price table "
        "does not list; set with output_usd_per_mtok.",
    )
    output_usd_per_mtok: float | None = Field(
        default=None,
        ge=0,
        le=MAX_PRICE_PER_MTOK,
        description="Your price per million output tokens (USD), thinking included; set with "
        "input_usd_per_mtok.",
    )
    reasoning_effort: ReasoningEffort | None = Field(
        default=None,
        description="OpenAI reasoning models (gpt-5, o-series): how much they think before "
        "answering (default low). Set, it is sent to any model of an openai provider; a model "
        "that refuses it fails with unsupported_parameter, as the connection test shows.",
    )

    @model_validator(mode="after")
    def _prices_together(self) -> ProviderOptions:
        if (self.input_usd_per_mtok is None) != (self.output_usd_per_mtok is None):
            raise ValueError("set input_usd_per_mtok and output_usd_per_mtok together")
        return self


class ProviderCreate(BaseModel):
    """A new provider. Which fields are required depends on ``provider_type`` (see ``/types``)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "OpenAI (work)",
                    "provider_type": "openai",
                    "api_key": "sk-...",
                    "default_model": "gpt-4.1-mini",
                },
                {
                    "name": "Local Ollama",
                    "provider_type": "ollama",
                    "endpoint_url": "http://127.0.0.1:11434",
                    "default_model": "qwen2.5-coder:7b",
                },
            ]
        },
    )

    name: ProviderName
    provider_type: ProviderType
    api_key: ApiKey | None = None
    endpoint_url: EndpointText | None = None
    default_model: ModelName | None = None
    config: ProviderOptions = Field(default_factory=ProviderOptions)
    is_active: StrictBool = True


class ProviderUpdate(BaseModel):
    """A partial update: omitted fields keep their value; an omitted or empty ``api_key`` keeps
    the stored key; ``endpoint_url`` or ``default_model`` set to null clears them."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "OpenAI (personal)", "default_model": "gpt-4.1"}]},
    )

    name: ProviderName | None = None
    provider_type: ProviderType | None = None
    api_key: ApiKey | None = None
    endpoint_url: EndpointText | None = None
    default_model: ModelName | None = None
    config: ProviderOptions | None = None
    is_active: StrictBool | None = None


class ProviderTestInfo(BaseModel):
    """The last connection test stored on a provider."""

    status: ProviderTestStatus
    error_code: str | None
    message: str | None
    latency_ms: int | None
    tested_at: datetime


class ProviderPublic(BaseModel):
    """A provider as the API shows it: never the key, only its hint and whether it is usable."""

    id: UUID
    name: str
    provider_type: ProviderType
    endpoint_url: str | None
    default_model: str | None
    effective_model: str = Field(description="default_model, or the type's default model.")
    config: ProviderOptions
    is_active: bool
    has_api_key: bool
    api_key_hint: str | None = Field(description="At most the last 4 characters of the key.")
    key_status: Literal["ok", "needs_reentry"]
    last_test: ProviderTestInfo | None
    created_at: datetime
    updated_at: datetime
    notices: list[str] = Field(
        default_factory=list,
        description="What the server changed in the submitted values (for example a normalized "
        "endpoint URL); only on create and update responses.",
    )


class ProvidersPublic(BaseModel):
    """A list of providers."""

    data: list[ProviderPublic]
    count: int


class ProviderTypePublic(BaseModel):
    """One provider type and the form it needs."""

    type: ProviderType
    label: str
    description: str
    required_fields: list[str]
    optional_fields: list[str]
    requires_api_key: bool
    default_endpoint: str
    default_model: str
    api_key_help: str
    endpoint_help: str


class ProviderTypesPublic(BaseModel):
    """Every provider type."""

    data: list[ProviderTypePublic]
    count: int


class ProviderTestResult(BaseModel):
    """The outcome of a connection test."""

    success: bool
    message: str
    error_code: str | None
    latency_ms: int | None
    models: list[str]
