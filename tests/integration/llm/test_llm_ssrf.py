"""The SSRF guard on the wire: every adapter checks the host before each request, redirects
included; a local server is reachable by default and refused when private endpoints are off."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from binscribe.llm.adapter import BaseAdapter
from binscribe.llm.base import ChatMessage
from binscribe.llm.errors import LLMError
from tests.integration.llm.conftest import PROTOCOLS
from tests.llm_servers.base import ProtocolServer, Step

MakeServer = Callable[..., ProtocolServer]
MakeAdapter = Callable[..., BaseAdapter]


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_local_server_allowed_by_default_refused_when_private_is_off(
    protocol: str, llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(protocol)
    assert (await make_adapter(protocol, server).probe()).success is True
    seen = len(server.requests)

    refused = make_adapter(protocol, server, allow_private=False)
    result = await refused.probe()
    assert (result.success, result.error_code) == (False, "endpoint_forbidden")
    assert result.message == (
        "The endpoint host 127.0.0.1 resolves to the private address 127.0.0.1, and this server "
        "does not allow private endpoints (BINSCRIBE_ALLOW_PRIVATE_ENDPOINTS)."
    )
    with pytest.raises(LLMError) as caught:
        await refused.complete([ChatMessage("user", "hi")], max_tokens=5, temperature=0)
    assert caught.value.code == "endpoint_forbidden"
    assert len(server.requests) == seen  # nothing reached the server


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://169.254.169.254/v1",
        "http://2852039166/v1",
        "http://0xa9fea9fe/v1",
        "http://[::ffff:169.254.169.254]/v1",
        "http://metadata.google.internal/v1",
        "http://100.100.100.200/v1",
    ],
)
@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_metadata_endpoints_refused_for_every_adapter(
    protocol: str, endpoint: str, make_adapter: MakeAdapter
) -> None:
    adapter = make_adapter(protocol, None, endpoint_url=endpoint)
    result = await adapter.probe()
    assert (result.success, result.error_code, result.models) == (False, "endpoint_forbidden", [])
    with pytest.raises(LLMError) as caught:
        await adapter.complete([ChatMessage("user", "hi")], max_tokens=5, temperature=0)
    assert caught.value.code == "endpoint_forbidden"


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_redirect_to_metadata_is_refused(
    protocol: str, llm_server: MakeServer, make_adapter: MakeAdapter
) -> None:
    server = llm_server(protocol)
    server.always(Step("redirect", location="http://169.254.169.254/latest/meta-data/"))
    result = await make_adapter(protocol, server).probe()
    assert (result.success, result.error_code) == (False, "endpoint_forbidden")
    assert "169.254.169.254" in result.message
