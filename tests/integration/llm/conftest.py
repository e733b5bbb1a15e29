"""Fixtures for adapter tests against the local protocol servers in ``tests.llm_servers``.

``llm_server(protocol, **kwargs)`` starts a server (stopped after the test);
``make_adapter(server, **overrides)`` builds the matching adapter through the factory with a
fast retry policy, closed after the test. Both use the canary key :data:`KEY` unless told
otherwise.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from binscribe.llm.adapter import BaseAdapter
from binscribe.llm.config import ProviderConfig
from binscribe.llm.factory import build_adapter
from binscribe.llm.retry import RetryPolicy
from tests.llm_servers.anthropic import AnthropicServer
from tests.llm_servers.base import ProtocolServer
from tests.llm_servers.gemini import GeminiServer
from tests.llm_servers.ollama import OllamaServer
from tests.llm_servers.openai import OpenAIServer

KEY = "sk-canary-7f3a9c2e41d84b6f"
FAST_RETRIES = RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05)
SERVERS: dict[str, type[ProtocolServer]] = {
    "openai": OpenAIServer,
    "anthropic": AnthropicServer,
    "gemini": GeminiServer,
    "ollama": OllamaServer,
}
PROTOCOLS = list(SERVERS)


@pytest.fixture
def llm_server() -> Iterator[Callable[..., ProtocolServer]]:
    started: list[ProtocolServer] = []

    def start(protocol: str, **kwargs: Any) -> ProtocolServer:
        kwargs.setdefault("api_key", KEY)
        server = SERVERS[protocol](**kwargs).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
async def make_adapter() -> AsyncIterator[Callable[..., BaseAdapter]]:
    built: list[BaseAdapter] = []

    def make(
        protocol: str,
        server: ProtocolServer | None,
        *,
        allow_private: bool = True,
        retry_policy: RetryPolicy = FAST_RETRIES,
        endpoint_url: str | None = None,
        **config: Any,
    ) -> BaseAdapter:
        config.setdefault("api_key", KEY)
        adapter = build_adapter(
            ProviderConfig(
                provider_type=protocol,
                endpoint_url=endpoint_url or (server.base_url if server else None),
                **config,
            ),
            allow_private_endpoints=allow_private,
            retry_policy=retry_policy,
        )
        assert isinstance(adapter, BaseAdapter)
        built.append(adapter)
        return adapter

    yield make
    for adapter in built:
        await adapter.aclose()
