"""What a new or changed provider may contain: ``ProviderCreate`` and ``ProviderUpdate``.

The API takes them as request bodies (re-exported by :mod:`binscribe.api.schemas.providers`)
and the CLI builds them, so both accept exactly the same input. Booleans and option numbers are
strict (``true``/``false`` only, never ``0`` or ``"yes"``). The API key travels as ``SecretStr``,
so it never shows in a repr or an error.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StrictBool,
    StringConstraints,
)

from binscribe.llm.options import ProviderOptions
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
    config: ProviderOptions = Field(
        default_factory=ProviderOptions,
        description="Tuning options; GET /types gives each type's ranges and defaults.",
    )
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
