"""Imports point one way (ARCHITECTURE.md, "Package layout"): each part of ``binscribe`` imports
only the parts below it. Read from the source with ``ast`` (imports inside functions count)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "binscribe"
BASE = {"errors", "settings", "logs"}
"""Modules every part may import (they import nothing of ours but settings)."""

ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "settings": set(),
    "logs": {"settings"},
    "crypto": {"errors", "settings"},
    "analysis": BASE,
    "llm": BASE,
    "db": BASE | {"crypto"},
    "auth": BASE | {"crypto", "db"},
    "explain": BASE | {"analysis", "llm"},
    "exports": BASE | {"analysis", "explain"},
    "evaluation": BASE | {"analysis", "explain", "llm"},
    "providers": BASE | {"crypto", "db", "explain", "llm"},
    "jobs": BASE | {"analysis", "crypto", "db", "explain", "llm", "providers"},
    "migrations": BASE | {"db"},
    "demo": set(),
    # The MCP server reuses the API's result views and request authentication, and is mounted
    # on the API app at /mcp (api imports mcp): the one known cycle, kept until those move to a
    # service module both use.
    "mcp": BASE | {"analysis", "api", "auth", "db", "explain", "exports", "jobs", "providers"},
}
TOP = {"api", "cli"}
"""The edges: may import every part."""


def _imports() -> dict[str, set[str]]:
    """Part name (top-level module or package of ``binscribe``) -> the other parts it imports."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        part = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if part == "__init__":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                pieces = name.split(".")
                if pieces[0] == "binscribe" and len(pieces) > 1 and pieces[1] != part:
                    found[part].add(pieces[1])
    return found


IMPORTS = _imports()


def test_every_part_has_a_rule() -> None:
    parts = {p.name.removesuffix(".py") for p in PACKAGE.iterdir() if not p.name.startswith("_")}
    parts -= {"py.typed"}
    assert parts - TOP - set(ALLOWED) == set()


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_imports_point_down(part: str) -> None:
    assert IMPORTS.get(part, set()) - ALLOWED[part] == set()


def test_the_rule_sees_imports() -> None:
    # the reader finds real edges (a rule checked against nothing would always pass)
    assert {"analysis", "explain", "llm", "db"} <= IMPORTS["jobs"]
    assert "analysis" in IMPORTS["explain"]
