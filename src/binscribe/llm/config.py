"""What an adapter needs to talk to one provider, built from a stored provider row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from binscribe.errors import ValidationFailed
from binscribe.llm.openai_params import ReasoningEffort
from binscribe.llm.types import ProviderType, provider_type_info

DEFAULT_TIMEOUT_S = 120.0
# Ollama loads a model into memory on its first request, which can take minutes.
OLLAMA_TIMEOUT_S = 300.0
DEFAULT_MAX_CONCURRENCY = 4
MIN_CONTEXT_TOKENS = 2048


@dataclass(frozen=True, repr=False)
class ProviderConfig:
    """One provider's connection settings, with the API key in plain text held only in memory.

    ``endpoint_url`` is the stored (normalized) base URL or None for the type's default;
    ``model`` None means the type's default model; ``timeout_s`` is per request (seconds);
    ``max_concurrency`` bounds parallel calls; ``context_tokens`` is the model's context window
    in tokens when the user knows it (None: explanations assume 16,384 and split a prompt again
    when the provider says it is too long); ``options`` holds the rest of ``config_json``.
    ``repr`` shows whether a key is set, never the key.
    """

    provider_type: ProviderType
    api_key: str | None = None
    endpoint_url: str | None = None
    model: str | None = None
    timeout_s: float | None = None
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY
    context_tokens: int | None = None
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
        > 0), ``max_concurrency`` (1-64) and ``context_tokens`` (2,048-10,000,000); other keys
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
        return cls(
            provider_type=ProviderType(provider_type),
            api_key=api_key or None,
            endpoint_url=endpoint_url or None,
            model=default_model or None,
            timeout_s=float(timeout) if timeout is not None else None,
            max_concurrency=concurrency,
            context_tokens=context,
            options=extra,
        )
