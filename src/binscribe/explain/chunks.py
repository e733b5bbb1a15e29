"""Token estimates and splitting text that is too large for one prompt.

The estimate is deliberately pessimistic (one token per three characters: code and hex tokenize
densely), so a prompt judged to fit does fit in the model's context.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

CHARS_PER_TOKEN = 3


def estimate_tokens(text: str) -> int:
    """Tokens ``text`` will probably take: ceil(characters / 3)."""
    return -(-len(text) // CHARS_PER_TOKEN)


@dataclass(frozen=True)
class LinePart:
    """Lines ``first``..``last`` (1-based, inclusive) of a text, joined as ``text``."""

    first: int
    last: int
    text: str

    @property
    def lines(self) -> int:
        """Number of lines in the part."""
        return self.last - self.first + 1


def split_lines(text: str, *, max_tokens: int) -> list[LinePart]:
    """``text`` cut at line boundaries into parts of at most ``max_tokens`` (estimated) each.

    A single line longer than the budget is cut to it (its tail is dropped, the line counts as
    covered). ``max_tokens`` must be positive.
    """
    limit = max_tokens * CHARS_PER_TOKEN
    parts: list[LinePart] = []
    current: list[str] = []
    size = 0
    first = 1
    for number, line in enumerate(text.splitlines(), start=1):
        line = line[:limit]
        if current and size + len(line) + 1 > limit:
            parts.append(LinePart(first, number - 1, "\n".join(current)))
            current, size, first = [], 0, number
        current.append(line)
        size += len(line) + 1
    if current:
        parts.append(LinePart(first, first + len(current) - 1, "\n".join(current)))
    return parts


def group_by_budget(entries: Sequence[str], *, max_tokens: int) -> list[list[str]]:
    """``entries`` in order, grouped so each group's joined lines fit ``max_tokens``; an entry
    larger than the budget alone forms a group cut to the budget."""
    limit = max_tokens * CHARS_PER_TOKEN
    groups: list[list[str]] = []
    current: list[str] = []
    size = 0
    for entry in entries:
        entry = entry[:limit]
        if current and size + len(entry) + 1 > limit:
            groups.append(current)
            current, size = [], 0
        current.append(entry)
        size += len(entry) + 1
    if current:
        groups.append(current)
    return groups
