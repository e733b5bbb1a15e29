"""MCP fixtures: the CLI tests' environment (SQLite data dir, encryption key), ``cli`` runner and
the local OpenAI-protocol server with canned answers (``llm``)."""

from __future__ import annotations

from tests.integration.cli.conftest import cli, cli_env, db_url  # noqa: F401 (fixtures)
from tests.integration.jobs.conftest import llm  # noqa: F401 (fixture)
