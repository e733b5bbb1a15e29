"""What an adapter needs to talk to one provider, built from a stored provider row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from binscribe.llm.options import (
    DEFAULT_MAX_CONCURRENCY,
    MIN_CONTEXT_TOKENS,
    TYPE_DEFAULTS,
    parse_options,
)
from binscribe.llm.pricing import ModelPrice
from binscribe.llm.types import ProviderType, provider_type_info

__all__ = ["DEFAULT_MAX_CONCURRENCY", "MIN_CONTEXT_TOKENS", "ProviderConfig"]


@dataclass(frozen=True, repr=False)
class ProviderConfig:
    """One provider's connection settings, with the API key in plain text held only in memory.

    ``endpoint_url`` is the stored (normalized) base URL or None for the type's default;
    ``model`` None means the type's default model; ``timeout_s`` is per request (seconds, any
    positive number here: stored rows allow whole seconds 1-3600, callers such as the health
    refresh may pass a shorter one; None: the type's default);
    ``max_concurrency`` bounds parallel calls; ``context_tokens`` is the model's context window
    in tokens when the user knows it (None: explanations assume 16,384 and split a prompt again
    when the provider says it is too long); ``thinking_budget`` is the thinking tokens a call
    may spend (None: the adapter's small default; 0: thinking off where the model allows);
    ``prices`` are the provider's own prices (None: the price table's); ``options`` holds the
    rest of ``config_json``.
    ``repr`` shows whether a key is set, never the key.
    """

    provider_type: ProviderType
    api_key: str | None = None
    endpoint_url: str | None = None
    model: str | None = None
    timeout_s: float | None = None
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY
    context_tokens: int | None = None
    thinking_budget: int | None = None
    prices: ModelPrice | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "provider_type", ProviderType(self.provider_type))
        if self.timeout_s is None:
            default = TYPE_DEFAULTS[self.provider_type]["timeout_s"]
            object.__setattr__(self, "timeout_s", float(default))

    def __repr__(self) -> str:
        key = "set" if self.api_key else "none"
        return (
            f"ProviderConfig(provider_type={self.provider_type.value!r}, api_key=<{key}>, "
            f"endpoint_url={self.endpoint_url!r}, model={self.model!r}, "
            f"timeout_s={self.timeout_s!r}, max_concurrency={self.max_concurrency!r})"
        )

    __str__ = __repr__

    @property
    def base_url(self) -> str:
        """The endpoint in use: the configured one or the type's default."""
        return self.endpoint_url or provider_type_info(self.provider_type).default_endpoint

    @property
    def model_name(self) -> str:
        """The model in use: the configured one or the type's default."""
        return self.model or provider_type_info(self.provider_type).default_model

    @property
    def timeout(self) -> float:
        """``timeout_s`` resolved to a number (seconds)."""
        assert self.timeout_s is not None  # set in __post_init__
        return float(self.timeout_s)

    @classmethod
    def from_stored(
        cls,
        *,
        provider_type: str,
        api_key: str | None,
        endpoint_url: str | None,
        default_model: str | None,
        config_json: Mapping[str, Any] | None,
    ) -> ProviderConfig:
        """Build from a provider row's fields. ``config_json`` is read with
        :class:`~binscribe.llm.options.ProviderOptions` (the ranges the API accepts); unset
        options take the type's defaults; ``reasoning_effort`` and keys the model does not know
        land in ``options``.

        Raises:
            ValidationFailed: code ``invalid_provider_config`` for out-of-range values.
        """
        known, extra = parse_options(config_json)
        if known.reasoning_effort is not None:
            extra["reasoning_effort"] = known.reasoning_effort.value
        prices = None
        if known.input_usd_per_mtok is not None and known.output_usd_per_mtok is not None:
            prices = ModelPrice(input=known.input_usd_per_mtok, output=known.output_usd_per_mtok)
        return cls(
            provider_type=ProviderType(provider_type),
            api_key=api_key or None,
            endpoint_url=endpoint_url or None,
            model=default_model or None,
            timeout_s=None if known.timeout_s is None else float(known.timeout_s),
            max_concurrency=known.max_concurrency or DEFAULT_MAX_CONCURRENCY,
            context_tokens=known.context_tokens,
            thinking_budget=known.thinking_budget,
            prices=prices,
            options=extra,
        )
