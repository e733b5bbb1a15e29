"""Provider calls as the engine makes them: bounded, cancellable, metered, and cut short after a
failure that no other call could escape (a refused key, an unreachable server, ...)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from binscribe.explain.budget import BUDGET_EXCEEDED, Budget
from binscribe.explain.report import ItemError, Usage
from binscribe.llm.base import ChatMessage, Completion, LLMAdapter
from binscribe.llm.errors import LLMError, LLMErrorCode
from binscribe.llm.pricing import estimate_cost

logger = logging.getLogger(__name__)

# Errors that every later call to the same provider would hit too: after the first one the
# remaining calls fail at once with the same error instead of each trying and retrying.
FATAL_CODES = frozenset(
    {
        LLMErrorCode.AUTH_FAILED,
        LLMErrorCode.QUOTA_EXCEEDED,
        LLMErrorCode.MODEL_NOT_FOUND,
        LLMErrorCode.UNREACHABLE,
        LLMErrorCode.ENDPOINT_FORBIDDEN,
    }
)


class ItemFailed(Exception):
    """An item (function, imports, strings, program) could not be explained; recorded, not
    raised out of the engine. ``code``/``message`` as in :class:`ItemError`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @classmethod
    def from_llm(cls, exc: LLMError) -> ItemFailed:
        """The item failure for a provider error (its code and user-facing message)."""
        return cls(exc.code, exc.message)

    def to_error(self) -> ItemError:
        """As the report's :class:`ItemError`."""
        return ItemError(code=self.code, message=self.message)


class Caller:
    """Sends prompts through ``adapter`` at most ``max_concurrency`` at a time.

    ``stop`` (set by the engine on cancellation) makes every later call fail with
    ``cancelled`` before it is sent. Token usage and estimated cost of each answered call are
    added to the ``usage`` the caller passes; the cost uses the adapter's ``config.prices`` when
    the provider sets its own, else the price table entry of ``model`` (the configured name).
    Every answered call is also added to ``budget.spent``; once the budget is exceeded, later
    calls fail with ``budget_exceeded`` (see :mod:`binscribe.explain.budget`).
    """

    def __init__(
        self,
        adapter: LLMAdapter,
        *,
        model: str,
        max_concurrency: int,
        temperature: float,
        stop: asyncio.Event,
        budget: Budget | None = None,
    ) -> None:
        self._adapter = adapter
        self._model = model
        self._slots = asyncio.Semaphore(max_concurrency)
        self._temperature = temperature
        self._stop = stop
        self._prices = adapter.prices
        self.fatal: LLMError | None = None
        self.budget = budget or Budget()

    def _check(self, *, finishing: bool) -> None:
        if self._stop.is_set():
            raise ItemFailed("cancelled", "The run was cancelled before this item finished.")
        if self.fatal is not None:
            raise ItemFailed.from_llm(self.fatal)
        reason = None if finishing else self.budget.exceeded()
        if reason is not None:
            raise ItemFailed(BUDGET_EXCEEDED, reason)

    async def complete(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        json_schema: dict[str, Any],
        usage: Usage,
        finishing: bool = False,
    ) -> Completion:
        """One provider call asking for JSON matching ``json_schema``; ``finishing``: the last
        call of an item that has already spent on parts (made even past the budget).

        Raises:
            ItemFailed: the provider failed after its retries (the :class:`LLMError` code), an
                earlier call hit a fatal error, the run was cancelled (``cancelled``), or the
                adapter raised something unexpected (``internal_error``, its trace logged), or
                the budget is exceeded (``budget_exceeded``, unless ``finishing``): one item
                fails, never the whole run.
        """
        self._check(finishing=finishing)
        async with self._slots:
            self._check(finishing=finishing)
            try:
                completion = await self._adapter.complete(
                    messages,
                    max_tokens=max_tokens,
                    temperature=self._temperature,
                    json_schema=json_schema,
                )
            except LLMError as exc:
                if exc.code in FATAL_CODES and self.fatal is None:
                    self.fatal = exc
                raise ItemFailed.from_llm(exc) from None
            except Exception:  # an adapter bug: this item fails, the rest of the run goes on
                logger.exception("unexpected error in a provider call")
                raise ItemFailed(
                    "internal_error",
                    "An unexpected error stopped this provider call; the server log has the "
                    "details.",
                ) from None
        call = Usage(
            requests=1,
            input_tokens=completion.input_tokens or 0,
            output_tokens=completion.output_tokens or 0,
            reasoning_tokens=completion.reasoning_tokens or 0,
            cost_usd=estimate_cost(
                self._model,
                completion.input_tokens,
                completion.output_tokens,
                reasoning_tokens=completion.reasoning_tokens,
                prices=self._prices,
            ),
        )
        usage.add(call)
        self.budget.spent.add(call)
        return completion
