"""A provider's tuning options, written once: ``config`` (API) and ``config_json`` (database).

:class:`ProviderOptions` holds every option's range; :data:`TYPE_DEFAULTS` and
:data:`OPTION_TYPES` say what an unset option means and which types use it. The API schemas
validate requests with the model, :meth:`~binscribe.llm.config.ProviderConfig.from_stored` reads
stored rows with it (:func:`parse_options`), and ``GET /user-llm-providers/types`` hands each
type's ranges and defaults to the UI (:func:`option_specs`), so no range is copied anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Literal, get_args

from annotated_types import Ge, Le
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from binscribe.errors import ValidationFailed, field_errors
from binscribe.llm.openai_params import ReasoningEffort
from binscribe.llm.types import ProviderType

DEFAULT_TIMEOUT_S = 120
# Ollama loads a model into memory on its first request, which can take minutes.
OLLAMA_TIMEOUT_S = 300
DEFAULT_MAX_CONCURRENCY = 4
MIN_CONTEXT_TOKENS = 2048
DEFAULT_CONTEXT_TOKENS = 16_384
MAX_THINKING_BUDGET = 128_000
MAX_PRICE_PER_MTOK = 10_000.0


class ProviderOptions(BaseModel):
    """Per-provider tuning stored in ``config_json``; None (or absent) means the type's default.

    Numbers are strict: a string or a boolean where a number belongs is refused. Raises
    pydantic's ``ValidationError`` with one error per bad option (``loc`` is the option name).
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    max_concurrency: int | None = Field(
        default=None, ge=1, le=64, description="Concurrent requests during a job."
    )
    timeout_s: int | None = Field(
        default=None, ge=1, le=3600, description="Whole seconds to wait for each answer."
    )
    context_tokens: int | None = Field(
        default=None,
        ge=MIN_CONTEXT_TOKENS,
        le=10_000_000,
        description="The model's context window in tokens; prompts are split to fit it "
        f"(default: {DEFAULT_CONTEXT_TOKENS:,} assumed). Either way a prompt the provider "
        "refuses as too long is split again for half the window.",
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
        strict=False,
        description="OpenAI reasoning models (gpt-5, o-series): how much they think before "
        "answering (default low). Set, it is sent to any model of an openai provider; a model "
        "that refuses it fails with unsupported_parameter, as the connection test shows.",
    )

    @model_validator(mode="after")
    def _prices_together(self) -> ProviderOptions:
        if (self.input_usd_per_mtok is None) == (self.output_usd_per_mtok is None):
            return self
        missing = "input_usd_per_mtok" if self.input_usd_per_mtok is None else "output_usd_per_mtok"
        error = PydanticCustomError(
            "prices_together", "set input_usd_per_mtok and output_usd_per_mtok together"
        )
        raise ValidationError.from_exception_data(
            "ProviderOptions", [InitErrorDetails(type=error, loc=(missing,), input=None)]
        )


OptionName = str
"""A field name of :class:`ProviderOptions`."""

_EVERY_TYPE = frozenset(ProviderType)

OPTION_TYPES: dict[OptionName, frozenset[ProviderType]] = {
    "max_concurrency": _EVERY_TYPE,
    "timeout_s": _EVERY_TYPE,
    "context_tokens": _EVERY_TYPE,
    "thinking_budget": frozenset(
        {ProviderType.ANTHROPIC, ProviderType.GEMINI, ProviderType.OLLAMA}
    ),
    "input_usd_per_mtok": _EVERY_TYPE,
    "output_usd_per_mtok": _EVERY_TYPE,
    "reasoning_effort": frozenset({ProviderType.OPENAI}),
}
"""The provider types each option applies to (the UI shows an option only for these)."""

