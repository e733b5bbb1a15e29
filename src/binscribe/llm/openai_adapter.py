"""OpenAI and OpenAI-compatible servers (llama.cpp, vLLM, LM Studio) through ``AsyncOpenAI``.

Chat Completions for both (why not the Responses API: docs/providers.md). Which parameters each
model family gets is :mod:`binscribe.llm.openai_params`; JSON output is
:mod:`binscribe.llm.openai_json`: ``response_format`` of type ``json_schema`` with ``strict``,
then ``json_object`` (plus the schema, which llama.cpp enforces), then no ``response_format``; both
fallbacks put the schema in the system prompt. What a server refuses (a JSON mode, a parameter) is
learned once per adapter, safely under concurrent calls.
"""

from __future__ import annotations

import json
import logging
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
    unsupported_parameter_error,
)
from binscribe.llm.jsontext import extract_json
from binscribe.llm.netguard import EndpointGuard
from binscribe.llm.openai_json import (
    JsonModeLadder,
    drop_optional_nulls,
    refuses_format,
    response_format,
    schema_instruction,
)
from binscribe.llm.openai_params import (
    ParameterLadder,
    ReasoningEffort,
    chat_parameters,
    is_reasoning_model,
    refused_parameter,
)
from binscribe.llm.retry import DEFAULT_RETRY_POLICY, RetryPolicy
from binscribe.llm.types import PROVIDER_TYPES, ProviderType

logger = logging.getLogger(__name__)

# Sent when a local server needs no key: the SDK must not fall back to OPENAI_API_KEY.
NO_KEY_PLACEHOLDER = "no-key"
# One call adjusts at most this often (each adjustment drops a refused mode or parameter).
_MAX_ADJUSTMENTS = 8
# The optional parameters this adapter sends (a refusal of one is ``unsupported_parameter``).
_MANAGED_PARAMETERS = ("max_completion_tokens", "max_tokens", "temperature", "reasoning_effort")


