"""Anthropic's Messages API through ``AsyncAnthropic``.

``max_tokens`` is always sent (the API requires it), with room for thinking when it is on;
``temperature`` is not (the SDK no longer takes it; Claude 5 models refuse non-default sampling).
System messages go to the ``system`` parameter. Thinking is off unless configured, per model
family (:func:`~binscribe.llm.thinking.claude_thinking`). JSON output uses
``output_config.format`` (Claude 4.5 and later, schema made to its rules by the SDK's
``transform_schema``) or, for older models, a forced tool call whose input is the answer.
``stop_reason`` max_tokens marks the reply truncated; ``output_tokens_details.thinking_tokens``
is the reasoning part of the output.
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
from binscribe.llm.thinking import claude_thinking

JSON_TOOL_NAME = "respond"


class AnthropicAdapter(BaseAdapter):
    """Adapter for ``provider_type`` anthropic; ``endpoint_url`` (optional) is the base URL."""

    label = "Anthropic"

    def _make_client(self) -> Any:
        import anthropic

        return anthropic.AsyncAnthropic(
            # An explicit key (even empty) stops the SDK from reading ANTHROPIC_API_KEY.
            api_key=self.config.api_key or "",
            base_url=self.config.base_url,
            timeout=self.config.timeout,
            max_retries=0,
            http_client=self._guarded_httpx2(),
        )

    def _require_key(self) -> None:
        if not self.config.api_key:
            raise LLMError("No Anthropic API key is configured.", code=LLMErrorCode.AUTH_FAILED)

    async def _complete_once(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        json_schema: dict[str, Any] | None,
    ) -> Reply:
        import anthropic

        self._require_key()
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        turns = [{"role": m.role, "content": m.content} for m in messages if m.role != "system"]
        thinking = claude_thinking(self.model, self.config.thinking_budget)
        kwargs: dict[str, Any] = {
            "model": self.model,
            "max_tokens": max_tokens + thinking.room,
            "messages": turns,
        }
        if system:
            kwargs["system"] = system
        if thinking.thinking is not None:
            kwargs["thinking"] = thinking.thinking
        output_config: dict[str, Any] = {}
        if thinking.effort is not None:
            output_config["effort"] = thinking.effort
        if json_schema is not None and thinking.json_output_format:
            schema = anthropic.transform_schema(json_schema)
            output_config["format"] = {"type": "json_schema", "schema": schema}
        elif json_schema is not None and thinking.thinking is None:
            # Older models: a forced tool call (refused with thinking on; then the prompt asks).
            kwargs["tools"] = [
                {
                    "name": JSON_TOOL_NAME,
                    "description": "Give the answer as structured data.",
                    "input_schema": json_schema,
                }
            ]
            kwargs["tool_choice"] = {"type": "tool", "name": JSON_TOOL_NAME}
        if output_config:
            kwargs["output_config"] = output_config
        response = await self._client.messages.create(**kwargs)
        parts: list[str] = []
        for block in response.content or []:
            if block.type == "tool_use":
                parts.append(json.dumps(block.input))
            elif block.type == "text":
                parts.append(block.text)
        truncated = response.stop_reason == "max_tokens"
        if response.stop_reason == "model_context_window_exceeded":
            raise LLMError(
                f"The request is longer than the context window of '{self.model}'.",
                code=LLMErrorCode.CONTEXT_TOO_LONG,
            )
        if not parts and not truncated:
            raise LLMError(
                "Anthropic answered without any content.", code=LLMErrorCode.BAD_RESPONSE
            )
        usage = response.usage
        details = usage.output_tokens_details if usage else None
        return Reply(
            text="".join(parts),
            input_tokens=usage.input_tokens if usage else None,
            output_tokens=usage.output_tokens if usage else None,
            model=response.model or self.model,
            reasoning_tokens=details.thinking_tokens if details else None,
            truncated=truncated,
        )

    async def _list_models_once(self) -> list[str]:
        self._require_key()
        return [model.id async for model in self._client.models.list(limit=1000)]

    def _map_error(self, exc: Exception) -> LLMError | None:
        import anthropic

        if isinstance(exc, anthropic.APITimeoutError):
            return timeout_error(provider=self.label, timeout_s=self.config.timeout)
        if isinstance(exc, anthropic.APIConnectionError):
            return connection_error(exc, provider=self.label, endpoint=self.config.base_url)
        if isinstance(exc, anthropic.APIStatusError):
            body = exc.body if isinstance(exc.body, dict) else {}
            error = body.get("error") if isinstance(body.get("error"), dict) else {}
            assert isinstance(error, dict)
            error_type = str(error.get("type") or "")
            message = str(error.get("message") or exc.message or "")
            lowered = message.lower()
            kind = None
            if exc.status_code == 529 or error_type == "overloaded_error":
                kind = LLMErrorCode.RATE_LIMITED
            elif "credit balance" in lowered or exc.status_code == 402:
                kind = LLMErrorCode.QUOTA_EXCEEDED
            elif "prompt is too long" in lowered or error_type == "request_too_large":
                kind = LLMErrorCode.CONTEXT_TOO_LONG
            elif exc.status_code == 404 or error_type == "not_found_error":
                kind = LLMErrorCode.MODEL_NOT_FOUND
            return status_error(
                provider=self.label,
                status=exc.status_code,
                provider_message=message,
                api_key=self.config.api_key,
                model=self.model,
                kind=kind,
                retry_after=parse_retry_after(exc.response.headers.get("retry-after")),
            )
        if isinstance(exc, anthropic.APIResponseValidationError | json.JSONDecodeError):
            return LLMError(
                "Anthropic sent a reply that is not valid JSON.", code=LLMErrorCode.BAD_RESPONSE
            )
        return None
