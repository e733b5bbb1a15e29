"""The OpenAI adapter per model family against the strict OpenAI protocol server (real SDK):
reasoning models, the parameter and JSON-mode ladders under concurrency, strict structured
output, and the connection test's real completion."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import openai
import pytest

from binscribe.explain import schemas
from binscribe.llm.adapter import BaseAdapter
from binscribe.llm.base import ChatMessage
from binscribe.llm.errors import LLMError
from binscribe.llm.openai_json import strict_schema
from tests.integration.llm.conftest import KEY, PROTOCOLS
from tests.llm_servers.base import ProtocolServer, Step
from tests.llm_servers.openai_rules import check_response_format

MakeServer = Callable[..., ProtocolServer]
MakeAdapter = Callable[..., BaseAdapter]
MESSAGES = [ChatMessage("system", "Be brief."), ChatMessage("user", "Say pong.")]
SCHEMA = {
    "type": "object",
    "properties": {"summary": {"type": "string", "minLength": 1}, "note": {"type": "string"}},
    "required": ["summary"],
}


def chats(server: ProtocolServer) -> list[dict]:
    return [r.body for r in server.requests if r.route == "chat"]


@pytest.mark.parametrize(
    ("model", "reasoning"), [("gpt-5.4-mini", 64), ("gpt-5-mini", 64), ("o4-mini", 64)]
)
async def test_reasoning_models_get_their_parameters(
    model: str, reasoning: int, llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("openai", models=[model])
    adapter = make_adapter("openai", server, model=model)
    completion = await adapter.complete(MESSAGES, max_tokens=100, temperature=0.2)
    assert completion.text == "pong"
    assert (completion.reasoning_tokens, completion.output_tokens) == (reasoning, reasoning + 1)
    [body] = chats(server)
    assert body["max_completion_tokens"] == 100 + 4096
    assert body["reasoning_effort"] == "low"
    assert "max_tokens" not in body and "temperature" not in body and "top_p" not in body


async def test_configured_effort_is_sent_and_a_refused_one_is_reported(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("openai", models=["gpt-5.4-mini"])
    high = make_adapter(
        "openai", server, model="gpt-5.4-mini", options={"reasoning_effort": "high"}
    )
    completion = await high.complete(MESSAGES, max_tokens=10, temperature=0.2)
    assert completion.reasoning_tokens == 1024
    assert chats(server)[-1]["max_completion_tokens"] == 10 + 32_768
    minimal = make_adapter(
        "openai", server, model="gpt-5.4-mini", options={"reasoning_effort": "minimal"}
    )
    with pytest.raises(LLMError) as caught:
        await minimal.complete(MESSAGES, max_tokens=10, temperature=0.2)
    assert caught.value.code == "unsupported_parameter"
    assert caught.value.details == {"parameter": "reasoning_effort", "status": 400}
    assert caught.value.message.startswith(
        "The OpenAI-compatible server refuses the parameter 'reasoning_effort' for model "
        "'gpt-5.4-mini' (HTTP 400: Unsupported value: 'reasoning_effort' does not support "
        "'minimal' with this model."
    )


async def test_non_reasoning_model_keeps_max_tokens_and_temperature(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("openai")
    completion = await make_adapter("openai", server).complete(
        MESSAGES, max_tokens=42, temperature=0.2
    )
    assert (completion.text, completion.reasoning_tokens) == ("pong", 0)
    [body] = chats(server)
    assert (body["max_tokens"], body["temperature"]) == (42, 0.2)
    assert "reasoning_effort" not in body and "max_completion_tokens" not in body


async def test_parameter_ladder_is_learned_once_under_concurrency(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    # A deployment name hides a GPT-5 model: the adapter sends max_tokens and a temperature,
    # the server refuses both, one at a time.
    server = llm_server("openai", models=["prod"], deployments={"prod": "gpt-5.4-mini"})
    adapter = make_adapter("openai", server, model="prod", max_concurrency=4)
    results = await asyncio.gather(
        *(adapter.complete(MESSAGES, max_tokens=20, temperature=0.2) for _ in range(8))
    )
    assert [r.text for r in results] == ["pong"] * 8
    bodies = chats(server)
    refused_tokens = [b for b in bodies if "max_tokens" in b]
    refused_temperature = [b for b in bodies if "temperature" in b and "max_tokens" not in b]
    assert 1 <= len(refused_tokens) <= 4 and len(refused_temperature) <= 4
    assert len(bodies) == 8 + len(refused_tokens) + len(refused_temperature)
    later = await adapter.complete(MESSAGES, max_tokens=20, temperature=0.2)
    assert later.text == "pong"
    assert chats(server)[-1] == {
        "model": "prod",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Say pong."},
        ],
        "max_completion_tokens": 20,
    }


async def test_json_mode_ladder_never_runs_past_its_end(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(
        "openai", flavor="llama_cpp", reply=lambda request: json.dumps({"summary": "s"})
    )
    adapter = make_adapter("openai", server, max_concurrency=4)
    results = await asyncio.gather(
        *(
            adapter.complete(MESSAGES, max_tokens=50, temperature=0, json_schema=SCHEMA)
            for _ in range(12)
        )
    )
    assert [r.parsed for r in results] == [{"summary": "s"}] * 12
    kinds = [(b.get("response_format") or {}).get("type") for b in chats(server)]
    refused = kinds.count("json_schema")
    assert 1 <= refused <= 4
    assert kinds.count("json_object") == 12 and None not in kinds


async def test_server_refusing_every_json_mode_falls_back_to_plain_under_concurrency(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("openai", reply=lambda request: '{"summary": "s"}')
    server.always(Step("reject_response_format"))
    adapter = make_adapter("openai", server, max_concurrency=4)
    results = await asyncio.gather(
        *(
            adapter.complete(MESSAGES, max_tokens=50, temperature=0, json_schema=SCHEMA)
            for _ in range(8)
        )
    )
    assert [r.parsed for r in results] == [{"summary": "s"}] * 8
    plain = [b for b in chats(server) if "response_format" not in b]
    assert len(plain) == 8
    assert all(b["messages"][0]["content"].startswith("Reply with one JSON object") for b in plain)


async def test_strict_schema_is_accepted_and_nulls_of_optional_fields_are_dropped(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(
        "openai",
        models=["gpt-5.4-mini"],
        reply=lambda request: json.dumps({"summary": "s", "note": None}),
    )
    adapter = make_adapter("openai", server, model="gpt-5.4-mini")
    completion = await adapter.complete(MESSAGES, max_tokens=50, temperature=0, json_schema=SCHEMA)
    assert completion.parsed == {"summary": "s"}
    [body] = chats(server)
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {
            "name": "response",
            "strict": True,
            "schema": {
                "type": "object",
                "properties": {
                    "summary": {"type": "string"},
                    "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                },
                "required": ["summary", "note"],
                "additionalProperties": False,
            },
        },
    }


@pytest.mark.parametrize(
    "model",
    [
        schemas.FunctionExplanation,
        schemas.PartialSummary,
        schemas.ImportCapabilities,
        schemas.NotableStrings,
        schemas.ProgramSummary,
    ],
)
def test_every_explain_schema_passes_strict_rules(model: type) -> None:
    raw = schemas.json_schema_of(model)
    asked = {"type": "json_schema", "json_schema": {"name": "r", "strict": True}}
    refused = check_response_format(
        {"response_format": {**asked, "json_schema": {**asked["json_schema"], "schema": raw}}}
    )
    assert refused is not None and refused[0] == 400
    fixed = {**asked["json_schema"], "schema": strict_schema(raw)}
    assert check_response_format({"response_format": {**asked, "json_schema": fixed}}) is None


async def test_strict_server_refuses_as_openai_does_through_the_sdk(
    llm_server: MakeServer,
) -> None:
    server = llm_server("openai", models=["gpt-5.4-mini", "o3"])
    client = openai.AsyncOpenAI(api_key=KEY, base_url=server.base_url, max_retries=0)
    try:
        with pytest.raises(openai.BadRequestError) as tokens:
            await client.chat.completions.create(
                model="gpt-5.4-mini", messages=[{"role": "user", "content": "hi"}], max_tokens=5
            )
        with pytest.raises(openai.BadRequestError) as temperature:
            await client.chat.completions.create(
                model="o3", messages=[{"role": "user", "content": "hi"}], temperature=0.2
            )
        ok = await client.chat.completions.create(
            model="o3", messages=[{"role": "user", "content": "hi"}], temperature=1
        )
    finally:
        await client.close()
    assert tokens.value.body == {
        "message": "Unsupported parameter: 'max_tokens' is not supported with this model. "
        "Use 'max_completion_tokens' instead.",
        "type": "invalid_request_error",
        "param": "max_tokens",
        "code": "unsupported_parameter",
    }
    assert temperature.value.body == {
        "message": "Unsupported value: 'temperature' does not support 0.2 with this model. "
        "Only the default (1) value is supported.",
        "type": "invalid_request_error",
        "param": "temperature",
        "code": "unsupported_value",
    }
    assert ok.usage is not None and ok.usage.completion_tokens_details is not None
    assert ok.usage.completion_tokens_details.reasoning_tokens == 256


async def test_reasoning_that_uses_the_whole_budget_is_output_truncated(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    # The deployment hides an o-series model, so the adapter adds no reasoning room; the
    # stand-in thinks 256 tokens at the default effort, more than budgets of 100 and 200.
    server = llm_server("openai", models=["prod"], deployments={"prod": "o4-mini"})
    adapter = make_adapter("openai", server, model="prod")
    with pytest.raises(LLMError) as caught:
        await adapter.complete(MESSAGES, max_tokens=100, temperature=0.2)
    assert caught.value.code == "output_truncated"
    assert "used the whole output budget (200 tokens, thinking included)" in caught.value.message
    # Asked again once with twice the budget: both answers were empty, all thinking.
    answered = [b for b in chats(server) if "max_tokens" not in b and "temperature" not in b]
    assert [b["max_completion_tokens"] for b in answered] == [100, 200]


async def test_probe_makes_a_completion_with_the_jobs_parameters(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("openai", models=["gpt-5.4-mini"])
    result = await make_adapter("openai", server, model="gpt-5.4-mini").probe()
    assert (result.success, result.error_code) == (True, None)
    assert result.message.endswith(
        "model 'gpt-5.4-mini' is available (1 models listed); a test completion worked."
    )
    [body] = chats(server)
    assert body["max_completion_tokens"] == 16 + 4096
    assert body["reasoning_effort"] == "low"
    assert body["response_format"]["json_schema"]["strict"] is True


async def test_probe_reports_a_refused_parameter_by_name(
    llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server("openai", models=["o4-mini"])
    adapter = make_adapter(
        "openai", server, model="o4-mini", options={"reasoning_effort": "minimal"}
    )
    result = await adapter.probe()
    assert (result.success, result.error_code, result.models) == (
        False,
        "unsupported_parameter",
        ["o4-mini"],
    )
    assert result.message.startswith(
        "Connected to the OpenAI-compatible server, model 'o4-mini' is listed, but a test "
        "completion failed: The OpenAI-compatible server refuses the parameter "
        "'reasoning_effort' for model 'o4-mini'"
    )


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_probe_catches_a_model_that_lists_but_cannot_complete(
    protocol: str, llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(protocol)
    server.enqueue(Step("model_missing", routes=tuple(server.chat_routes)))
    result = await make_adapter(protocol, server).probe()
    assert (result.success, result.error_code) == (False, "model_not_found")
    assert ", but a test completion failed: " in result.message
    assert result.models == sorted(server.models)