class OpenAIAdapter(BaseAdapter):
    """Adapter for ``provider_type`` openai; ``endpoint_url`` is the SDK's ``base_url``.

    ``config.options["reasoning_effort"]`` (a :class:`ReasoningEffort` value) overrides the
    reasoning models' default effort and is sent to any model when set.
    """

    def __init__(
        self,
        config: ProviderConfig,
        *,
        guard: EndpointGuard,
        retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    ) -> None:
        super().__init__(config, guard=guard, retry_policy=retry_policy)
        default = PROVIDER_TYPES[ProviderType.OPENAI].default_endpoint
        self.is_openai = config.base_url == default
        self.label = "OpenAI" if self.is_openai else "the OpenAI-compatible server"
        effort = config.options.get("reasoning_effort")
        self._effort = ReasoningEffort(effort) if effort else None
        newest_first = self.is_openai or is_reasoning_model(self.model)
        self._params = ParameterLadder(
            ("max_completion_tokens", "max_tokens")
            if newest_first
            else ("max_tokens", "max_completion_tokens"),
            # Our defaults may be dropped; an effort the user configured is reported instead.
            droppable=frozenset({"temperature"} | (set() if effort else {"reasoning_effort"})),
        )
        self._json_modes = JsonModeLadder()

    def _make_client(self) -> Any:
        import openai

        return openai.AsyncOpenAI(
            api_key=self.config.api_key or NO_KEY_PLACEHOLDER,
            base_url=self.config.base_url,
            timeout=self.config.timeout,
            max_retries=0,
            http_client=self._guarded_httpx2(),
        )

    async def _create(self, messages: list[Any], **kwargs: Any) -> Any:
        return await self._client.chat.completions.create(
            model=self.model,
            messages=messages,
            **kwargs,
        )

    def _learn(self, exc: Any, params: dict[str, Any], mode: str | None) -> bool:
        """Record what ``exc`` (an ``APIStatusError``) says the server refuses; True when the
        call can be sent again without it."""
        if mode is not None and mode != "plain" and refuses_format(exc.status_code, exc):
            logger.info("%s refused response_format %s; trying the next", self.label, mode)
            self._json_modes.refuse(mode)
            return True
        sent = [name for name in params if name != "response_format"]
        name = refused_parameter(exc.status_code, exc.body, sent)
        if name is not None and self._params.refuse(name):
            logger.info("%s refused the parameter %s; sending without it", self.label, name)
            return True
        return False

    async def _complete_once(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        json_schema: dict[str, Any] | None,
    ) -> Reply:
        import openai

        wire: list[Any] = [{"role": m.role, "content": m.content} for m in messages]
        instructed = wire
        if json_schema is not None:
            instructed = [{"role": "system", "content": schema_instruction(json_schema)}, *wire]
        for attempt in range(_MAX_ADJUSTMENTS):
            chosen = chat_parameters(
                self._params,
                model=self.model,
                max_tokens=max_tokens,
                temperature=temperature,
                reasoning_effort=self._effort,
            )
            if chosen is None:
                raise unsupported_parameter_error(
                    provider=self.label, model=self.model, parameter="max_tokens"
                )
            params: dict[str, Any] = chosen
            mode = self._json_modes.current() if json_schema is not None else None
            fmt = response_format(mode, json_schema) if mode and json_schema else None
            if fmt is not None:
                params["response_format"] = fmt
            try:
                response = await self._create(
                    wire if mode in (None, "json_schema") else instructed, **params
                )
                break
            except openai.APIStatusError as exc:
                if attempt == _MAX_ADJUSTMENTS - 1 or not self._learn(exc, params, mode):
                    raise
        return self._reply(response)

    def _reply(self, response: Any) -> Reply:
        if not getattr(response, "choices", None):
            raise LLMError(
                f"{self.label} answered without any choices.", code=LLMErrorCode.BAD_RESPONSE
            )
        choice = response.choices[0]
        text = choice.message.content or ""
        usage = response.usage
        details = getattr(usage, "completion_tokens_details", None)
        reasoning = getattr(details, "reasoning_tokens", None)
        return Reply(
            text=text,
            input_tokens=usage.prompt_tokens if usage else None,
            output_tokens=usage.completion_tokens if usage else None,
            model=response.model or self.model,
            reasoning_tokens=reasoning,
            # The base asks once more with twice the budget, then fails as output_truncated.
            truncated=choice.finish_reason == "length",
        )

    def _parse_json(self, text: str, json_schema: dict[str, Any]) -> Any:
        """The JSON in ``text`` with the nulls strict mode put in optional fields removed."""
        value = extract_json(text)
        return drop_optional_nulls(value, json_schema) if value is not None else None

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
            refused = (
                str(error["param"])
                if code in ("unsupported_parameter", "unsupported_value") and error.get("param")
                else refused_parameter(exc.status_code, exc.body, list(_MANAGED_PARAMETERS))
            )
            if refused is not None:
                return unsupported_parameter_error(
                    provider=self.label,
                    model=self.model,
                    parameter=refused,
                    provider_message=message,
                    api_key=self.config.api_key,
                    status=exc.status_code,
                )
            kind = None
            if exc.status_code == 429 and "insufficient_quota" in (code, error.get("type")):
                kind = LLMErrorCode.QUOTA_EXCEEDED
            elif code in ("context_length_exceeded", "exceed_context_size_error") or (
                "context" in lowered and ("length" in lowered or "exceed" in lowered)
            ):
                kind = LLMErrorCode.CONTEXT_TOO_LONG
            elif exc.status_code == 404 or code == "model_not_found":
                kind = LLMErrorCode.MODEL_NOT_FOUND
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
                f"{self.label} sent a reply that is not valid JSON.", code=LLMErrorCode.BAD_RESPONSE
            )
        return None
