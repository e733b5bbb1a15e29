"""Versioned prompt templates, read from the package's ``prompts/`` files.

A file ``<name>.<version>.md`` holds a system part and a user part separated by a line
``<!-- user -->``; placeholders are ``$name`` (:class:`string.Template`), so code braces in
pseudocode need no escaping. Changing a prompt's wording means adding a new version and bumping
:data:`PROMPT_VERSION`, which is part of the explanation cache key.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from string import Template

from binscribe.llm.base import ChatMessage

PROMPT_VERSION = "v1"
_SEPARATOR = "<!-- user -->"


@cache
def _load(name: str, version: str) -> tuple[Template, Template]:
    text = (resources.files("binscribe.explain") / "prompts" / f"{name}.{version}.md").read_text(
        encoding="utf-8"
    )
    system, separator, user = text.partition(_SEPARATOR)
    if not separator:
        raise ValueError(f"prompt {name}.{version} has no '{_SEPARATOR}' line")
    return Template(system.strip()), Template(user.strip())


def render(prompt: str, /, **values: object) -> list[ChatMessage]:
    """The system and user messages of ``prompt`` (its :data:`PROMPT_VERSION` file) with
    ``values`` filled in.

    Raises:
        KeyError: a placeholder has no value (a programming error).
    """
    system, user = _load(prompt, PROMPT_VERSION)
    text = {key: str(value) for key, value in values.items()}
    return [
        ChatMessage("system", system.substitute(text)),
        ChatMessage("user", user.substitute(text)),
    ]


def render_user(prompt: str, /, **values: object) -> str:
    """Only the user part of ``prompt`` (for follow-up turns such as the repair request)."""
    return _load(prompt, PROMPT_VERSION)[1].substitute({k: str(v) for k, v in values.items()})