TYPE_DEFAULTS: dict[ProviderType, dict[OptionName, int | float | str]] = {
    ptype: {
        "max_concurrency": DEFAULT_MAX_CONCURRENCY,
        "timeout_s": OLLAMA_TIMEOUT_S if ptype is ProviderType.OLLAMA else DEFAULT_TIMEOUT_S,
        "context_tokens": DEFAULT_CONTEXT_TOKENS,
    }
    for ptype in ProviderType
}
"""What an unset option means, per type; options not listed have no single default (the
adapter picks one per model, or the price table is used)."""


class OptionSpec(BaseModel):
    """One option as a form needs it: kind, inclusive range or choices, default for the type."""

    key: OptionName = Field(description="The option's name in ``config``.")
    kind: Literal["integer", "number", "choice"] = Field(
        description="integer: whole numbers; number: decimals allowed; choice: one of choices."
    )
    minimum: int | float | None = Field(default=None, description="Inclusive lower bound.")
    maximum: int | float | None = Field(default=None, description="Inclusive upper bound.")
    choices: list[str] = Field(default_factory=list)
    default: int | float | str | None = Field(
        description="What an empty option means for this type; null: no single default."
    )
    description: str


def _enum(annotation: Any) -> type[StrEnum]:
    return next(a for a in get_args(annotation) if isinstance(a, type) and issubclass(a, StrEnum))


def _kind(annotation: Any) -> Literal["integer", "number", "choice"]:
    """``int | None`` -> integer, ``float | None`` -> number, ``SomeStrEnum | None`` -> choice."""
    args = get_args(annotation)
    if int in args:
        return "integer"
    return "number" if float in args else "choice"


def option_specs(provider_type: ProviderType) -> list[OptionSpec]:
    """The options ``provider_type`` uses, in :class:`ProviderOptions` field order."""
    specs = []
    for key, info in ProviderOptions.model_fields.items():
        if provider_type not in OPTION_TYPES.get(key, _EVERY_TYPE):
            continue
        bounds = {type(m): m for m in info.metadata}
        ge, le = bounds.get(Ge), bounds.get(Le)
        kind = _kind(info.annotation)
        specs.append(
            OptionSpec(
                key=key,
                kind=kind,
                minimum=None if ge is None else ge.ge,
                maximum=None if le is None else le.le,
                choices=[str(e.value) for e in _enum(info.annotation)] if kind == "choice" else [],
                default=TYPE_DEFAULTS[provider_type].get(key),
                description=info.description or "",
            )
        )
    return specs


def parse_options(config_json: Mapping[str, Any] | None) -> tuple[ProviderOptions, dict[str, Any]]:
    """Split a stored ``config_json`` into validated options and the other keys (kept as they
    are, for older or adapter-specific settings).

    Raises:
        ValidationFailed: code ``invalid_provider_config`` (HTTP 422) naming every bad option
            in ``details.fields`` (``config.<option>``).
    """
    raw = dict(config_json or {})
    known = {k: raw.pop(k) for k in list(raw) if k in ProviderOptions.model_fields}
    try:
        return ProviderOptions.model_validate(known), raw
    except ValidationError as exc:
        errors = [
            (f"config.{'.'.join(str(p) for p in e['loc'])}", e["msg"], e["type"])
            for e in exc.errors()
        ]
        first = errors[0]
        raise ValidationFailed(
            f"Stored provider option {first[0]} is invalid: {first[1]}.",
            code="invalid_provider_config",
            details=field_errors(*errors),
        ) from None


def readable_options(config_json: Mapping[str, Any] | None) -> ProviderOptions:
    """The stored options fit to show: valid ones as stored, invalid ones left out (a job or a
    connection test with them fails with ``invalid_provider_config``), unknown keys dropped."""
    known = {k: v for k, v in (config_json or {}).items() if k in ProviderOptions.model_fields}
    while True:
        try:
            return ProviderOptions.model_validate(known)
        except ValidationError as exc:
            bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            if not bad:
                return ProviderOptions()
            known = {k: v for k, v in known.items() if k not in bad}
