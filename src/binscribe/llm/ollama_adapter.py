"""Ollama's native API (``/api/chat``, ``/api/tags``, ``/api/version``) through
``ollama.AsyncClient``.

Ollama silently drops the start of a prompt longer than the model's ``num_ctx`` (2048-4096 by
default), so every chat sets ``options.num_ctx`` from the prompt size: about one token per three
characters plus ``max_tokens``, rounded up to a power of two, at least 4096. JSON output passes
the schema as ``format``. A configured key is sent as a bearer token (for proxies in front).

Thinking models (``/api/show`` lists the ``thinking`` capability, asked once per adapter) get
``think`` set explicitly (:func:`~binscribe.llm.thinking.ollama_think`): the reasoning then comes
in ``message.thinking``, apart from the answer, and ``num_predict`` gets room for it since it
counts there. ``done_reason`` length marks the reply truncated. Ollama reports no separate
thinking token count (``eval_count`` covers both), so the reasoning tokens are ``eval_count``
split by the characters of thinking and answer: an estimate (local models cost nothing).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from binscribe.llm.adapter import BaseAdapter, Reply
from binscribe.llm.base import ChatMessage
from binscribe.llm.config import ProviderConfig
from binscribe.llm.errors import (
    LLMError,
    LLMErrorCode,
    connection_error,
    parse_retry_after,
    status_error,
    timeout_error,
)
from binscribe.llm.netguard import EndpointGuard, guarded_transport
from binscribe.llm.retry import DEFAULT_RETRY_POLICY, RetryPolicy
from binscribe.llm.thinking import ollama_think

MIN_NUM_CTX = 4096


def context_size(messages: list[ChatMessage], max_tokens: int) -> int:
    """``num_ctx`` for a chat: ceil(chars / 3) + ``max_tokens`` rounded up to a power of two,
    at least :data:`MIN_NUM_CTX` tokens."""
    chars = sum(len(m.content) for m in messages)
    needed = -(-chars // 3) + max_tokens
    size = MIN_NUM_CTX
    while size < needed:
        size *= 2
    return size


class OllamaAdapter(BaseAdapter):
    """Adapter for ``provider_type`` ollama; ``endpoint_url`` is the server root."""

    label = "Ollama"

    def __init__(
        self,
        config: ProviderConfig,
        *,
        guard: EndpointGuard,
        retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    ) -> None:
        super().__init__(config, guard=guard, retry_policy=retry_policy)
        self._version = ""
        self._capabilities: list[str] | None = None
        self._capabilities_lock = asyncio.Lock()

    def _make_client(self) -> Any:
        import httpx
        import ollama

        key = self.config.api_key
        client = ollama.AsyncClient(
            host=self.config.base_url,
            timeout=self.config.timeout,
            headers={"Authorization": f"Bearer {key}"} if key else None,
            transport=guarded_transport(httpx, self.guard),
        )
        if not key:
            # The SDK adds OLLAMA_API_KEY from the environment; a user's server must not get it.
            client._client.headers.pop("authorization", None)
        return client

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client._client.aclose()

    async def _complete_once(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        json_schema: dict[str, Any] | None,
    ) -> Reply:
        think: bool | str | None = None
        room = 0
        if "thinking" in await self._model_capabilities():
            think, room = ollama_think(self.model, self.config.thinking_budget)
        budget = max_tokens + room
        response = await self._client.chat(
            model=self.model,
            messages=[{"role": m.role, "content": m.content} for m in messages],
            stream=False,
            format=json_schema,
            think=think,
            options={
                "num_ctx": context_size(messages, budget),
                "num_predict": budget,
                "temperature": temperature,
            },
        )
        if response.message is None:
            raise LLMError("Ollama answered without a message.", code=LLMErrorCode.BAD_RESPONSE)
        text, thinking = response.message.content or "", response.message.thinking or ""
        reasoning = None
        if thinking and response.eval_count is not None:
            reasoning = round(response.eval_count * len(thinking) / (len(thinking) + len(text)))
        return Reply(
            text=text,
            input_tokens=response.prompt_eval_count,
            output_tokens=response.eval_count,
            model=response.model or self.model,
            reasoning_tokens=reasoning,
            truncated=response.done_reason == "length",
        )

    async def _model_capabilities(self) -> list[str]:
        """The model's capabilities from ``/api/show``, asked once (empty on old servers)."""
        async with self._capabilities_lock:
            if self._capabilities is None:
                shown = await self._client.show(self.model)
                self._capabilities = [str(c) for c in shown.capabilities or []]
        return self._capabilities

    async def _list_models_once(self) -> list[str]:
        listing = await self._client.list()
        return [str(model.model) for model in listing.models if model.model]

    async def _probe_details(self) -> str:
        version = await self._client._request_raw("GET", "/api/version")
        return f" (version {version.json().get('version', 'unknown')})"

    def _model_available(self, models: list[str]) -> bool:
        name = self.model if ":" in self.model else f"{self.model}:latest"
        return name in models or self.model in models

    def _map_error(self, exc: Exception) -> LLMError | None:
        import httpx
        import ollama
        import pydantic

        if isinstance(exc, httpx.TimeoutException):
            return timeout_error(provider=self.label, timeout_s=self.config.timeout)
        if isinstance(exc, ConnectionError | httpx.TransportError):
            return connection_error(exc, provider=self.label, endpoint=self.config.base_url)
        if isinstance(exc, ollama.ResponseError):
            message = str(exc.error or "")
            lowered = message.lower()
            kind = None
            if exc.status_code == 404 or ("model" in lowered and "not found" in lowered):
                kind = LLMErrorCode.MODEL_NOT_FOUND
            elif "context" in lowered and ("exceed" in lowered or "length" in lowered):
                kind = LLMErrorCode.CONTEXT_TOO_LONG
            # The SDK raises ResponseError "from None"; the httpx error (with headers) is context.
            context = exc.__context__
            response = context.response if isinstance(context, httpx.HTTPStatusError) else None
            return status_error(
                provider=self.label,
                status=exc.status_code,
                provider_message=message,
                api_key=self.config.api_key,
                model=self.model,
                kind=kind,
                retry_after=parse_retry_after(response.headers.get("retry-after"))
                if response is not None
                else None,
            )
        if isinstance(exc, json.JSONDecodeError | pydantic.ValidationError):
            return LLMError(
                "Ollama sent a reply that is not valid JSON.", code=LLMErrorCode.BAD_RESPONSE
            )
        return None
