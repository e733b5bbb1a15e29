"""CLI fixtures: ``cli`` runs the installed ``binscribe`` console script in a subprocess with a
test database (both kinds), data dir and encryption key, and returns the CompletedProcess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from binscribe.crypto import generate_key
from tests.integration.jobs.conftest import KEY, llm  # noqa: F401 (the fixture, shared)

BINSCRIBE = Path(sys.executable).with_name("binscribe")
Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli_env(db_url: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BINSCRIBE_", "OPENAI_",
           "ANTHROPIC_", "GEMINI_", "GOOGLE_", "OLLAMA_", "DEMO_", "LLM_PROVIDER"))}  # fmt: skip
    env.update(
        BINSCRIBE_DATA_DIR=str(tmp_path / "data"),
        BINSCRIBE_DATABASE_URL=db_url,
        LLM_PROVIDER_ENCRYPTION_KEY=generate_key(),
    )
    return env


@pytest.fixture
def cli(cli_env: dict[str, str], tmp_path: Path) -> Cli:
    def run(
        *args: str, env: dict[str, str] | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BINSCRIBE), *args], env={**cli_env, **(env or {})}, cwd=tmp_path,
            capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
        )  # fmt: skip

    return run


@pytest.fixture
def db_url(tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite only here: the commands share their database code with the API, whose tests run
    on both databases; each CLI run pays a process start and angr's import."""
    path = tmp_path / "binscribe.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"
