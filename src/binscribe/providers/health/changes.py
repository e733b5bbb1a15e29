"""When a stored health verdict no longer describes the provider: its connection changed
(the providers service then stores the update with ``forget_health``).

The connection is what a probe or a job talks to: the provider type, the endpoint in use (the
stored one or the type's default), the model in use (``default_model`` or the type's default)
and the API key. Anything else (name, ``is_active``, ``config`` options such as timeouts,
concurrency or prices) keeps the verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from binscribe.db.models import UserLLMProvider
from binscribe.llm.config import ProviderConfig
from binscribe.llm.types import provider_type_info


def connection_of(
    provider_type: str, endpoint_url: str | None, default_model: str | None
) -> tuple[str, str, str]:
    """``(type, endpoint in use, model in use)``: the defaults of the type fill the blanks, so
    clearing ``default_model`` that equals the type's default is no change."""
    info = provider_type_info(provider_type)
    return provider_type, endpoint_url or info.default_endpoint, default_model or info.default_model


def connection_changed(
    provider: UserLLMProvider, values: Mapping[str, Any], *, key_changed: bool
) -> bool:
    """Whether applying column ``values`` (``provider_type``, ``endpoint_url``,
    ``default_model``; others are ignored) to ``provider`` changes its connection, or
    ``key_changed`` (a different API key is being stored) says so."""
    if key_changed:
        return True
    before = connection_of(provider.provider_type, provider.endpoint_url, provider.default_model)
    after = connection_of(
        values.get("provider_type", provider.provider_type),
        values.get("endpoint_url", provider.endpoint_url),
        values.get("default_model", provider.default_model),
    )
    return before != after


def same_connection(used: ProviderConfig, current: ProviderConfig) -> bool:
    """Whether two configurations talk to the same provider the same way (type, endpoint and
    model in use, API key): a verdict found with ``used`` still describes ``current``."""
    return (used.provider_type, used.base_url, used.model_name, used.api_key) == (
        current.provider_type,
        current.base_url,
        current.model_name,
        current.api_key,
    )
