"""Model-family parameters, the ladders and the strict-schema rewrite of the OpenAI adapter."""

from __future__ import annotations

import pytest

from binscribe.explain.schemas import FunctionExplanation, json_schema_of
from binscribe.llm.openai_json import JsonModeLadder, drop_optional_nulls, strict_schema
from binscribe.llm.openai_params import (
    ParameterLadder,
    ReasoningEffort,
    chat_parameters,
    is_reasoning_model,
    refused_parameter,
)

OPENAI_ORDER = ("max_completion_tokens", "max_tokens")


@pytest.mark.parametrize(
    ("model", "reasoning"),
    [
        ("gpt-5", True),
        ("gpt-5.4-mini", True),
        ("gpt-5-nano-2025-08-07", True),
        ("openai/gpt-5-mini", True),
        ("o1", True),
        ("o3-mini", True),
        ("o4-mini", True),
        ("gpt-5-chat-latest", False),
        ("gpt-4.1-mini", False),
        ("gpt-4o", False),
        ("qwen3:8b", False),
        ("smollm2", False),
    ],
)
def test_reasoning_families(model: str, reasoning: bool) -> None:
    assert is_reasoning_model(model) is reasoning


def test_parameters_per_family() -> None:
    ladder = ParameterLadder(OPENAI_ORDER, droppable=frozenset({"temperature"}))
    common = {"max_tokens": 500, "temperature": 0.2, "reasoning_effort": None}
    assert chat_parameters(ladder, model="gpt-5-mini", **common) == {
        "max_completion_tokens": 500 + 4096,
        "reasoning_effort": "low",
    }
    assert chat_parameters(ladder, model="gpt-4.1-mini", **common) == {
        "max_completion_tokens": 500,
        "temperature": 0.2,
    }
    high = {**common, "reasoning_effort": ReasoningEffort.HIGH}
    assert chat_parameters(ladder, model="o3", **high) == {
        "max_completion_tokens": 500 + 32_768,
        "reasoning_effort": "high",
    }
    assert chat_parameters(ladder, model="qwen3", **high) == {
        "max_completion_tokens": 500,
        "temperature": 0.2,
        "reasoning_effort": "high",
    }


def test_parameter_ladder_steps_once_and_never_past_its_end() -> None:
    ladder = ParameterLadder(("max_tokens", "max_completion_tokens"), droppable=frozenset())
    common = {"model": "m", "max_tokens": 10, "temperature": 0.0, "reasoning_effort": None}
    assert ladder.refuse("max_tokens") and ladder.refuse("max_tokens")  # concurrent refusals
    assert chat_parameters(ladder, **common) == {"max_completion_tokens": 10, "temperature": 0.0}
    assert ladder.refuse("temperature") is False  # not droppable here: reported instead
    assert ladder.refuse("max_completion_tokens")
    assert chat_parameters(ladder, **common) is None


def test_json_mode_ladder_stops_at_plain() -> None:
    ladder = JsonModeLadder()
    for _ in range(3):  # concurrent refusals of the same mode move it one step
        ladder.refuse("json_schema")
    assert ladder.current() == "json_object"
    ladder.refuse("json_object")
    ladder.refuse("plain")
    assert ladder.current() == "plain"


@pytest.mark.parametrize(
    ("status", "body", "refused"),
    [
        (400, {"error": {"param": "max_tokens", "code": "unsupported_parameter"}}, "max_tokens"),
        (400, {"error": {"message": "Unknown parameter: 'reasoning_effort'."}}, "reasoning_effort"),
        (
            422,
            {"detail": [{"type": "extra_forbidden", "loc": ["body", "max_completion_tokens"]}]},
            "max_completion_tokens",
        ),
        (400, {"error": {"message": "'max_tokens' is too large: 9000."}}, None),
        (429, {"error": {"param": "max_tokens", "code": "unsupported_parameter"}}, None),
    ],
)
def test_refused_parameter(status: int, body: object, refused: str | None) -> None:
    sent = ["max_tokens", "max_completion_tokens", "temperature", "reasoning_effort"]
    assert refused_parameter(status, body, sent) == refused


def test_strict_schema_and_back() -> None:
    raw = json_schema_of(FunctionExplanation)
    strict = strict_schema(raw)
    assert strict["required"] == list(raw["properties"])
    assert strict["additionalProperties"] is False
    assert strict["properties"]["summary"] == {
        "description": "one or two sentences",
        "title": "Summary",
        "type": "string",
    }
    assert strict["properties"]["return_value"] == {
        "anyOf": [{"title": "Return Value", "type": "string"}, {"type": "null"}]
    }
    evidence = strict["$defs"]["Evidence"]
    assert (evidence["required"], evidence["additionalProperties"]) == (
        ["kind", "value", "supports"],
        False,
    )
    answer = {
        "summary": "s",
        "explanation": "e",
        "category": "utility",
        "confidence": 0.5,
        "return_value": None,
        "parameters": None,
        "evidence": [{"kind": "import", "value": "puts", "supports": None}],
    }
    cleaned = drop_optional_nulls(answer, raw)
    assert cleaned == {
        "summary": "s",
        "explanation": "e",
        "category": "utility",
        "confidence": 0.5,
        "evidence": [{"kind": "import", "value": "puts"}],
    }
    assert FunctionExplanation.model_validate(cleaned).return_value == ""
