"""Versioned prompt templates, read from the package's ``prompts/`` files, and the framing of
binary-derived content as data.

A file ``<name>.<version>.md`` holds a system part and a user part separated by a line
``<!-- user -->``; placeholders are ``$name`` (:class:`string.Template`), so code braces in
pseudocode need no escaping. Changing a prompt's wording means adding a new version and bumping
:data:`PROMPT_VERSION`, which is part of the explanation cache key.

Containment of prompt injection: every value that came from the binary or from an earlier model
answer is passed as :class:`Data` and rendered as a data block fenced by a boundary drawn at
random for each request (``<<<DATA-<16 hex>`` ... ``DATA-<16 hex>>>``), which the binary's author
cannot predict; an occurrence of the boundary inside the content is escaped. ``data_rules``
(appended to every system message) tells the model that nothing inside a data block is an
instruction. Names and strings inside blocks are JSON-quoted by the callers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template

from binscribe.llm.base import ChatMessage

PROMPT_VERSION = "v3"
_SEPARATOR = "<!-- user -->"
_RULES = "data_rules"
BOUNDARY_ESCAPE = "[boundary removed]"


@dataclass(frozen=True)
class Data:
    """A prompt value taken from the binary (names, strings, code, metadata) or from a model's
    earlier answer: rendered as a fenced data block, never as instruction text."""

    text: str


def new_boundary() -> str:
    """A fresh data-block boundary: ``DATA-`` and 64 random bits in hex."""
    return f"DATA-{secrets.token_hex(8)}"


def fence(text: str, boundary: str) -> str:
    """``text`` as a data block delimited by ``boundary``; any occurrence of the boundary in
    ``text`` is replaced by :data:`BOUNDARY_ESCAPE` so the content cannot close the block."""
    return f"<<<{boundary}\n{text.replace(boundary, BOUNDARY_ESCAPE)}\n{boundary}>>>"


def _read(name: str, version: str) -> str:
    return (resources.files("binscribe.explain") / "prompts" / f"{name}.{version}.md").read_text(
        encoding="utf-8"
    )


@cache
def _load(name: str, version: str) -> tuple[Template, Template]:
    system, separator, user = _read(name, version).partition(_SEPARATOR)
    if not separator:
        raise ValueError(f"prompt {name}.{version} has no '{_SEPARATOR}' line")
    return Template(system.strip()), Template(user.strip())


@cache
def _rules(version: str) -> Template:
    return Template(_read(_RULES, version).strip())


def _texts(values: dict[str, object], boundary: str) -> dict[str, str]:
    return {
        key: fence(value.text, boundary) if isinstance(value, Data) else str(value)
        for key, value in values.items()
    }


def render(prompt: str, /, **values: object) -> list[ChatMessage]:
    """The system and user messages of ``prompt`` (its :data:`PROMPT_VERSION` file) with
    ``values`` filled in: :class:`Data` values as data blocks under one new random boundary,
    others as plain text (only the engine's own words and numbers). The system message ends
    with the data rules naming that boundary.

    Raises:
        KeyError: a placeholder has no value (a programming error).
    """
    system, user = _load(prompt, PROMPT_VERSION)
    boundary = new_boundary()
    text = _texts(values, boundary)
    rules = _rules(PROMPT_VERSION).substitute(boundary=boundary)
    return [
        ChatMessage("system", f"{system.substitute(text)}\n\n{rules}"),
        ChatMessage("user", user.substitute(text)),
    ]


def render_user(prompt: str, /, **values: object) -> str:
    """Only the user part of ``prompt`` (for follow-up turns such as the repair request, which
    carry no data blocks)."""
    return _load(prompt, PROMPT_VERSION)[1].substitute({k: str(v) for k, v in values.items()})
