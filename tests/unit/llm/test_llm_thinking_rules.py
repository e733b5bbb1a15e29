"""The model-family rules of binscribe.llm.thinking that the adapter tests do not reach."""

from __future__ import annotations

import pytest

from binscribe.llm.thinking import (
    LEVEL_ROOM,
    ClaudeThinking,
    GeminiThinking,
    claude_thinking,
    gemini_thinking,
)


@pytest.mark.parametrize(
    ("model", "budget", "expected"),
    [
        ("models/gemini-2.5-pro-preview-05-06", 100_000, GeminiThinking(32768, None, 32768, True)),
        ("gemini-3.1-pro-preview", None, GeminiThinking(None, "low", LEVEL_ROOM, False)),
        ("gemini-2.0-flash", None, GeminiThinking(None, None, 0, True)),  # no thinking
        ("gemma-3-27b-it", 500, GeminiThinking(500, None, 500, True)),
    ],
)
def test_gemini_rules(model: str, budget: int | None, expected: GeminiThinking) -> None:
    assert gemini_thinking(model, budget) == expected


@pytest.mark.parametrize(
    ("model", "budget", "expected"),
    [
        # Fable always thinks; a 0 budget cannot turn it off, only keep it low.
        ("claude-fable-5-1", 0, ClaudeThinking({"type": "adaptive"}, "low", LEVEL_ROOM, True)),
        ("claude-opus-4-7", 20_000, ClaudeThinking({"type": "adaptive"}, "high", 20_000, True)),
        ("claude-opus-4-7", None, ClaudeThinking(None, None, 0, True)),
        ("claude-haiku-5-5", None, ClaudeThinking({"type": "disabled"}, None, 0, True)),
        # Dated snapshot ids keep their version; 3.x models use a forced tool for JSON.
        ("claude-sonnet-4-5-20250929", None, ClaudeThinking(None, None, 0, True)),
        (
            "claude-3-5-haiku-20241022",
            2000,
            ClaudeThinking({"type": "enabled", "budget_tokens": 2000}, None, 2000, False),
        ),
        # An id without a version (a proxy's alias) is taken as a current model.
        ("claude-custom", None, ClaudeThinking({"type": "disabled"}, None, 0, True)),
    ],
)
def test_claude_rules(model: str, budget: int | None, expected: ClaudeThinking) -> None:
    assert claude_thinking(model, budget) == expected
