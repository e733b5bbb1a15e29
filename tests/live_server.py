"""A real ``binscribe serve`` in a subprocess, for tests that need the whole server process.

``running_server(tmp_path, **env)`` starts it on a free loopback port with a fresh data dir and
only the ``BINSCRIBE_*`` settings given (plus a new encryption key unless one is given), waits
for ``/api/v1/health`` (with ``BINSCRIBE_API_TOKEN`` when given) and stops it afterwards. Its
output goes to ``<tmp_path>/server.log``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from binscribe.crypto import generate_key

BINSCRIBE = Path(sys.executable).with_name("binscribe")


@dataclass
class Server:
    """A started server: base ``url``, process ``pid``, its ``data_dir`` and ``log`` file."""

    url: str
    pid: int
    data_dir: Path
    log: Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(tmp_path: Path, **settings: str) -> Iterator[Server]:
    """Run ``binscribe serve`` with ``settings`` (environment variable -> value) until exit."""
    port = free_port()
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BINSCRIBE_")}
    env.pop("LLM_PROVIDER_ENCRYPTION_KEY", None)
    env.update({"BINSCRIBE_DATA_DIR": str(data_dir), "LLM_PROVIDER_ENCRYPTION_KEY": generate_key()})
    env.update(settings)
    log = tmp_path / "server.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [str(BINSCRIBE), "serve", "--port", str(port)],
            env=env,
            stdout=sink,
            stderr=sink,
            stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}"
    token = settings.get("BINSCRIBE_API_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v1/health", headers=headers, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        yield Server(url=url, pid=process.pid, data_dir=data_dir, log=log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
