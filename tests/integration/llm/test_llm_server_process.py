"""The OpenAI protocol server as a separate process, as end-to-end and UI tests start it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def canned_reply(request_json: dict[str, object]) -> str:
    """Used through ``--reply-module``: echoes the model name as JSON."""
    return json.dumps({"summary": f"explained by {request_json.get('model')}"})


def test_python_m_entry_serves_models_and_replies() -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.llm_servers.openai",
            "--port",
            str(port),
            "--model",
            "local-model",
            "--reply-module",
            "tests.integration.llm.test_llm_server_process:canned_reply",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}/v1"
        deadline = time.monotonic() + 20
        while True:
            try:
                models = httpx.get(f"{base}/models", timeout=1).json()
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert [m["id"] for m in models["data"]] == ["local-model"]
        reply = httpx.post(
            f"{base}/chat/completions",
            json={"model": "local-model", "messages": [{"role": "user", "content": "hi"}]},
            timeout=5,
        ).json()
        assert reply["choices"][0]["message"]["content"] == (
            '{"summary": "explained by local-model"}'
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()
