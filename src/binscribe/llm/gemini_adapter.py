"""Google Gemini (Developer API) through the ``google-genai`` client.

The SDK sends the key in the ``x-goog-api-key`` header, never in the URL. JSON output uses
``response_mime_type`` application/json with ``response_json_schema``. Thinking is set
explicitly (:func:`~binscribe.llm.thinking.gemini_thinking`) and ``maxOutputTokens`` gets room
for it, since thoughts count against that limit; ``MAX_TOKENS`` marks the reply truncated.
``thoughtsTokenCount`` is reported as reasoning tokens and added to the output tokens (both are
billed as output). The SDK's own retries stay off (no ``retry_options``).
"""

from __future__ import annotations

import json
from typing import Any

from binscribe.llm.adapter import BaseAdapter, Reply
from binscribe.llm.base import ChatMessage
from binscribe.llm.errors import (
    LLMError,
    LLMErrorCode,
    connection_error,
    parse_retry_after,
    status_error,
    timeout_error,
)
from binscribe.llm.netguard import guarded_transport
from binscribe.llm.thinking import gemini_thinking


def _retry_delay(body: Any) -> float | None:
    """Seconds from a google.rpc.RetryInfo entry (``"retryDelay": "37s"``) in an error body."""
    error = body.get("error", body) if isinstance(body, dict) else {}
    for detail in error.get("details", []) if isinstance(error, dict) else []:
        if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("RetryInfo"):
            return parse_retry_after(str(detail.get("retryDelay", "")))
    return None


def _is_daily_quota(body: Any) -> bool:
    """True when a RESOURCE_EXHAUSTED error names a per-day quota (waiting minutes won't help)."""
    return "PerDay" in json.dumps(body) if body else False


class GeminiAdapter(BaseAdapter):
    """Adapter for ``provider_type`` gemini; ``endpoint_url`` (optional) is the base URL."""

    label = "Gemini"

    def _make_client(self) -> Any:
        import httpx2
        from google import genai
        from google.genai import types

        return genai.Client(
            vertexai=False,
            # The SDK reads GOOGLE_API_KEY/GEMINI_API_KEY when no key is given: never let it.
            api_key=self.config.api_key or "missing",
            http_options=types.HttpOptions(
                base_url=self.config.base_url,
                timeout=int(self.config.timeout * 1000),
                async_client_args={"transport": guarded_transport(httpx2, self.guard)},
            ),
        )

    async def aclose(self) -> None:
        """Close the SDK client."""
        await self._client.aio.aclose()

    def _require_key(self) -> None:
        if not self.config.api_key:
            raise LLMError("No Gemini API key is configured.", code=LLMErrorCode.AUTH_FAILED)

    async def _complete_once(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        json_schema: dict[str, Any] | None,
    ) -> Reply:
        from google.genai import types

        self._require_key()
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        contents = [
            types.Content(
                role="model" if m.role == "assistant" else "user",
                parts=[types.Part(text=m.content)],
            )
            for m in messages
            if m.role != "system"
        ]
        thinking = gemini_thinking(self.model, self.config.thinking_budget)
        config = types.GenerateContentConfig(
            system_instruction=system or None,
            max_output_tokens=max_tokens + thinking.room,
            temperature=temperature if thinking.send_temperature else None,
        )
        if thinking.budget is not None or thinking.level is not None:
            config.thinking_config = types.ThinkingConfig(
                thinking_budget=thinking.budget,
                thinking_level=types.ThinkingLevel(thinking.level.upper())
                if thinking.level
                else None,
            )
        if json_schema is not None:
            config.response_mime_type = "application/json"
            config.response_json_schema = json_schema
        response = await self._client.aio.models.generate_content(
            model=self.model, contents=contents, config=config
        )
        if not response.candidates:
            raise LLMError(
                "Gemini answered without any candidates.", code=LLMErrorCode.BAD_RESPONSE
            )
        usage = response.usage_metadata
        thoughts = usage.thoughts_token_count if usage else None
        answer = usage.candidates_token_count if usage else None
        output = None if answer is None and thoughts is None else (answer or 0) + (thoughts or 0)
        return Reply(
            text=response.text or "",
            input_tokens=usage.prompt_token_count if usage else None,
            output_tokens=output,
            model=response.model_version or self.model,
            reasoning_tokens=thoughts,
            truncated=response.candidates[0].finish_reason == types.FinishReason.MAX_TOKENS,
        )

    async def _list_models_once(self) -> list[str]:
        self._require_key()
        pager = await self._client.aio.models.list(config={"page_size": 1000})
        models = [str(model.name).removeprefix("models/") async for model in pager]
        if not models:
            # The real API always lists models for a valid key; nothing means a broken reply.
            raise LLMError(
                "Gemini answered the model list with no models.", code=LLMErrorCode.BAD_RESPONSE
            )
        return models

    def _map_error(self, exc: Exception) -> LLMError | None:
        import httpx2
        from google.genai import errors

        if isinstance(exc, httpx2.TimeoutException):
            return timeout_error(provider=self.label, timeout_s=self.config.timeout)
        if isinstance(exc, httpx2.TransportError):
            return connection_error(exc, provider=self.label, endpoint=self.config.base_url)
        if isinstance(exc, errors.APIError):
            status = int(exc.code or 0)
            message = str(exc.message or "")
            body = exc.details
            kind = None
            if "API_KEY_INVALID" in json.dumps(body) or exc.status == "UNAUTHENTICATED":
                kind = LLMErrorCode.AUTH_FAILED
            elif exc.status == "RESOURCE_EXHAUSTED" or status == 429:
                kind = (
                    LLMErrorCode.QUOTA_EXCEEDED
                    if _is_daily_quota(body)
                    else LLMErrorCode.RATE_LIMITED
                )
            elif "token count" in message.lower() and "exceeds" in message.lower():
                kind = LLMErrorCode.CONTEXT_TOO_LONG
            retry_after = _retry_delay(body)
            response = getattr(exc, "response", None)
            headers = getattr(response, "headers", None)
            if retry_after is None and headers is not None:
                retry_after = parse_retry_after(headers.get("retry-after"))
            return status_error(
                provider=self.label,
                status=status,
                provider_message=message,
                api_key=self.config.api_key,
                model=self.model,
                kind=kind,
                retry_after=retry_after,
            )
        if isinstance(exc, json.JSONDecodeError | errors.UnknownApiResponseError):
            return LLMError(
                "Gemini sent a reply that is not valid JSON.", code=LLMErrorCode.BAD_RESPONSE
            )
        return None
