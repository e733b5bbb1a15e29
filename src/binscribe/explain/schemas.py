"""What the model must answer: the JSON output schemas of the prompts, validated with Pydantic.

Each model's ``model_json_schema()`` is sent to the provider (structured output / JSON mode)
and the reply is validated against the same model. Unknown keys in a reply are ignored (weak
models add them); common near-misses are normalized before validation: a category spelled
``"File I/O"`` becomes ``file_io``, a confidence given in percent (``85``) becomes ``0.85``.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Category = Literal[
    "initialization",
    "parsing",
    "file_io",
    "network",
    "crypto",
    "authentication",
    "process",
    "memory",
    "error_handling",
    "utility",
    "unknown",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]

EvidenceKind = Literal["address", "string", "import", "callee"]

CapabilityKind = Literal[
    "file",
    "network",
    "process",
    "crypto",
    "registry",
    "memory",
    "threading",
    "system_info",
    "time",
    "ui",
    "console",
    "dynamic_loading",
    "error_handling",
    "other",
]
CAPABILITY_KINDS: tuple[str, ...] = CapabilityKind.__args__  # type: ignore[attr-defined]

StringKind = Literal[
    "url",
    "ip_address",
    "path",
    "registry_key",
    "format_string",
    "credential",
    "command",
    "message",
    "other",
]
STRING_KINDS: tuple[str, ...] = StringKind.__args__  # type: ignore[attr-defined]


def _slug(value: object) -> object:
    """``"File I/O"`` -> ``"file_io"``: lower case, runs of non-alphanumerics as one ``_``."""
    if not isinstance(value, str):
        return value
    return re.sub(r"[^a-z0-9]+", "_", value.strip().lower().replace("i/o", "io")).strip("_")


def _closed(value: object, allowed: tuple[str, ...], fallback: str) -> object:
    slug = _slug(value)
    if isinstance(slug, str) and slug not in allowed:
        return fallback
    return slug


def _unit_interval(value: object) -> object:
    """A percentage (1 < x <= 100) as a fraction; anything else unchanged."""
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value <= 100:
        return value / 100
    return value


class _Output(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Evidence(_Output):
    """One fact a claim rests on: an ``address`` (hex, e.g. ``"0x401126"``), a ``string``
    literal, an ``import`` name or a ``callee`` name, as it appears in the analysis."""

    kind: EvidenceKind
    value: str = Field(min_length=1)
    supports: str = Field(default="", description="the claim this evidence supports")

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        return _slug(value)


class Parameter(_Output):
    """One parameter of a function, as inferred from the code."""

    name: str
    type: str = ""
    description: str = ""


class FunctionExplanation(_Output):
    """The explanation of one function (prompt ``function``)."""

    summary: str = Field(min_length=1, description="one or two sentences")
    explanation: str = Field(min_length=1)
    category: Category
    parameters: list[Parameter] = Field(default_factory=list)
    return_value: str = ""
    side_effects: list[str] = Field(default_factory=list)
    security_notes: list[str] = Field(default_factory=list)
    suggested_name: str = ""
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = Field(
        ge=0,
        le=1,
        description="the model's own rating of how sure it is, 0-1 (self-assessed, not measured)",
    )

    @field_validator("category", mode="before")
    @classmethod
    def _category(cls, value: object) -> object:
        return _closed(value, CATEGORIES, "unknown")

    @field_validator("confidence", mode="before")
    @classmethod
    def _confidence(cls, value: object) -> object:
        return _unit_interval(value)


class PartialSummary(_Output):
    """The summary of one part of something too large for one prompt (a function's lines, a
    slice of the program's function summaries); merged by a later prompt."""

    summary: str = Field(min_length=1)
    key_points: list[str] = Field(default_factory=list)


class Capability(_Output):
    """A group of imports that together give the program one capability."""

    kind: CapabilityKind
    imports: list[str] = Field(min_length=1)
    purpose: str = Field(min_length=1, description="what the program likely does with them")

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        return _closed(value, CAPABILITY_KINDS, "other")


class ImportCapabilities(_Output):
    """Imports grouped into capabilities (prompt ``imports``)."""

    capabilities: list[Capability] = Field(default_factory=list)
    summary: str = ""


class NotableString(_Output):
    """A string worth a reader's attention, with what it probably means."""

    value: str = Field(min_length=1)
    kind: StringKind
    interpretation: str = Field(min_length=1)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        return _closed(value, STRING_KINDS, "other")


class NotableStrings(_Output):
    """The notable strings of the binary (prompt ``strings``)."""

    strings: list[NotableString] = Field(default_factory=list)


class ProgramSummary(_Output):
    """What the whole program does (prompt ``program``), built from the function and import
    summaries."""

    purpose: str = Field(min_length=1)
    key_behaviours: list[str] = Field(default_factory=list)
    capabilities: list[str] = Field(default_factory=list)
    security_considerations: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = Field(
        ge=0,
        le=1,
        description="the model's own rating of how sure it is, 0-1 (self-assessed, not measured)",
    )

    @field_validator("confidence", mode="before")
    @classmethod
    def _confidence(cls, value: object) -> object:
        return _unit_interval(value)


def json_schema_of(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema sent to the provider for ``model`` (Pydantic's, in validation mode)."""
    return model.model_json_schema()
