"""Local HTTP servers speaking the four LLM providers' wire protocols, for tests.

Each server runs on 127.0.0.1 (random port) in a thread of the test process, records every
request, and follows a script of :class:`Step` behaviours. Use :func:`serve` (a context manager)
or the ``python -m tests.llm_servers.openai --port N`` entry for a separate process.
"""

from tests.llm_servers.base import ProtocolServer, RecordedRequest, Step, serve

__all__ = ["ProtocolServer", "RecordedRequest", "Step", "serve"]
