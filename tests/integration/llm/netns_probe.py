"""Run inside ``unshare -n`` by ``test_llm_ssrf_netns.py``: stand-in listeners on addresses the
test put on the namespace's loopback interface, and a real adapter probing each one.

Prints one JSON object: for each case, the probe's error code and the Authorization headers the
listener behind that address received. Nothing here can reach a real network: the namespace has
only its own loopback.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from binscribe.llm.config import ProviderConfig
from binscribe.llm.factory import build_adapter

KEY = "sk-netns-canary-5be1c0de9a7f"
PORT = 18080
ADDRESSES = ["64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b::808:808", "168.63.129.16"]
CASES = [  # (endpoint host, allow_private)
    ("[64:ff9b::a9fe:a9fe]", True),  # NAT64 of 169.254.169.254
    ("[64:ff9b::7f00:1]", False),  # NAT64 of 127.0.0.1, private endpoints off
    ("[64:ff9b::7f00:1]", True),  # ... allowed when private endpoints are on
    ("168.63.129.16", True),  # Azure WireServer
    ("[64:ff9b::808:808]", False),  # NAT64 of a public address: allowed
]


class _Recorder(BaseHTTPRequestHandler):
    seen: dict[str, list[str]] = {}

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.seen[self.server.server_address[0]].append(self.headers.get("Authorization", ""))
        body = json.dumps({"object": "list", "data": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


def _listen(address: str) -> ThreadingHTTPServer:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    server_class = type("Server", (ThreadingHTTPServer,), {"address_family": family})
    server = server_class((address, PORT), _Recorder)
    _Recorder.seen[server.server_address[0]] = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


async def _probe(host: str, allow_private: bool) -> str | None:
    config = ProviderConfig(
        provider_type="openai", api_key=KEY, endpoint_url=f"http://{host}:{PORT}/v1", timeout_s=5
    )
    adapter = build_adapter(config, allow_private_endpoints=allow_private)
    try:
        result = await adapter.probe()
    finally:
        await adapter.aclose()
    return result.error_code


def main() -> None:
    servers = [_listen(address) for address in ADDRESSES]
    results: list[dict[str, Any]] = []
    for host, allow_private in CASES:
        for seen in _Recorder.seen.values():
            seen.clear()
        code = asyncio.run(_probe(host, allow_private))
        received = {address: list(seen) for address, seen in _Recorder.seen.items() if seen}
        results.append(
            {"host": host, "allow_private": allow_private, "error_code": code, "received": received}
        )
    for server in servers:
        server.shutdown()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
