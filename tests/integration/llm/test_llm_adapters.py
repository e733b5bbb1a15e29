"""Every adapter through its real SDK against a local server speaking the provider's protocol:
requests on the wire, replies, every error class, retries, timeouts and JSON output."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from binscribe.llm.adapter import BaseAdapter
from binscribe.llm.base import ChatMessage
from binscribe.llm.errors import LLMError
from binscribe.llm.retry import RetryPolicy
from binscribe.llm.thinking import LEVEL_ROOM, OLLAMA_THINKING_ROOM
from tests.integration.llm.conftest import KEY, PROTOCOLS
from tests.llm_servers.base import ProtocolServer, RecordedRequest, Step

MakeServer = Callable[..., ProtocolServer]
MakeAdapter = Callable[..., BaseAdapter]
MESSAGES = [ChatMessage("system", "Be brief."), ChatMessage("user", "Say pong.")]
SCHEMA = {
    "type": "object",
    "properties": {"summary": {"type": "string"}},
    "required": ["summary"],
}

# Where each protocol carries the key, and the model field of a chat request.
AUTH_HEADER = {
    "openai": ("authorization", f"Bearer {KEY}"),
    "anthropic": ("authorization", f"Bearer {KEY}"),
    "gemini": ("x-goog-api-key", KEY),
    "ollama": ("authorization", f"Bearer {KEY}"),
}
CHAT_PATH = {
    "openai": "/v1/chat/completions",
    "anthropic": "/v1/messages",
    "gemini": "/v1/models/gemini-3.5-flash:generateContent",
    "ollama": "/api/chat",
}
DEFAULT_MODEL = {
    "openai": "gpt-4.1-mini",
    "anthropic": "claude-sonnet-5-5",
    "gemini": "gemini-3.5-flash",
    "ollama": "qwen3:8b",
}
# Output tokens added to max_tokens for the default model's thinking (binscribe.llm.thinking).
THINKING_ROOM = {"openai": 0, "anthropic": 0, "gemini": LEVEL_ROOM, "ollama": OLLAMA_THINKING_ROOM}


def max_tokens_sent(protocol: str, request: RecordedRequest) -> int:
    body = request.body
    if protocol == "gemini":
        return int(body["generationConfig"]["maxOutputTokens"])
    if protocol == "ollama":
        return int(body["options"]["num_predict"])
    return int(body["max_tokens"])


def chat_requests(server: ProtocolServer) -> list[RecordedRequest]:
    """The chat calls (Ollama's adapter also asks ``/api/show`` once for the capabilities)."""
    return [request for request in server.requests if request.route == "chat"]


def assert_no_key_in_urls(server: ProtocolServer) -> None:
    for request in server.requests:
        assert KEY not in request.raw_url
        assert "key=" not in request.raw_url


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_complete_sends_auth_model_and_max_tokens(
    protocol: str, llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(protocol)
    adapter = make_adapter(protocol, server)
    completion = await adapter.complete(MESSAGES, max_tokens=42, temperature=0.2)

    assert completion.text == "pong"
    assert completion.parsed is None
    assert completion.model == DEFAULT_MODEL[protocol]
    # Output tokens include thinking (reported apart): the answer itself is one token.
    assert completion.output_tokens == 1 + (completion.reasoning_tokens or 0)
    assert completion.input_tokens is not None and completion.input_tokens > 0
    assert completion.latency_ms >= 0
    [request] = chat_requests(server)
    assert (request.method, request.path) == ("POST", CHAT_PATH[protocol])
    header, value = AUTH_HEADER[protocol]
    assert request.headers[header] == value
    assert max_tokens_sent(protocol, request) == 42 + THINKING_ROOM[protocol]
    if protocol != "gemini":  # Gemini names the model in the path
        assert request.body["model"] == DEFAULT_MODEL[protocol]
    assert_no_key_in_urls(server)


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_probe_lists_models(
    protocol: str, llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(protocol)
    result = await make_adapter(protocol, server).probe()
    assert result.success is True
    assert result.error_code is None
    assert result.models == sorted(server.models)
    assert f"model '{DEFAULT_MODEL[protocol]}' is available" in result.message
    header, value = AUTH_HEADER[protocol]
    assert all(request.headers[header] == value for request in server.requests)
    assert_no_key_in_urls(server)


async def test_ollama_probe_reports_the_version(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("ollama")
    result = await make_adapter("ollama", server).probe()
    assert result.message.startswith("Connected to Ollama (version 0.12.3) in ")
    paths = [r.path for r in server.requests]
    assert paths == ["/api/tags", "/api/version", "/api/show", "/api/chat"]


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_probe_with_a_model_the_server_lacks(
    protocol: str, llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(protocol)
    result = await make_adapter(protocol, server, model="no-such-model").probe()
    assert (result.success, result.error_code) == (False, "model_not_found")
    assert result.models == sorted(server.models)
    assert "does not offer the model 'no-such-model'" in result.message


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_wrong_key_fails_probe_and_complete_without_echoing_it(
    protocol: str, llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(protocol)
    wrong = "sk-wrong-canary-9d8c7b6a5f4e"
    adapter = make_adapter(protocol, server, api_key=wrong)
    result = await adapter.probe()
    assert (result.success, result.error_code, result.models) == (False, "auth_failed", [])
    with pytest.raises(LLMError) as caught:
        await adapter.complete(MESSAGES, max_tokens=5, temperature=0)
    assert caught.value.code == "auth_failed"
    for text in (result.message, caught.value.message, str(caught.value)):
        assert wrong not in text
        assert wrong[3:11] not in text


# (step kind, expected code) for every error class, per protocol where the provider has it.
ERROR_CASES = [
    (protocol, kind, code)
    for protocol in PROTOCOLS
    for kind, code in [
        ("auth", "auth_failed"),
        ("quota", "quota_exceeded"),
        ("model_missing", "model_not_found"),
        ("rate_limit", "rate_limited"),
        ("server_error", "server_error"),
        ("context_too_long", "context_too_long"),
        ("malformed", "bad_response"),
        ("empty", "bad_response"),
    ]
    if not (protocol == "ollama" and kind == "quota")
]


@pytest.mark.parametrize(("protocol", "kind", "code"), ERROR_CASES)
async def test_error_classes(
    protocol: str, kind: str, code: str, llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(protocol)
    server.always(Step(kind))
    adapter = make_adapter(protocol, server)
    with pytest.raises(LLMError) as caught:
        await adapter.complete(MESSAGES, max_tokens=5, temperature=0)
    assert caught.value.code == code
    assert KEY not in caught.value.message
    retried = code in ("rate_limited", "server_error")
    assert len(server.requests) == (3 if retried else 1)
    result = await adapter.probe()
    assert (result.success, result.error_code) == (False, code)


async def test_openai_quota_and_rate_limit_are_told_apart(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("openai")
    adapter = make_adapter("openai", server)
    server.enqueue(Step("quota"))
    with pytest.raises(LLMError) as quota:
        await adapter.complete(MESSAGES, max_tokens=5, temperature=0)
    assert (quota.value.code, quota.value.retryable) == ("quota_exceeded", False)
    assert len(server.requests) == 1
    assert quota.value.message == (
        "The OpenAI-compatible server says the account has no credit or quota left; check "
        "billing and plan limits (HTTP 429: You exceeded your current quota, please check your "
        "plan and billing details.)."
    )


async def test_anthropic_overloaded_529_is_retried_as_rate_limited(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("anthropic")
    server.enqueue(Step("overloaded"), Step("overloaded"))
    completion = await make_adapter("anthropic", server).complete(
        MESSAGES, max_tokens=5, temperature=0
    )
    assert completion.text == "pong"
    assert len(server.requests) == 3


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_rate_limit_retry_after_is_honoured(
    protocol: str, llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(protocol)
    server.enqueue(Step("rate_limit", retry_after=0.6, routes=("chat",)))
    adapter = make_adapter(protocol, server)
    start = time.monotonic()
    completion = await adapter.complete(MESSAGES, max_tokens=5, temperature=0)
    elapsed = time.monotonic() - start
    assert completion.text == "pong"
    assert len(chat_requests(server)) == 2
    assert 0.6 <= elapsed < 5


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_server_error_then_success(
    protocol: str, llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(protocol)
    server.enqueue(Step("server_error", routes=("chat",)))
    completion = await make_adapter(protocol, server).complete(
        MESSAGES, max_tokens=5, temperature=0
    )
    assert completion.text == "pong"
    assert len(chat_requests(server)) == 2


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_reply_slower_than_the_timeout(
    protocol: str, llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(protocol)
    server.always(Step("slow", delay_s=3))
    adapter = make_adapter(protocol, server, timeout_s=0.5)
    start = time.monotonic()
    with pytest.raises(LLMError) as caught:
        await adapter.complete(MESSAGES, max_tokens=5, temperature=0)
    assert time.monotonic() - start < 2.5
    assert caught.value.code == "timeout"
    assert caught.value.message.endswith(
        "did not answer within 0.5 s. A large model may still be loading; raise the "
        "provider's timeout or try a smaller model."
    )
    assert len(server.requests) == 1


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_refused_connection_is_unreachable(
    protocol: str, llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(protocol)
    url = server.base_url
    server.stop()
    result = await make_adapter(protocol, None, endpoint_url=url).probe()
    assert (result.success, result.error_code) == (False, "unreachable")
    assert "the connection was refused" in result.message


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_json_output_parses_fenced_replies(
    protocol: str, llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(protocol, reply=lambda request: json.dumps({"summary": "adds numbers"}))
    server.enqueue(Step("fenced"))
    adapter = make_adapter(protocol, server)
    completion = await adapter.complete(MESSAGES, max_tokens=50, temperature=0, json_schema=SCHEMA)
    assert completion.parsed == {"summary": "adds numbers"}


async def test_json_request_shapes(llm_server: MakeServer, make_adapter: MakeAdapter) -> None:
    sent = {}
    for protocol in PROTOCOLS:
        server = llm_server(protocol, reply=lambda request: '{"summary": "s"}')
        adapter = make_adapter(protocol, server)
        completion = await adapter.complete(
            MESSAGES, max_tokens=50, temperature=0, json_schema=SCHEMA
        )
        assert completion.parsed == {"summary": "s"}
        sent[protocol] = server.requests[-1].body
    assert sent["openai"]["response_format"] == {
        "type": "json_schema",
        "json_schema": {
            "name": "response",
            "strict": True,
            "schema": {**SCHEMA, "additionalProperties": False},
        },
    }
    assert sent["anthropic"]["output_config"] == {
        "format": {"type": "json_schema", "schema": {**SCHEMA, "additionalProperties": False}}
    }
    assert "tools" not in sent["anthropic"] and "tool_choice" not in sent["anthropic"]
    assert sent["anthropic"]["system"] == "Be brief."
    assert sent["gemini"]["generationConfig"]["responseMimeType"] == "application/json"
    assert sent["gemini"]["generationConfig"]["responseJsonSchema"] == SCHEMA
    assert sent["gemini"]["systemInstruction"]["parts"] == [{"text": "Be brief."}]
    assert sent["ollama"]["format"] == SCHEMA
    assert sent["ollama"]["options"] == {
        "num_ctx": 8192,
        "num_predict": 50 + OLLAMA_THINKING_ROOM,
        "temperature": 0,
    }
    assert sent["ollama"]["think"] is True


async def test_openai_falls_back_when_response_format_is_rejected(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("openai", reply=lambda request: '{"summary": "s"}')
    server.always(Step("reject_response_format"))
    adapter = make_adapter("openai", server)
    for _ in range(2):
        completion = await adapter.complete(
            MESSAGES, max_tokens=50, temperature=0, json_schema=SCHEMA
        )
        assert completion.parsed == {"summary": "s"}
    schema_mode, object_mode, plain, second = (request.body for request in server.requests)
    assert schema_mode["response_format"]["type"] == "json_schema"
    assert object_mode["response_format"] == {"type": "json_object", "schema": SCHEMA}
    for body in (object_mode, plain, second):
        assert body["messages"][0]["role"] == "system"
        assert body["messages"][0]["content"].startswith("Reply with one JSON object only")
    assert "response_format" not in plain and "response_format" not in second


async def test_ollama_num_ctx_grows_with_the_prompt(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("ollama")
    long_prompt = [ChatMessage("user", "x" * 30000)]
    await make_adapter("ollama", server).complete(long_prompt, max_tokens=2000, temperature=0)
    assert server.requests[-1].body["options"]["num_ctx"] == 16384


async def test_sdks_never_pick_up_keys_from_the_environment(
    llm_server: MakeServer, make_adapter: MakeAdapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_key = "sk-env-canary-55aa66bb77cc"
    for name in ("OPENAI_API_KEY", "OLLAMA_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY"):
        monkeypatch.setenv(name, env_key)
    for protocol in PROTOCOLS:
        server = llm_server(protocol, api_key=None)
        adapter = make_adapter(protocol, server, api_key=None)
        result = await adapter.probe()
        for request in server.requests:
            assert env_key not in json.dumps(request.headers)
        if protocol in ("anthropic", "gemini"):
            assert (result.success, result.error_code) == (False, "auth_failed")
            assert server.requests == []
        else:
            assert result.success is True
    openai_request = next(iter(llm_server("openai", api_key=None).requests), None)
    assert openai_request is None


async def test_no_retries_for_probe_and_single_attempt_policy(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("openai")
    server.always(Step("server_error"))
    adapter = make_adapter("openai", server, retry_policy=RetryPolicy(attempts=1))
    result = await adapter.probe()
    assert (result.success, result.error_code) == (False, "server_error")
    with pytest.raises(LLMError):
        await adapter.complete(MESSAGES, max_tokens=5, temperature=0)
    assert len(server.requests) == 2


async def test_probe_of_a_server_listing_no_models(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("openai", models=[])
    result = await make_adapter("openai", server).probe()
    assert (result.success, result.error_code, result.models) == (True, None, [])
    assert result.message.endswith(
        "it listed no models, so model 'gpt-4.1-mini' could not be checked; a test completion "
        "worked."
    )
