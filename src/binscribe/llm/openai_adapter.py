"""OpenAI and OpenAI-compatible servers (llama.cpp, vLLM, LM Studio) through ``AsyncOpenAI``.

JSON output uses ``response_format`` of type ``json_schema``. A server that refuses it (many
compatible servers do) is asked again with ``json_object`` (plus the schema, which llama.cpp
enforces), then with no ``response_format`` at all; both fallbacks put the schema in the system
prompt, and the adapter remembers which modes the server refused.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from binscribe.llm.adapter import BaseAdapter
from binscribe.llm.base import ChatMessage
from binscribe.llm.config import ProviderConfig
from binscribe.llm.errors import (
    LLMError,
    connection_error,
    parse_retry_after,
    status_error,
    timeout_error,
)
from binscribe.llm.netguard import EndpointGuard, guarded_transport
from binscribe.llm.retry import DEFAULT_RETRY_POLICY, RetryPolicy
from binscribe.llm.types import PROVIDER_TYPES, ProviderType

logger = logging.getLogger(__name__)

# Sent when a local server needs no key: the SDK must not fall back to OPENAI_API_KEY.
NO_KEY_PLACEHOLDER = "no-key"


def schema_instruction(json_schema: dict[str, Any]) -> str:
    """System-prompt text asking for JSON matching ``json_schema`` (for servers without
    structured output)."""
    return (
        "Reply with one JSON object only, no prose and no code fences, matching this JSON "
        f"schema:\n{json.dumps(json_schema, separators=(',', ':'))}"
    )


class OpenAIAdapter(BaseAdapter):
    """Adapter for ``provider_type`` openai; ``endpoint_url`` is the SDK's ``base_url``."""

    def __init__(
        self,
        config: ProviderConfig,
        *,
        guard: EndpointGuard,
        retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    ) -> None:
        super().__init__(config, guard=guard, retry_policy=retry_policy)
        import httpx2
        import openai

        default = PROVIDER_TYPES[ProviderType.OPENAI].default_endpoint
        self.label = "OpenAI" if config.base_url == default else "the OpenAI-compatible server"
        # JSON output modes still to try, best first; a mode the server refuses is dropped.
        self._json_modes = ["json_schema", "json_object", "plain"]
        self._client = openai.AsyncOpenAI(
            api_key=config.api_key or NO_KEY_PLACEHOLDER,
            base_url=config.base_url,
            timeout=config.timeout,
            max_retries=0,
            http_client=httpx2.AsyncClient(
                transport=guarded_transport(httpx2, guard), follow_redirects=True
            ),
        )

    async def aclose(self) -> None:
        """Close the SDK client."""
        await self._client.close()

    async def _create(self, messages: list[Any], **kwargs: Any) -> Any:
        return await self._client.chat.completions.create(
            model=self.model,
            messages=messages,
            **kwargs,
        )

    async def _complete_once(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        json_schema: dict[str, Any] | None,
    ) -> tuple[str, int | None, int | None, str]:
        import openai

        wire: list[Any] = [{"role": m.role, "content": m.content} for m in messages]
        kwargs: dict[str, Any] = {"max_tokens": max_tokens, "temperature": temperature}
        response: Any = None
        if json_schema is not None:
            instructed = [{"role": "system", "content": schema_instruction(json_schema)}, *wire]
        while json_schema is not None and response is None:
            mode = self._json_modes[0]
            if mode == "plain":
                response = await self._create(instructed, **kwargs)
                break
            response_format = (
                {"type": "json_schema", "json_schema": {"name": "response", "schema": json_schema}}
                if mode == "json_schema"
                # llama.cpp reads "schema" here and constrains output to it; others ignore it.
                else {"type": "json_object", "schema": json_schema}
            )
            try:
                response = await self._create(
                    wire if mode == "json_schema" else instructed,
                    response_format=response_format,
                    **kwargs,
                )
            except openai.APIStatusError as exc:
                # Compatible servers refuse unknown formats with 400, 422 or even 500.
                if "response_format" not in str(exc) and "json_schema" not in str(exc):
                    raise
                logger.info("%s refused response_format %s; trying the next", self.label, mode)
                self._json_modes.pop(0)
        if response is None:
            response = await self._create(wire, **kwargs)
        if not getattr(response, "choices", None):
            raise LLMError(f"{self.label} answered without any choices.", code="bad_response")
        text = response.choices[0].message.content or ""
        usage = response.usage
        return (
            text,
            usage.prompt_tokens if usage else None,
            usage.completion_tokens if usage else None,
            response.model or self.model,
        )

    async def _list_models_once(self) -> list[str]:
        page = await self._client.models.list()
        return [model.id for model in page.data]

    def _map_error(self, exc: Exception) -> LLMError | None:
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return timeout_error(provider=self.label, timeout_s=self.config.timeout)
        if isinstance(exc, openai.APIConnectionError):
            return connection_error(exc, provider=self.label, endpoint=self.config.base_url)
        if isinstance(exc, openai.APIStatusError):
            body = exc.body if isinstance(exc.body, dict) else {}
            error = body.get("error", body) if isinstance(body.get("error", body), dict) else {}
            code = str(error.get("code") or error.get("type") or "")
            message = str(error.get("message") or exc.message or "")
            lowered = message.lower()
            kind = None
            if exc.status_code == 429 and "insufficient_quota" in (code, error.get("type")):
                kind = "quota_exceeded"
            elif code in ("context_length_exceeded", "exceed_context_size_error") or (
                "context" in lowered and ("length" in lowered or "exceed" in lowered)
            ):
                kind = "context_too_long"
            elif exc.status_code == 404 or code == "model_not_found":
                kind = "model_not_found"
            headers = exc.response.headers
            retry_after = parse_retry_after(headers.get("retry-after-ms"))
            retry_after = retry_after / 1000 if retry_after is not None else None
            if retry_after is None:
                retry_after = parse_retry_after(headers.get("retry-after"))
            return status_error(
                provider=self.label,
                status=exc.status_code,
                provider_message=message,
                api_key=self.config.api_key,
                model=self.model,
                kind=kind,
                retry_after=retry_after,
            )
        if isinstance(exc, openai.APIResponseValidationError | json.JSONDecodeError):
            return LLMError(
                f"{self.label} sent a reply that is not valid JSON.", code="bad_response"
            )
        return None
