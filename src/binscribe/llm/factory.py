"""Build the adapter for a provider configuration; each SDK is imported only by its adapter."""

from __future__ import annotations

from binscribe.llm.base import LLMAdapter
from binscribe.llm.config import ProviderConfig
from binscribe.llm.netguard import EndpointGuard
from binscribe.llm.retry import DEFAULT_RETRY_POLICY, RetryPolicy
from binscribe.llm.types import ProviderType


def build_adapter(
    config: ProviderConfig,
    *,
    allow_private_endpoints: bool | None = None,
    retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
) -> LLMAdapter:
    """The adapter for ``config.provider_type``, guarded against SSRF.

    ``allow_private_endpoints`` None reads ``Settings.allow_private_endpoints``. Building makes
    no network call; the caller closes the adapter with ``await adapter.aclose()``.
    """
    if allow_private_endpoints is None:
        from binscribe.settings import get_settings

        allow_private_endpoints = get_settings().allow_private_endpoints
    guard = EndpointGuard(allow_private=allow_private_endpoints)
    match config.provider_type:
        case ProviderType.OPENAI:
            from binscribe.llm.openai_adapter import OpenAIAdapter

            return OpenAIAdapter(config, guard=guard, retry_policy=retry_policy)
        case ProviderType.ANTHROPIC:
            from binscribe.llm.anthropic_adapter import AnthropicAdapter

            return AnthropicAdapter(config, guard=guard, retry_policy=retry_policy)
        case ProviderType.GEMINI:
            from binscribe.llm.gemini_adapter import GeminiAdapter

            return GeminiAdapter(config, guard=guard, retry_policy=retry_policy)
        case ProviderType.OLLAMA:
            from binscribe.llm.ollama_adapter import OllamaAdapter

            return OllamaAdapter(config, guard=guard, retry_policy=retry_policy)
