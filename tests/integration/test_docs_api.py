"""docs/api.md's examples, run as written against a live ``binscribe serve``.

The bash blocks run as one session with ``BINSCRIBE_URL`` pointing at a server started here (a
subprocess, SQLite in a temp data dir) and ``LLM_URL`` at the local OpenAI-protocol server with
canned explanations. Lines starting ``# `` right after a command are the output the doc promises;
the test checks each appears in the session's output.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server import running_server
from tests.llm_servers import ProtocolServer, serve
from tests.llm_servers.canned import canned_reply

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "api.md"


def bash_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


@pytest.fixture
def llm() -> Iterator[ProtocolServer]:
    with serve("openai", models=["smollm2"], reply=canned_reply) as server:
        yield server


@pytest.fixture
def server_url(tmp_path: Path) -> Iterator[str]:
    with running_server(tmp_path, BINSCRIBE_ANALYSIS_WORKERS="1") as server:
        yield server.url


def test_api_doc_examples_run_as_written(llm: ProtocolServer, server_url: str) -> None:
    text = DOC.read_text()
    script = "set -euo pipefail\n" + "\n".join(bash_blocks(text))
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env={**os.environ, "BINSCRIBE_URL": server_url, "LLM_URL": llm.base_url},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    promised = re.findall(r"^# (.+)$", "\n".join(bash_blocks(text)), flags=re.M)
    assert len(promised) >= 6
    for line in promised:
        if line.startswith("{"):
            line = line.replace('"version":"0.1.0"', "")  # version is checked elsewhere
            assert all(part in result.stdout for part in line.strip("{}").split(",") if part)
        else:
            assert line in result.stdout, line
    assert "Canned summary of check_password." in result.stdout
    assert '"success":true' in result.stdout
    assert "provider_name_taken" in result.stdout
    assert "endpoint_url stored as" in result.stderr  # the create response, shown via tee
