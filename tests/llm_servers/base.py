"""The machinery shared by the protocol servers: threads, request records, scripted behaviour.

A test scripts the next replies with :meth:`ProtocolServer.enqueue` (consumed in order, each by
the first request whose route it matches) or a standing behaviour with :meth:`always`. Step kinds:

======================  =========================================================================
``ok``                  normal reply (text from the ``reply`` callback)
``fenced``              normal reply with the text wrapped in a ```json fence
``auth``                401 (Gemini: 400 API_KEY_INVALID, as the real API answers)
``quota``               out of credit (OpenAI 429 insufficient_quota, Anthropic 400 credit
                        balance, Gemini 429 RESOURCE_EXHAUSTED per-day quota)
``model_missing``       404 for the model
``rate_limit``          429 with Retry-After ``retry_after`` seconds (Gemini: RetryInfo)
``overloaded``          Anthropic 529 overloaded_error (other protocols: 503)
``server_error``        500
``context_too_long``    400 with the provider's context-length error
``reject_response_format``  400 "response_format is not supported" when the request has one
``slow``                wait ``delay_s`` seconds, then reply normally
``malformed``           200 with a body that is not JSON
``empty``               200 with an empty body
``redirect``            307 to ``location``
======================  =========================================================================

Besides scripted steps, a server with ``api_key`` set answers ``auth`` to requests without that
key, and chat requests for a model not in ``models`` get ``model_missing``.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

Reply = Callable[[dict[str, Any]], str]
Response = tuple[int, Any, dict[str, str]]

ERROR_KINDS = frozenset(
    {
        "auth",
        "quota",
        "model_missing",
        "rate_limit",
        "overloaded",
        "server_error",
        "context_too_long",
    }
)


@dataclass(frozen=True)
class Step:
    """One scripted behaviour; ``routes`` limits it to those route names (None: any route)."""

    kind: str = "ok"
    retry_after: float | None = None
    delay_s: float = 0.0
    routes: tuple[str, ...] | None = None
    location: str | None = None


@dataclass(frozen=True)
class RecordedRequest:
    """A request as received: header names lower-cased, ``body`` parsed JSON (None if not)."""

    method: str
    path: str
    query: dict[str, list[str]]
    raw_url: str
    headers: dict[str, str]
    body: Any
    route: str


def default_reply(request_json: dict[str, Any]) -> str:
    """``pong`` for plain requests; a small JSON object when the request asks for JSON."""
    asks = any(request_json.get(key) for key in ("response_format", "tool_choice", "format"))
    if asks or "json" in json.dumps(request_json).lower():
        return json.dumps({"summary": "A test reply.", "confidence": 0.5})
    return "pong"


def count_tokens(text: str) -> int:
    """A stand-in tokenizer: one token per four characters, at least one."""
    return max(1, len(text) // 4)


@dataclass
class ProtocolServer:
    """Base of the four protocol servers. Subclasses set ``routes`` and ``error_response``.

    ``api_key`` None accepts any credentials; ``models`` are the names the server offers;
    ``reply(request_json) -> str`` produces the assistant text for ``ok`` steps.
    """

    api_key: str | None = None
    models: list[str] = field(default_factory=list)
    reply: Reply = default_reply
    requests: list[RecordedRequest] = field(default_factory=list, init=False)
    _queue: list[Step] = field(default_factory=list, init=False)
    _standing: Step | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False)
    _httpd: ThreadingHTTPServer | None = field(default=None, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)

    # (method, path regex, route name, handler method name); set by subclasses.
    routes: ClassVar[tuple[tuple[str, str, str, str], ...]] = ()
    chat_routes: ClassVar[frozenset[str]] = frozenset({"chat"})
    api_prefix: ClassVar[str] = ""

    # ---- scripting -------------------------------------------------------------------------
    def enqueue(self, *steps: Step) -> None:
        """Queue behaviours for the next matching requests, in order."""
        with self._lock:
            self._queue.extend(steps)

    def always(self, step: Step | None) -> None:
        """Behave like ``step`` whenever no queued step matches (None: normal replies)."""
        self._standing = step

    def _next_step(self, route: str) -> Step:
        with self._lock:
            for index, step in enumerate(self._queue):
                if step.routes is None or route in step.routes:
                    return self._queue.pop(index)
        return self._standing or Step()

    # ---- lifecycle -------------------------------------------------------------------------
    @property
    def port(self) -> int:
        """The port the server listens on (after :meth:`start`)."""
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """The URL to configure as the provider's endpoint."""
        return self.root_url + self.api_prefix

    def start(self, port: int = 0) -> ProtocolServer:
        """Listen on 127.0.0.1:``port`` (0: a free port) and serve in a daemon thread."""
        server = self
        handler = type("Handler", (_Handler,), {"protocol_server": server})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake slow handlers and close the socket."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def serve_forever(self, port: int) -> None:
        """Serve in the calling thread until interrupted (for ``python -m`` entries)."""
        self.start(port)
        try:
            self._stopping.wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    # ---- protocol hooks --------------------------------------------------------------------
    def authorized(self, request: RecordedRequest) -> bool:
        """Whether ``request`` carries ``api_key`` the protocol's way."""
        raise NotImplementedError

    def request_model(self, request: RecordedRequest) -> str | None:
        """The model a chat request names."""
        return request.body.get("model") if isinstance(request.body, dict) else None

    def error_response(self, kind: str, request: RecordedRequest, step: Step) -> Response:
        """The protocol's error reply for ``kind`` (one of ``ERROR_KINDS``)."""
        raise NotImplementedError

    def wants_rejection(self, request: RecordedRequest) -> Response | None:
        """For ``reject_response_format``: an error reply when the request uses the feature."""
        return None

    # ---- dispatch --------------------------------------------------------------------------
    def handle(self, request: RecordedRequest) -> Response | bytes:
        """Decide the reply: a (status, JSON body, headers) triple or raw bytes for 200."""
        step = self._next_step(request.route)
        if step.delay_s:
            self._stopping.wait(step.delay_s)
        if step.kind in ERROR_KINDS:
            return self.error_response(step.kind, request, step)
        if step.kind == "redirect":
            return 307, {}, {"Location": step.location or "/"}
        if self.api_key is not None and not self.authorized(request):
            return self.error_response("auth", request, step)
        if request.route in self.chat_routes and self.models:
            if self.request_model(request) not in self.models:
                return self.error_response("model_missing", request, step)
        if step.kind == "reject_response_format":
            rejection = self.wants_rejection(request)
            if rejection is not None:
                return rejection
        if step.kind == "malformed":
            return b'{"id": "broken", "choices": [{"message": '
        if step.kind == "empty":
            return b""
        handler = getattr(self, dict((r[2], r[3]) for r in self.routes)[request.route])
        return handler(request, fenced=step.kind == "fenced")

    def text_for(self, request: RecordedRequest, *, fenced: bool) -> str:
        """The assistant text for an ``ok``/``fenced`` reply."""
        text = self.reply(request.body if isinstance(request.body, dict) else {})
        return f"```json\n{text}\n```" if fenced else text


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    protocol_server: ProtocolServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _dispatch(self, method: str) -> None:
        server = self.protocol_server
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        parts = urlsplit(self.path)
        route = next(
            (
                name
                for verb, pattern, name, _ in server.routes
                if verb == method and re.fullmatch(pattern, parts.path)
            ),
            None,
        )
        request = RecordedRequest(
            method=method,
            path=parts.path,
            query=parse_qs(parts.query),
            raw_url=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            route=route or "unknown",
        )
        with server._lock:
            server.requests.append(request)
        if route is None:
            self._send(404, {"error": f"no route for {method} {parts.path}"}, {})
            return
        result = server.handle(request)
        if isinstance(result, bytes):
            self._send_raw(200, result, {"Content-Type": "application/json"})
        else:
            self._send(*result)

    def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
        self._send_raw(
            status, json.dumps(body).encode(), {"Content-Type": "application/json", **headers}
        )

    def _send_raw(self, status: int, data: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")


@contextmanager
def serve(protocol: str, **kwargs: Any) -> Iterator[ProtocolServer]:
    """Run the ``protocol`` server (openai, anthropic, gemini, ollama) for a ``with`` block.

    ``kwargs`` go to the server class (``api_key``, ``models``, ``reply``). Yields the started
    server; ``server.base_url`` is the endpoint to configure.
    """
    from tests.llm_servers.anthropic import AnthropicServer
    from tests.llm_servers.gemini import GeminiServer
    from tests.llm_servers.ollama import OllamaServer
    from tests.llm_servers.openai import OpenAIServer

    classes: dict[str, type[ProtocolServer]] = {
        "openai": OpenAIServer,
        "anthropic": AnthropicServer,
        "gemini": GeminiServer,
        "ollama": OllamaServer,
    }
    server = classes[protocol](**kwargs).start()
    try:
        yield server
    finally:
        server.stop()
