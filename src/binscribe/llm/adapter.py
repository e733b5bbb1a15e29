"""What the four adapters share: timing, retries, error mapping, concurrency bound and probing.

A concrete adapter supplies ``_make_client`` (its SDK client, built once, talking through the
SSRF guard), ``_complete_once`` (one SDK call, no retries), ``_list_models_once`` and
``_map_error`` (its SDK's exceptions to :class:`LLMError`, in one place). The SDK clients'
own retries are off (``max_retries=0`` or equivalent), so :func:`call_with_retries` is the only
retry loop. An answer the output budget cut short (thinking can use all of it) is asked once
more with twice the budget, then fails as ``output_truncated``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple, TypeVar

from binscribe.llm.base import EXPLAIN_TEMPERATURE, ChatMessage, Completion, ProbeResult
from binscribe.llm.config import ProviderConfig
from binscribe.llm.errors import LLMError, LLMErrorCode, find_llm_error
from binscribe.llm.netguard import EndpointGuard, guarded_transport
from binscribe.llm.pricing import ModelPrice
from binscribe.llm.retry import DEFAULT_RETRY_POLICY, RetryPolicy, call_with_retries

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Probes answer quickly: one attempt, whatever the provider says.
_PROBE_POLICY = RetryPolicy(attempts=1)


# The connection test's completion: what jobs send (a JSON schema, the explanations'
# temperature), asking for a tiny answer with few output tokens.
PROBE_MESSAGES = [ChatMessage("user", 'Reply with the JSON object {"ok": true} and nothing else.')]
PROBE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"ok": {"type": "boolean"}},
    "required": ["ok"],
}
PROBE_MAX_TOKENS = 16


class Reply(NamedTuple):
    """One SDK call's answer: ``text``, token counts as reported (``output_tokens`` includes
    ``reasoning_tokens``), the ``model`` reported, and ``truncated`` when the output budget ran
    out (Gemini ``MAX_TOKENS``, Anthropic ``max_tokens``, Ollama ``length``)."""

    text: str
    input_tokens: int | None
    output_tokens: int | None
    model: str
    reasoning_tokens: int | None = None
    truncated: bool = False


RawReply = Reply | tuple[str, int | None, int | None, str]


def _cut_short(reply: Reply, json_schema: dict[str, Any] | None) -> bool:
    """True when the budget ran out before a usable answer: no text, or JSON that is cut off."""
    from binscribe.llm.jsontext import extract_json

    if not reply.truncated:
        return False
    return not reply.text.strip() or (json_schema is not None and extract_json(reply.text) is None)


def _sum(first: int | None, second: int | None) -> int | None:
    return None if first is None and second is None else (first or 0) + (second or 0)


def _elapsed_ms(start: float) -> int:
    return int((time.monotonic() - start) * 1000)


class BaseAdapter(ABC):
    """Shared behaviour of the provider adapters; see the module docstring.

    ``guard`` checks every request's host (SSRF); ``retry_policy`` bounds our retries;
    ``complete`` calls run at most ``config.max_concurrency`` at a time per adapter.
    """

    label: str = "The provider"

    def __init__(
        self,
        config: ProviderConfig,
        *,
        guard: EndpointGuard,
        retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    ) -> None:
        self.config = config
        self.guard = guard
        self.retry_policy = retry_policy
        self._slots = asyncio.Semaphore(config.max_concurrency)
        self._client: Any = self._make_client()

    @property
    def model(self) -> str:
        """The model this adapter asks for."""
        return self.config.model_name

    @property
    def max_concurrency(self) -> int:
        """At most this many ``complete`` calls run at once on this adapter."""
        return self.config.max_concurrency

    @property
    def prices(self) -> ModelPrice | None:
        """The provider's own prices (``ProviderConfig.prices``); None: the price table's."""
        return self.config.prices

    @abstractmethod
    def _make_client(self) -> Any:
        """The SDK client, with its own retries off, every connection through ``self.guard``
        (:meth:`_guarded_httpx2` for the SDKs built on httpx2)."""

    def _guarded_httpx2(self) -> Any:
        """An ``httpx2.AsyncClient`` whose connections go through the SSRF guard."""
        import httpx2

        return httpx2.AsyncClient(
            transport=guarded_transport(httpx2, self.guard), follow_redirects=True
        )

    async def aclose(self) -> None:
        """Close the SDK client and its connections."""
        await self._client.close()

    @abstractmethod
    async def _complete_once(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        json_schema: dict[str, Any] | None,
    ) -> RawReply:
        """One SDK call: a :class:`Reply` (or the plain 4-tuple text, input tokens, output
        tokens, model reported)."""

    @abstractmethod
    async def _list_models_once(self) -> list[str]:
        """One SDK call listing model names."""

    @abstractmethod
    def _map_error(self, exc: Exception) -> LLMError | None:
        """This SDK's exception as an :class:`LLMError`, or None when it is not an SDK error."""

    def _parse_json(self, text: str, json_schema: dict[str, Any]) -> Any:
        """The JSON value in a reply to a ``json_schema`` request, None when there is none."""
        from binscribe.llm.jsontext import extract_json

        return extract_json(text)

    async def _call(self, make: Callable[[], Awaitable[T]]) -> T:
        """Await ``make()`` once, translating SDK exceptions (and our guard's, wrapped by them)."""
        try:
            return await make()
        except LLMError:
            raise
        except Exception as exc:
            mapped = find_llm_error(exc) or self._map_error(exc)
            if mapped is None:
                raise
            logger.debug("%s call failed: %s -> %s", self.label, type(exc).__name__, mapped.code)
            raise mapped from None

    async def complete(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        """Ask the configured model; see :class:`~binscribe.llm.base.LLMAdapter`.

        Raises:
            LLMError: after our retries, with an :class:`~binscribe.llm.errors.LLMErrorCode`.
        """
        start = time.monotonic()

        async def once(budget: int) -> Reply:
            raw = await self._call(
                lambda: self._complete_once(
                    messages,
                    max_tokens=budget,
                    temperature=temperature,
                    json_schema=json_schema,
                )
            )
            return Reply(*raw)

        async with self._slots:
            reply = await call_with_retries(lambda: once(max_tokens), policy=self.retry_policy)
            if _cut_short(reply, json_schema):
                logger.info(
                    "%s answer cut short at %d tokens; asking again", self.label, max_tokens
                )
                first = reply
                reply = await call_with_retries(
                    lambda: once(max_tokens * 2), policy=self.retry_policy
                )
                # Both calls are billed: count the first one's tokens too.
                reply = reply._replace(
                    input_tokens=_sum(first.input_tokens, reply.input_tokens),
                    output_tokens=_sum(first.output_tokens, reply.output_tokens),
                    reasoning_tokens=_sum(first.reasoning_tokens, reply.reasoning_tokens),
                )
                if _cut_short(reply, json_schema):
                    raise LLMError(
                        f"{self.label} used the whole output budget ({max_tokens * 2} tokens, "
                        f"thinking included) before finishing its answer, twice. Lower the "
                        "provider's thinking budget or pick a model that thinks less.",
                        code=LLMErrorCode.OUTPUT_TRUNCATED,
                    )
        return Completion(
            text=reply.text,
            parsed=self._parse_json(reply.text, json_schema) if json_schema is not None else None,
            input_tokens=reply.input_tokens,
            output_tokens=reply.output_tokens,
            model=reply.model or self.model,
            latency_ms=_elapsed_ms(start),
            reasoning_tokens=reply.reasoning_tokens,
        )

    async def list_models(self) -> list[str]:
        """Model names the provider reports, sorted; raises :class:`LLMError`."""
        models = await call_with_retries(
            lambda: self._call(self._list_models_once), policy=self.retry_policy
        )
        return sorted(set(models))

    def _model_available(self, models: list[str]) -> bool:
        return self.model in models

    async def _probe_details(self) -> str:
        """Extra facts for the probe message (Ollama's version); empty by default."""
        return ""

    async def _probe_completion(self) -> LLMError | None:
        """One minimal real completion with the parameters jobs send; the error, if any.

        ``output_truncated`` counts as working: the provider accepted every parameter and the
        tiny budget ran out (a reasoning model may spend it thinking).
        """
        try:
            await self._call(
                lambda: self._complete_once(
                    PROBE_MESSAGES,
                    max_tokens=PROBE_MAX_TOKENS,
                    temperature=EXPLAIN_TEMPERATURE,
                    json_schema=PROBE_SCHEMA,
                )
            )
        except LLMError as exc:
            return None if exc.code == LLMErrorCode.OUTPUT_TRUNCATED else exc
        return None

    async def probe(self, *, completion: bool = True) -> ProbeResult:
        """List models once (no retries), check the configured model is among them, then make
        one minimal completion with the parameters jobs send (:meth:`_probe_completion`);
        ``completion=False`` stops after the model check (the cheap probe: no tokens spent).

        Provider failures become ``success=False`` with their error code (a refused parameter:
        ``unsupported_parameter``, named in the message); only programming errors raise.
        """
        start = time.monotonic()
        try:
            models = sorted(set(await self._call(self._list_models_once)))
            details = await self._call(self._probe_details)
        except LLMError as exc:
            return ProbeResult(
                success=False,
                message=exc.message,
                error_code=exc.code,
                latency_ms=_elapsed_ms(start),
                models=[],
            )
        prefix = f"Connected to {self.label}{details}"
        if models and not self._model_available(models):
            shown = ", ".join(models[:5]) + (", ..." if len(models) > 5 else "")
            return ProbeResult(
                success=False,
                message=f"{prefix}, but it does not offer the model '{self.model}'. "
                f"Available: {shown}.",
                error_code=LLMErrorCode.MODEL_NOT_FOUND,
                latency_ms=_elapsed_ms(start),
                models=models,
            )
        if not completion:
            latency = _elapsed_ms(start)
            checked = f"model '{self.model}' is listed" if models else "it listed no models"
            return ProbeResult(
                success=True,
                message=f"{prefix} in {latency} ms; {checked} (model list only, no completion).",
                error_code=None,
                latency_ms=latency,
                models=models,
            )
        failure = await self._probe_completion()
        latency = _elapsed_ms(start)
        if failure is not None:
            listed = f", model '{self.model}' is listed" if models else ""
            return ProbeResult(
                success=False,
                message=f"{prefix}{listed}, but a test completion failed: {failure.message}",
                error_code=failure.code,
                latency_ms=latency,
                models=models,
            )
        found = (
            f"model '{self.model}' is available ({len(models)} models listed)"
            if models
            else f"it listed no models, so model '{self.model}' could not be checked"
        )
        return ProbeResult(
            success=True,
            message=f"{prefix} in {latency} ms; {found}; a test completion worked.",
            error_code=None,
            latency_ms=latency,
            models=models,
        )
