"""Thinking models of Gemini, Anthropic and Ollama through their real SDKs against the strict
protocol servers: what each adapter sends, thinking tokens counted apart, an answer the output
budget cut short asked again once with a larger budget, and the servers' documented refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import anthropic
import ollama
import pytest

from binscribe.llm.adapter import BaseAdapter
from binscribe.llm.base import ChatMessage
from binscribe.llm.errors import LLMError
from binscribe.llm.thinking import LEVEL_ROOM, OLLAMA_THINKING_ROOM
from tests.integration.llm.conftest import KEY
from tests.llm_servers.base import ProtocolServer

MakeServer = Callable[..., ProtocolServer]
MakeAdapter = Callable[..., BaseAdapter]
MESSAGES = [ChatMessage("system", "Answer in JSON."), ChatMessage("user", "Explain main.")]
SCHEMA = {
    "type": "object",
    "properties": {"summary": {"type": "string"}, "confidence": {"type": "number", "minimum": 0}},
    "required": ["summary", "confidence"],
}
ANSWER = '{"summary": "Checks a password.", "confidence": 0.75}'


def chats(server: ProtocolServer) -> list[dict[str, Any]]:
    return [r.body for r in server.requests if r.route == "chat"]


def generation(request: dict[str, Any]) -> dict[str, Any]:
    return dict(request["generationConfig"])


# ---- Gemini -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "budget", "thinking", "room"),
    [
        ("gemini-3.5-flash", None, {"thinking_level": "LOW"}, LEVEL_ROOM),
        ("gemini-3.5-flash", 3000, {"thinking_budget": 3000}, 3000),
        ("gemini-2.5-flash", None, {"thinking_budget": 1024}, 1024),
        ("gemini-2.5-flash", 0, {"thinking_budget": 0}, 0),
        # 2.5 Pro cannot stop thinking: 0 becomes its lowest budget, 128.
        ("gemini-2.5-pro", 0, {"thinking_budget": 128}, 128),
        ("gemini-2.5-flash-lite", 100, {"thinking_budget": 512}, 512),
    ],
)
async def test_gemini_sets_thinking_and_room_for_it(
    llm_server: MakeServer,
    make_adapter: MakeAdapter,
    model: str,
    budget: int | None,
    thinking: dict[str, Any],
    room: int,
) -> None:
    server = llm_server("gemini", reply=lambda _: ANSWER, models=[model])
    adapter = make_adapter("gemini", server, model=model, thinking_budget=budget)
    completion = await adapter.complete(
        MESSAGES, max_tokens=300, temperature=0.2, json_schema=SCHEMA
    )

    assert completion.parsed == json.loads(ANSWER)
    [sent] = chats(server)
    config = generation(sent)
    assert config["thinkingConfig"] == thinking
    assert config["maxOutputTokens"] == 300 + room
    assert config["responseMimeType"] == "application/json"
    # Gemini 3 keeps its default temperature (Google: lower values can make it loop).
    assert ("temperature" in config) is model.startswith("gemini-2.5")
    thoughts = {"LOW": 300}.get(thinking.get("thinking_level", ""), thinking.get("thinking_budget"))
    assert completion.reasoning_tokens == (thoughts or None)
    assert completion.output_tokens == len(ANSWER) // 4 + (thoughts or 0)


async def test_gemini_thoughts_using_the_whole_budget_are_asked_again_with_twice_the_budget(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    # The model thinks 3000 tokens at level low: 600 + 2048 room leaves no text (MAX_TOKENS).
    server = llm_server("gemini", reply=lambda _: ANSWER, thoughts={"low": 3000})
    completion = await make_adapter("gemini", server).complete(
        MESSAGES, max_tokens=600, temperature=0, json_schema=SCHEMA
    )
    assert completion.parsed == json.loads(ANSWER)
    assert [generation(b)["maxOutputTokens"] for b in chats(server)] == [2648, 3248]
    # Both calls are billed: 2648 thoughts in the first (cut short), 3000 in the second.
    assert completion.reasoning_tokens == 2648 + 3000
    assert completion.output_tokens == 2648 + 3000 + len(ANSWER) // 4


async def test_gemini_cut_short_twice_is_output_truncated(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("gemini", reply=lambda _: ANSWER, thoughts={"low": 50_000})
    with pytest.raises(LLMError) as caught:
        await make_adapter("gemini", server).complete(
            MESSAGES, max_tokens=600, temperature=0, json_schema=SCHEMA
        )
    assert caught.value.code == "output_truncated"
    assert caught.value.message.startswith("Gemini used the whole output budget (1200 tokens")
    assert len(chats(server)) == 2


async def test_gemini_json_cut_off_by_the_budget_is_asked_again(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    # Thinking off, 8 tokens of budget: the JSON answer (13 tokens) is cut mid-object.
    server = llm_server("gemini", reply=lambda _: ANSWER)
    adapter = make_adapter("gemini", server, model="gemini-2.5-flash", thinking_budget=0)
    completion = await adapter.complete(MESSAGES, max_tokens=8, temperature=0, json_schema=SCHEMA)
    assert completion.parsed == json.loads(ANSWER)
    assert [generation(b)["maxOutputTokens"] for b in chats(server)] == [8, 16]


@pytest.mark.parametrize(
    ("model", "config", "message"),
    [
        ("gemini-2.5-pro", {"thinkingConfig": {"thinkingBudget": 0}}, "Budget 0 is invalid"),
        ("gemini-2.5-flash", {"thinkingConfig": {"thinkingBudget": 30000}}, "between 0 and 24576"),
        ("gemini-2.5-flash", {"thinkingConfig": {"thinkingLevel": "LOW"}}, "not supported"),
        (
            "gemini-3.5-flash",
            {"thinkingConfig": {"thinkingLevel": "LOW", "thinkingBudget": 100}},
            "only set one",
        ),
        ("gemini-3.5-flash", {"maxOutputTokens": 70000}, "exceeds the limit"),
        ("gemini-3.5-flash", {"responseJsonSchema": SCHEMA}, "application/json"),
    ],
)
async def test_gemini_server_refuses_what_the_api_refuses(
    llm_server: MakeServer, model: str, config: dict[str, Any], message: str
) -> None:
    from google import genai
    from google.genai import errors, types

    server = llm_server("gemini")
    client = genai.Client(
        api_key=KEY, http_options=types.HttpOptions(base_url=server.base_url, api_version="v1beta")
    )
    with pytest.raises(errors.ClientError) as caught:
        await client.aio.models.generate_content(
            model=model,
            contents="hi",
            config=types.GenerateContentConfig.model_validate(
                {_snake(k): v for k, v in config.items()}
            ),
        )
    assert caught.value.code == 400
    assert message in str(caught.value.message)
    await client.aio.aclose()


def _snake(name: str) -> str:
    return {
        "thinkingConfig": "thinking_config",
        "maxOutputTokens": "max_output_tokens",
        "responseJsonSchema": "response_json_schema",
    }[name]


# ---- Anthropic --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "budget", "thinking", "effort", "room", "reasoning"),
    [
        # Thinking off by default: Sonnet 5.5's off switch is between_tools, Sonnet 5 disabled,
        # 4.x models think only when asked, so nothing is sent.
        ("claude-sonnet-5-5", None, {"type": "between_tools"}, None, 0, 0),
        ("claude-sonnet-5", None, {"type": "disabled"}, None, 0, 0),
        ("claude-sonnet-4-6", None, None, None, 0, 0),
        # Opus 5.5 always thinks: adaptive at effort low, with room for it.
        ("claude-opus-5-5", None, {"type": "adaptive"}, "low", LEVEL_ROOM, 200),
        # With a budget: manual budget_tokens (at least 1024) up to 4.6, adaptive + effort after.
        ("claude-haiku-4-5", 500, {"type": "enabled", "budget_tokens": 1024}, None, 1024, 1024),
        ("claude-sonnet-4-6", 2048, {"type": "enabled", "budget_tokens": 2048}, None, 2048, 2048),
        ("claude-sonnet-5-5", 8000, {"type": "adaptive"}, "medium", 8000, 1000),
    ],
)
async def test_anthropic_thinking_per_model_family(
    llm_server: MakeServer,
    make_adapter: MakeAdapter,
    model: str,
    budget: int | None,
    thinking: dict[str, Any] | None,
    effort: str | None,
    room: int,
    reasoning: int,
) -> None:
    server = llm_server("anthropic", reply=lambda _: ANSWER, models=[model])
    adapter = make_adapter("anthropic", server, model=model, thinking_budget=budget)
    completion = await adapter.complete(
        MESSAGES, max_tokens=300, temperature=0.2, json_schema=SCHEMA
    )

    assert completion.parsed == json.loads(ANSWER)
    assert completion.reasoning_tokens == reasoning
    assert completion.output_tokens == len(ANSWER) // 4 + reasoning
    [sent] = chats(server)
    assert sent.get("thinking") == thinking
    assert sent["max_tokens"] == 300 + room
    assert "temperature" not in sent
    output_config = sent["output_config"]
    assert output_config.get("effort") == effort
    # Structured output, the schema made to the API's rules (no minimum, objects closed).
    schema = output_config["format"]["schema"]
    assert output_config["format"]["type"] == "json_schema"
    assert schema["additionalProperties"] is False
    assert "minimum" not in schema["properties"]["confidence"]
    assert "tools" not in sent


async def test_anthropic_models_before_4_5_answer_through_a_forced_tool(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("anthropic", reply=lambda _: ANSWER, models=["claude-sonnet-4"])
    adapter = make_adapter("anthropic", server, model="claude-sonnet-4")
    completion = await adapter.complete(MESSAGES, max_tokens=300, temperature=0, json_schema=SCHEMA)
    assert completion.parsed == json.loads(ANSWER)
    [sent] = chats(server)
    assert sent["tool_choice"] == {"type": "tool", "name": "respond"}
    assert sent["tools"][0]["input_schema"] == SCHEMA
    assert "output_config" not in sent and "thinking" not in sent


async def test_anthropic_max_tokens_stop_is_asked_again_then_output_truncated(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("anthropic", reply=lambda _: ANSWER, thoughts={"low": 2900})
    adapter = make_adapter("anthropic", server, model="claude-opus-5-5")
    completion = await adapter.complete(MESSAGES, max_tokens=600, temperature=0, json_schema=SCHEMA)
    assert completion.parsed == json.loads(ANSWER)
    assert [b["max_tokens"] for b in chats(server)] == [2648, 3248]
    assert completion.reasoning_tokens == 2648 + 2900

    server = llm_server("anthropic", reply=lambda _: ANSWER, thoughts={"low": 9000})
    adapter = make_adapter("anthropic", server, model="claude-opus-5-5")
    with pytest.raises(LLMError) as caught:
        await adapter.complete(MESSAGES, max_tokens=600, temperature=0, json_schema=SCHEMA)
    assert caught.value.code == "output_truncated"
    assert len(chats(server)) == 2


@pytest.mark.parametrize(
    ("model", "extra", "message"),
    [
        ("claude-sonnet-4-6", {"thinking": {"type": "enabled", "budget_tokens": 512}}, "1024"),
        (
            "claude-sonnet-4-6",
            {"thinking": {"type": "enabled", "budget_tokens": 4000}},
            "`max_tokens` must be greater than `thinking.budget_tokens`",
        ),
        ("claude-opus-5-5", {"thinking": {"type": "disabled"}}, '"thinking.type.disabled" is not'),
        ("claude-sonnet-5", {"thinking": {"type": "enabled", "budget_tokens": 2000}}, "adaptive"),
        ("claude-haiku-4-5", {"thinking": {"type": "adaptive"}}, '"thinking.type.adaptive"'),
        (
            "claude-sonnet-5-5",
            {
                "tools": [{"name": "respond", "input_schema": {"type": "object"}}],
                "tool_choice": {"type": "tool", "name": "respond"},
            },
            "tool_choice forces tool use",
        ),
        ("claude-sonnet-4-6", {"tools": [{"name": "bad name", "input_schema": {}}]}, "pattern"),
        (
            "claude-sonnet-4-6",
            {"output_config": {"format": {"type": "json_schema", "schema": SCHEMA}}},
            "additionalProperties",
        ),
        ("claude-haiku-4-5", {"output_config": {"effort": "low"}}, "effort"),
    ],
)
async def test_anthropic_server_refuses_what_the_api_refuses(
    llm_server: MakeServer, model: str, extra: dict[str, Any], message: str
) -> None:
    server = llm_server("anthropic", models=[model])
    client = anthropic.AsyncAnthropic(api_key=KEY, base_url=server.base_url, max_retries=0)
    with pytest.raises(anthropic.BadRequestError) as caught:
        await client.messages.create(
            model=model, max_tokens=3000, messages=[{"role": "user", "content": "hi"}], **extra
        )
    assert message in caught.value.message
    await client.close()


async def test_anthropic_server_requires_max_tokens(llm_server: MakeServer) -> None:
    server = llm_server("anthropic")
    client = anthropic.AsyncAnthropic(api_key=KEY, base_url=server.base_url, max_retries=0)
    with pytest.raises(anthropic.BadRequestError) as caught:
        await client.post(
            "/v1/messages",
            body={"model": "claude-sonnet-5-5", "messages": [{"role": "user", "content": "hi"}]},
            cast_to=object,
        )
    assert "max_tokens: Field required" in caught.value.message
    await client.close()


# ---- Ollama -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "budget", "think", "room"),
    [
        ("qwen3:8b", None, True, OLLAMA_THINKING_ROOM),
        ("qwen3:8b", 2000, True, 2000),
        ("qwen3:8b", 0, False, 0),
        ("gpt-oss:20b", 0, "low", OLLAMA_THINKING_ROOM),  # gpt-oss cannot stop thinking
        ("qwen2.5-coder:7b", None, None, 0),  # no thinking capability: no think field
    ],
)
async def test_ollama_think_per_model_capability(
    llm_server: MakeServer,
    make_adapter: MakeAdapter,
    model: str,
    budget: int | None,
    think: bool | str | None,
    room: int,
) -> None:
    server = llm_server("ollama", reply=lambda _: ANSWER, models=[model])
    adapter = make_adapter("ollama", server, model=model, thinking_budget=budget)
    first = await adapter.complete(MESSAGES, max_tokens=300, temperature=0.2, json_schema=SCHEMA)
    await adapter.complete(MESSAGES, max_tokens=300, temperature=0.2, json_schema=SCHEMA)

    # The capabilities are asked once per adapter.
    assert [r.route for r in server.requests] == ["show", "chat", "chat"]
    assert server.requests[0].body == {"model": model}
    sent = chats(server)[0]
    assert sent.get("think") == think
    assert sent["options"]["num_predict"] == 300 + room
    assert sent["format"] == SCHEMA
    # The reasoning comes apart from the answer, which parses as it is.
    assert first.text == ANSWER and first.parsed == json.loads(ANSWER)
    thinks = think not in (None, False)
    assert first.output_tokens == len(ANSWER) // 4 + (400 if thinks else 0)
    # Ollama reports one count for both: split by characters of thinking (1500) and answer.
    estimate = round(first.output_tokens * 1500 / (1500 + len(ANSWER)))
    assert first.reasoning_tokens == (estimate if thinks else None)


async def test_ollama_thinking_that_fills_num_predict_is_asked_again(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("ollama", reply=lambda _: ANSWER, thoughts=4500)
    completion = await make_adapter("ollama", server).complete(
        MESSAGES, max_tokens=300, temperature=0, json_schema=SCHEMA
    )
    assert completion.parsed == json.loads(ANSWER)
    assert [b["options"]["num_predict"] for b in chats(server)] == [4396, 4696]


async def test_ollama_server_refuses_think_for_a_model_without_thinking(
    llm_server: MakeServer,
) -> None:
    server = llm_server("ollama", api_key=None)
    client = ollama.AsyncClient(host=server.base_url)
    with pytest.raises(ollama.ResponseError) as caught:
        await client.chat(
            model="qwen2.5-coder:7b", messages=[{"role": "user", "content": "hi"}], think=True
        )
    assert caught.value.status_code == 400
    assert caught.value.error == '"qwen2.5-coder:7b" does not support thinking'
    await client._client.aclose()
