"""The provider types binscribe supports and what each needs: the source of ``GET .../types``.

The UI renders its provider forms from this registry, and the API validates against it, so a new
provider type is added here (plus an adapter) and nowhere else.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class ProviderType(StrEnum):
    """The four provider types; the values are stored in ``user_llm_providers.provider_type``."""

    OPENAI = "openai"
    ANTHROPIC = "anthropic"
    GEMINI = "gemini"
    OLLAMA = "ollama"


class ProviderTypeInfo(BaseModel):
    """What one provider type needs: form fields, defaults and whether an API key is required.

    ``required_fields`` and ``optional_fields`` name fields of the provider create request
    (``name``, ``api_key``, ``endpoint_url``, ``default_model``).
    """

    model_config = ConfigDict(frozen=True)

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


PROVIDER_TYPES: dict[ProviderType, ProviderTypeInfo] = {
    ProviderType.OPENAI: ProviderTypeInfo(
        type=ProviderType.OPENAI,
        label="OpenAI",
        description="OpenAI's API, or any OpenAI-compatible server (llama.cpp, vLLM, LM Studio) "
        "through a custom base URL.",
        required_fields=["name", "api_key"],
        optional_fields=["endpoint_url", "default_model"],
        requires_api_key=True,
        default_endpoint="https://api.openai.com/v1",
        default_model="gpt-4.1-mini",
        api_key_help="Create a key at platform.openai.com/api-keys. For a local server without "
        "authentication, any placeholder works.",
        endpoint_help="Leave empty for OpenAI. For a compatible server give its base URL, "
        "for example http://127.0.0.1:8080/v1.",
    ),
    ProviderType.ANTHROPIC: ProviderTypeInfo(
        type=ProviderType.ANTHROPIC,
        label="Anthropic",
        description="Claude models through Anthropic's Messages API.",
        required_fields=["name", "api_key"],
        optional_fields=["endpoint_url", "default_model"],
        requires_api_key=True,
        default_endpoint="https://api.anthropic.com",
        default_model="claude-sonnet-5-5",
        api_key_help="Create a key at console.anthropic.com (it starts with sk-ant-).",
        endpoint_help="Leave empty unless you route through a proxy.",
    ),
    ProviderType.GEMINI: ProviderTypeInfo(
        type=ProviderType.GEMINI,
        label="Google Gemini",
        description="Gemini models through the Gemini Developer API.",
        required_fields=["name", "api_key"],
        optional_fields=["endpoint_url", "default_model"],
        requires_api_key=True,
        default_endpoint="https://generativelanguage.googleapis.com",
        default_model="gemini-3.5-flash",
        api_key_help="Create a key at aistudio.google.com/apikey.",
        endpoint_help="Leave empty unless you route through a proxy.",
    ),
    ProviderType.OLLAMA: ProviderTypeInfo(
        type=ProviderType.OLLAMA,
        label="Ollama",
        description="Models you run yourself with Ollama, on this machine or your network.",
        required_fields=["name", "endpoint_url"],
        optional_fields=["api_key", "default_model"],
        requires_api_key=False,
        default_endpoint="http://127.0.0.1:11434",
        default_model="qwen3:8b",
        api_key_help="Only needed when a proxy in front of Ollama asks for a bearer token.",
        endpoint_help="The Ollama server, for example http://127.0.0.1:11434.",
    ),
}


def provider_type_info(provider_type: str | ProviderType) -> ProviderTypeInfo:
    """Registry entry for ``provider_type``; raises ``KeyError`` for an unknown type."""
    return PROVIDER_TYPES[ProviderType(provider_type)]
