"""The OpenAI adapter against a real model served by llama.cpp (SmolLM2-135M): a probe, a
short completion and a schema-constrained JSON answer."""

from __future__ import annotations

import pytest

from binscribe.llm.base import ChatMessage
from binscribe.llm.config import ProviderConfig
from binscribe.llm.factory import build_adapter
from tests.llm_real.conftest import MODEL

pytestmark = pytest.mark.llm_real


def config(base_url: str, model: str = MODEL) -> ProviderConfig:
    return ProviderConfig(
        provider_type="openai", api_key=None, endpoint_url=base_url, model=model, timeout_s=120
    )


async def test_probe_lists_the_served_model(llama_server: str) -> None:
    adapter = build_adapter(config(llama_server), allow_private_endpoints=True)
    other = build_adapter(config(llama_server, "gpt-4.1-mini"), allow_private_endpoints=True)
    try:
        result = await adapter.probe()
        missing = await other.probe()
    finally:
        await adapter.aclose()
        await other.aclose()
    assert (result.success, result.error_code, result.models) == (True, None, [MODEL])
    assert (missing.success, missing.error_code, missing.models) == (
        False,
        "model_not_found",
        [MODEL],
    )


async def test_short_completion(llama_server: str) -> None:
    adapter = build_adapter(config(llama_server), allow_private_endpoints=True)
    try:
        completion = await adapter.complete(
            [
                ChatMessage("system", "You are a helpful assistant."),
                ChatMessage("user", "What is the capital of France? Answer in one word."),
            ],
            max_tokens=8,
            temperature=0,
        )
    finally:
        await adapter.aclose()
    assert completion.text.strip() != ""
    assert completion.model == MODEL
    assert completion.input_tokens is not None and completion.input_tokens > 10
    assert completion.output_tokens is not None and 1 <= completion.output_tokens <= 8
    assert completion.parsed is None


async def test_json_schema_answer(llama_server: str) -> None:
    schema = {
        "type": "object",
        "properties": {"answer": {"type": "string", "enum": ["yes", "no"]}},
        "required": ["answer"],
    }
    adapter = build_adapter(config(llama_server), allow_private_endpoints=True)
    try:
        completion = await adapter.complete(
            [ChatMessage("user", "Is the sky blue on a clear day? Answer yes or no.")],
            max_tokens=32,
            temperature=0,
            json_schema=schema,
        )
    finally:
        await adapter.aclose()
    assert isinstance(completion.parsed, dict)
    assert completion.parsed["answer"] in ("yes", "no")
