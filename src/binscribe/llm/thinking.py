"""What binscribe asks of each model family's thinking, from the model name and the provider's
``thinking_budget`` (tokens; None: our small default; 0: off where the model allows).

Thinking tokens count against the output budget on every provider, so each rule also says how
many tokens of ``room`` to add to the answer's ``max_tokens``. The rules come from the
providers' API references (cited per function); docs/llm-parameters.md explains them for users.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Explanations are short, structured answers: a little thinking helps, a lot only costs.
DEFAULT_THINKING_BUDGET = 1024
# Room for thinking we can only set as a level (Gemini 3 "low", Claude adaptive "low").
LEVEL_ROOM = 2048


def _version(model: str) -> tuple[int, int] | None:
    """(major, minor) from ``gemini-3.1-pro``, ``claude-sonnet-4-6``, ``claude-3-5-haiku-2024``;
    an 8-digit date suffix is not a version."""
    numbers = [int(n) for n in re.findall(r"(?<![0-9])(\d{1,2})(?![0-9])", model)]
    if not numbers:
        return None
    return numbers[0], numbers[1] if len(numbers) > 1 else 0


@dataclass(frozen=True)
class GeminiThinking:
    """``thinking_budget`` or ``thinking_level`` to send (never both: the API refuses that),
    ``room`` tokens added to ``maxOutputTokens``, and whether to send ``temperature``."""

    budget: int | None
    level: str | None
    room: int
    send_temperature: bool


# (lowest budget when thinking is on, highest, whether 0 turns it off) per Gemini 2.5 family.
# Source: ai.google.dev/gemini-api/docs/thinking ("Set budgets": 2.5 Pro 128-32768, cannot
# disable thinking; 2.5 Flash 0-24576; 2.5 Flash-Lite 512-24576, 0 disables).
GEMINI_25_BUDGETS: dict[str, tuple[int, int, bool]] = {
    "gemini-2.5-flash-lite": (512, 24576, True),
    "gemini-2.5-flash": (1, 24576, True),
    "gemini-2.5-pro": (128, 32768, False),
}


def gemini_thinking(model: str, budget: int | None) -> GeminiThinking:
    """Gemini 2.5: a ``thinkingBudget`` kept inside the family's range; Gemini 3 and later: level
    ``low`` (every Gemini 3 model accepts it) unless a budget is configured, which Gemini 3 still
    accepts; other models: nothing unless a budget is configured. Gemini 3 keeps its default
    temperature 1.0: Google warns lower values can make it loop (docs/gemini-3 "Temperature")."""
    name = model.lower().removeprefix("models/")
    family = next((f for f in GEMINI_25_BUDGETS if name.startswith(f)), None)
    if family is not None:
        low, high, can_disable = GEMINI_25_BUDGETS[family]
        wanted = DEFAULT_THINKING_BUDGET if budget is None else budget
        chosen = 0 if wanted == 0 and can_disable else min(max(wanted, low), high)
        return GeminiThinking(chosen, None, chosen, send_temperature=True)
    version = _version(name) if name.startswith("gemini-") else None
    if version is not None and version[0] >= 3:
        if budget is not None:
            return GeminiThinking(budget, None, budget, send_temperature=False)
        return GeminiThinking(None, "low", LEVEL_ROOM, send_temperature=False)
    if budget is not None:
        return GeminiThinking(budget, None, budget, send_temperature=True)
    return GeminiThinking(None, None, 0, send_temperature=True)


@dataclass(frozen=True)
class ClaudeThinking:
    """The ``thinking`` object to send (None: omit it), ``output_config.effort`` (None: omit),
    ``room`` tokens added to ``max_tokens``, and whether structured output goes through
    ``output_config.format`` (else a forced tool call)."""

    thinking: dict[str, Any] | None
    effort: str | None
    room: int
    json_output_format: bool


# Claude models that think whatever the request says (thinking.type "disabled" is a 400), and the
# ones whose lowest setting is "between_tools". Source: platform.claude.com/docs/en/
# build-with-claude/thinking-troubleshooting ("Thinking support, defaults, and rejected
# configurations by model") and models/opus-5-5/whats-new-opus-5-5.
_CLAUDE_ALWAYS_THINKS = ("claude-opus-5-5", "claude-fable-", "claude-mythos-")
_CLAUDE_BETWEEN_TOOLS = ("claude-sonnet-5-5",)


def _claude_version(name: str) -> tuple[int, int]:
    """(major, minor) of a Claude id; ids without one count as current (5, 5)."""
    return _version(name.removeprefix("claude-")) or (5, 5)


def claude_thinking(model: str, budget: int | None) -> ClaudeThinking:
    """Thinking off by default; a positive ``budget`` turns it on.

    Claude 4.5 and earlier know only ``{"type": "enabled", "budget_tokens": N}`` (N >= 1024 and
    below ``max_tokens``); 4.6 takes both that and adaptive; 4.7 and later refuse ``enabled``
    and take ``{"type": "adaptive"}`` with ``output_config.effort``. Claude 5 models think by
    default, so "off" is ``{"type": "disabled"}`` there (``between_tools`` on Sonnet 5.5), and
    the models that always think get adaptive thinking at effort ``low``. Structured output uses
    ``output_config.format`` on 4.5 and later (current models refuse a forced tool call).
    Sources: the thinking-troubleshooting table above; build-with-claude/extended-thinking;
    build-with-claude/structured-outputs.
    """
    name = model.lower()
    version = _claude_version(name)
    json_format = version >= (4, 5)
    always = name.startswith(_CLAUDE_ALWAYS_THINKS)
    if budget == 0 or (budget is None and not always):
        if always:
            return ClaudeThinking({"type": "adaptive"}, "low", LEVEL_ROOM, json_format)
        if name.startswith(_CLAUDE_BETWEEN_TOOLS):
            return ClaudeThinking({"type": "between_tools"}, None, 0, json_format)
        if version >= (5, 0):
            return ClaudeThinking({"type": "disabled"}, None, 0, json_format)
        return ClaudeThinking(None, None, 0, json_format)
    if budget is None:  # a model that always thinks, no budget configured
        return ClaudeThinking({"type": "adaptive"}, "low", LEVEL_ROOM, json_format)
    if version < (4, 7) and not always:
        tokens = max(budget, 1024)
        return ClaudeThinking(
            {"type": "enabled", "budget_tokens": tokens}, None, tokens, json_format
        )
    effort = "low" if budget <= 4096 else "medium" if budget <= 16384 else "high"
    return ClaudeThinking({"type": "adaptive"}, effort, budget, json_format)


# Ollama cannot bound thinking; this is the room we give it when no budget is configured.
OLLAMA_THINKING_ROOM = 4096


def ollama_think(model: str, budget: int | None) -> tuple[bool | str, int]:
    """The ``think`` value for a model with the ``thinking`` capability, and the room to add to
    ``num_predict``: gpt-oss takes levels only (booleans are ignored, it cannot stop thinking),
    so ``"low"``; other models True, or False when the budget is 0.
    Source: docs.ollama.com/capabilities/thinking."""
    room = budget or OLLAMA_THINKING_ROOM
    if model.lower().startswith("gpt-oss"):
        return "low", room
    if budget == 0:
        return False, 0
    return True, room
