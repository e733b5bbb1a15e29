"""Pricing, JSON extraction from reply text, and Ollama's context size."""

from __future__ import annotations

import pytest

from binscribe.llm.base import ChatMessage
from binscribe.llm.jsontext import extract_json
from binscribe.llm.ollama_adapter import context_size
from binscribe.llm.pricing import estimate_cost, price_of


def test_estimate_cost_for_known_models_and_snapshots() -> None:
    assert estimate_cost("gpt-4.1-mini", 1_000_000, 1_000_000) == pytest.approx(2.00)
    assert estimate_cost("claude-sonnet-4-5-20250929", 2000, 500) == pytest.approx(0.0135)
    assert estimate_cost("models/gemini-2.5-flash", 10_000, 0) == pytest.approx(0.003)
    price = price_of("gpt-4o-mini-2024-07-18")
    assert price is not None and (price.input, price.output) == (0.15, 0.60)


def test_unknown_models_and_counts_have_no_cost() -> None:
    assert estimate_cost("qwen2.5-coder:7b", 1000, 1000) is None
    assert estimate_cost("gpt-4.1-mini", None, 10) is None
    assert estimate_cost("gpt-4.1-mini", 0, 0) == 0.0


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"a": 1}', {"a": 1}),
        ('```json\n{"a": 1}\n```', {"a": 1}),
        ('<think>hmm {"no": 0}</think>\n```\n[1, 2]\n```', [1, 2]),
        ('Sure! Here it is: {"a": {"b": 2}} Hope it helps.', {"a": {"b": 2}}),
        ("no json here", None),
        ('{"a": ', None),
    ],
)
def test_extract_json(text: str, value: object) -> None:
    assert extract_json(text) == value


@pytest.mark.parametrize(
    ("chars", "max_tokens", "num_ctx"),
    [(0, 100, 4096), (9000, 1000, 4096), (12000, 1000, 8192), (60000, 4096, 32768)],
)
def test_ollama_context_size(chars: int, max_tokens: int, num_ctx: int) -> None:
    messages = [ChatMessage("system", "x" * (chars // 2)), ChatMessage("user", "y" * (chars // 2))]
    assert context_size(messages, max_tokens) == num_ctx
