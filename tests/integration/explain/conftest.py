"""Fixtures for the explanation engine against the local protocol servers, through the real SDKs.

``explain_env(protocol, **kwargs)`` starts a scripted server (OpenAI or Anthropic protocol)
answering with a :class:`~tests.llm_servers.canned.CannedModel` and builds the adapter for
it through the factory (fast retries); both are stopped/closed after the test. The servers can
fail every request about some functions (``fail_functions``: HTTP 500), refuse requests
whose JSON body is longer than ``max_prompt_chars`` as the real API does a prompt over the
model's context window (``context_too_long``), fail every request for some output schemas
(``fail_schemas``, by title such as ``ImportCapabilities``: HTTP 500), answer slowly
(``delay_s``) and record how many requests were in flight at once (``max_active``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from binscribe.llm.adapter import BaseAdapter
from binscribe.llm.config import ProviderConfig
from binscribe.llm.factory import build_adapter
from binscribe.llm.retry import RetryPolicy
from tests.llm_servers.anthropic import AnthropicServer
from tests.llm_servers.base import ProtocolServer, RecordedRequest, Response, Step
from tests.llm_servers.canned import CannedModel, schema_title
from tests.llm_servers.openai import OpenAIServer

KEY = "sk-explain-test-5d1c2b"
FAST_RETRIES = RetryPolicy(attempts=2, base_delay_s=0.01, max_delay_s=0.02)
MODELS = {"openai": "gpt-4.1-mini", "anthropic": "claude-haiku-4-5"}


class _Scripted:
    """Adds per-function failures, a fixed delay and an in-flight gauge to a protocol server."""

    def __init__(
        self,
        *,
        fail_functions: tuple[str, ...] = (),
        fail_schemas: tuple[str, ...] = (),
        delay_s: float = 0.0,
        max_prompt_chars: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.fail_functions = set(fail_functions)
        self.fail_schemas = set(fail_schemas)
        self.delay_s = delay_s
        self.max_prompt_chars = max_prompt_chars
        self.active = 0
        self.max_active = 0
        self._gauge = threading.Lock()
        super().__init__(**kwargs)  # type: ignore[call-arg]

    def handle(self, request: RecordedRequest) -> Response | bytes:
        with self._gauge:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            if self.delay_s:
                self._stopping.wait(self.delay_s)  # type: ignore[attr-defined]
            body = json.dumps(request.body)
            failing = schema_title(request.body or {}) in self.fail_schemas
            if failing or any(_named(name) in body for name in self.fail_functions):
                return self.error_response("server_error", request, Step("server_error"))  # type: ignore[attr-defined]
            if self.max_prompt_chars is not None and len(body) > self.max_prompt_chars:
                return self.error_response("context_too_long", request, Step("context_too_long"))  # type: ignore[attr-defined]
            return super().handle(request)  # type: ignore[misc]
        finally:
            with self._gauge:
                self.active -= 1


def _named(name: str) -> str:
    """How a prompt about function ``name`` shows it, as it appears inside the JSON body."""
    return json.dumps(f"name: {json.dumps(name)}\n")[1:-1]


class ScriptedOpenAIServer(_Scripted, OpenAIServer):
    """OpenAI protocol with the :class:`_Scripted` additions."""


class ScriptedAnthropicServer(_Scripted, AnthropicServer):
    """Anthropic protocol with the :class:`_Scripted` additions."""


SERVERS: dict[str, type[ProtocolServer]] = {
    "openai": ScriptedOpenAIServer,
    "anthropic": ScriptedAnthropicServer,
}

Env = tuple[Any, BaseAdapter]


@pytest.fixture
async def explain_env() -> AsyncIterator[Callable[..., Env]]:
    started: list[ProtocolServer] = []
    built: list[BaseAdapter] = []

    def make(
        protocol: str = "openai",
        *,
        model: CannedModel | None = None,
        model_name: str | None = None,
        max_concurrency: int = 4,
        **server_kwargs: Any,
    ) -> Env:
        name = model_name or MODELS[protocol]
        server_kwargs.setdefault("models", [name])
        server = SERVERS[protocol](
            api_key=KEY, reply=model or CannedModel(stray=False, loose=True), **server_kwargs
        ).start()
        started.append(server)
        adapter = build_adapter(
            ProviderConfig(
                provider_type=protocol,
                api_key=KEY,
                endpoint_url=server.base_url,
                model=name,
                max_concurrency=max_concurrency,
            ),
            allow_private_endpoints=True,
            retry_policy=FAST_RETRIES,
        )
        assert isinstance(adapter, BaseAdapter)
        built.append(adapter)
        return server, adapter

    yield make
    for adapter in built:
        await adapter.aclose()
    for server in started:
        server.stop()
