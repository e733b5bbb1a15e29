"""What an adapter needs to talk to one provider, built from a stored provider row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from binscribe.errors import ValidationFailed
from binscribe.llm.openai_params import ReasoningEffort
from binscribe.llm.pricing import ModelPrice
from binscribe.llm.types import ProviderType, provider_type_info

DEFAULT_TIMEOUT_S = 120.0
# Ollama loads a model into memory on its first request, which can take minutes.
OLLAMA_TIMEOUT_S = 300.0
DEFAULT_MAX_CONCURRENCY = 4
MIN_CONTEXT_TOKENS = 2048
MAX_THINKING_BUDGET = 128_000
MAX_PRICE_PER_MTOK = 10_000.0


@dataclass(frozen=True, repr=False)
class ProviderConfig:
    """One provider's connection settings, with the API key in plain text held only in memory.

    ``endpoint_url`` is the stored (normalized) base URL or None for the type's default;
    ``model`` None means the type's default model; ``timeout_s`` is per request (seconds);
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
            default = OLLAMA_TIMEOUT_S if self.provider_type is ProviderType.OLLAMA else None
            object.__setattr__(self, "timeout_s", default or DEFAULT_TIMEOUT_S)

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
        return float(self.timeout_s or DEFAULT_TIMEOUT_S)

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
        """Build from a provider row's fields; ``config_json`` may set ``timeout_s`` (seconds,
        > 0), ``max_concurrency`` (1-64), ``context_tokens`` (2,048-10,000,000),
        ``thinking_budget`` (0-128,000 tokens) and ``input_usd_per_mtok`` with
        ``output_usd_per_mtok`` (USD per million tokens, 0-10,000, both or neither); other keys
        land in ``options``, where ``reasoning_effort`` must be a :class:`ReasoningEffort`.

        Raises:
            ValidationFailed: code ``invalid_provider_config`` for out-of-range values.
        """
        extra = dict(config_json or {})
        timeout = extra.pop("timeout_s", None)
        concurrency = extra.pop("max_concurrency", DEFAULT_MAX_CONCURRENCY)
        context = extra.pop("context_tokens", None)
        effort = extra.get("reasoning_effort")
        if effort is not None and effort not in set(ReasoningEffort):
            raise ValidationFailed(
                f"reasoning_effort must be one of {', '.join(e.value for e in ReasoningEffort)}.",
                code="invalid_provider_config",
                details={"field": "config_json.reasoning_effort"},
            )
        if timeout is not None and (
            isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0
        ):
            raise ValidationFailed(
                "timeout_s must be a positive number of seconds.",
                code="invalid_provider_config",
                details={"field": "config_json.timeout_s"},
            )
        if (
            isinstance(concurrency, bool)
            or not isinstance(concurrency, int)
            or not (1 <= concurrency <= 64)
        ):
            raise ValidationFailed(
                "max_concurrency must be an integer from 1 to 64.",
                code="invalid_provider_config",
                details={"field": "config_json.max_concurrency"},
            )
        if context is not None and (
            isinstance(context, bool)
            or not isinstance(context, int)
            or not (MIN_CONTEXT_TOKENS <= context <= 10_000_000)
        ):
            raise ValidationFailed(
                "context_tokens must be an integer from 2048 to 10000000 (the model's context "
                "window in tokens).",
                code="invalid_provider_config",
                details={"field": "config_json.context_tokens"},
            )
        thinking = extra.pop("thinking_budget", None)
        if thinking is not None and not _is_int_in(thinking, 0, MAX_THINKING_BUDGET):
            raise _invalid("thinking_budget", f"an integer from 0 to {MAX_THINKING_BUDGET}")
        prices = _prices(
            extra.pop("input_usd_per_mtok", None), extra.pop("output_usd_per_mtok", None)
        )
        return cls(
            provider_type=ProviderType(provider_type),
            api_key=api_key or None,
            endpoint_url=endpoint_url or None,
            model=default_model or None,
            timeout_s=float(timeout) if timeout is not None else None,
            max_concurrency=concurrency,
            context_tokens=context,
            thinking_budget=thinking,
            prices=prices,
            options=extra,
        )


def _is_int_in(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _invalid(key: str, what: str) -> ValidationFailed:
    return ValidationFailed(
        f"{key} must be {what}.",
        code="invalid_provider_config",
        details={"field": f"config_json.{key}"},
    )


def _prices(input_price: object, output_price: object) -> ModelPrice | None:
    """The provider's own prices (USD per million tokens), or None when neither is set."""
    if input_price is None and output_price is None:
        return None
    for key, value in (("input_usd_per_mtok", input_price), ("output_usd_per_mtok", output_price)):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (0 <= value <= MAX_PRICE_PER_MTOK)
        ):
            raise _invalid(
                key,
                f"a price from 0 to {MAX_PRICE_PER_MTOK:g} USD per million tokens, set together "
                "with the other price",
            )
    assert isinstance(input_price, int | float) and isinstance(output_price, int | float)
    return ModelPrice(input=float(input_price), output=float(output_price))
