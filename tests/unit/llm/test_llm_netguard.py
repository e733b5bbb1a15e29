"""The SSRF guard: metadata and link-local spellings refused, private ranges per setting, and
connections made to the checked address (no second resolution to rebind)."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType

import httpx
import httpx2
import pytest

from binscribe.llm.addresses import PLATFORM_ADDRESSES, embedded_ipv4
from binscribe.llm.errors import EndpointForbidden, LLMError
from binscribe.llm.netguard import EndpointGuard, Resolver, classify_address, guarded_transport

FORBIDDEN_URLS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://169.254.170.2/v2/credentials",
    "http://2852039166/",  # 169.254.169.254 as one integer
    "http://0xa9fea9fe/",  # ... in hex
    "http://0251.0376.0251.0376/",  # ... in octal
    "http://169.254.43518/",  # ... with a 16-bit last part
    "http://[::ffff:169.254.169.254]/",  # IPv4-mapped IPv6
    "http://[::ffff:a9fe:a9fe]/",
    "http://[fe80::1]:8080/",
    "http://[fd00:ec2::254]/",
    "http://100.100.100.200/latest/meta-data/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://METADATA.GOOGLE.INTERNAL./computeMetadata/v1/",
    "http://metadata.goog/",
    "http://[2002:a9fe:a9fe::1]/",  # 6to4 wrapping of 169.254.169.254
    "http://224.0.0.1/",
    "http://[64:ff9b::a9fe:a9fe]/v1",  # NAT64 (well-known prefix) of 169.254.169.254
    "http://[64:ff9b::169.254.169.254]/v1",
    "http://[64:ff9b:1:a9fe:a9:fe00::]/v1",  # local-use NAT64, /48 layout
    "http://[64:ff9b:1::a9fe:a9fe]/v1",  # local-use NAT64, /96 layout
    "http://[::a9fe:a9fe]/",  # IPv4-compatible
    "http://[::ffff:0:a9fe:a9fe]/",  # SIIT IPv4-translated
    "http://[2001:0:4136:e378:8000:63bf:5601:5601]/",  # Teredo client 169.254.169.254 (XORed)
    "http://[2001:db8:1:2:0:5efe:a9fe:a9fe]/",  # ISATAP
    "http://[2600:1f18::200:5efe:a9fe:a9fe]/",  # ISATAP (u bit set) under a global prefix
    "http://168.63.129.16/machine?comp=goalstate",  # Azure WireServer
    "http://[64:ff9b::a83f:8110]/",  # ... through NAT64
    "http://[fd20:ce::254]/",  # GCP metadata over IPv6
    "http://192.0.0.192/latest/",  # Oracle Cloud Classic
    "http://metadata.tencentyun.com/latest/meta-data/",
    "http://instance-data/latest/meta-data/",
]


@pytest.mark.parametrize("url", FORBIDDEN_URLS)
@pytest.mark.parametrize("allow_private", [True, False])
async def test_metadata_and_link_local_spellings_are_refused(url: str, allow_private: bool) -> None:
    with pytest.raises(EndpointForbidden) as caught:
        await EndpointGuard(allow_private=allow_private).check(url)
    assert caught.value.code == "endpoint_forbidden"
    assert caught.value.http_status == 422


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:11434",
        "http://localhost:8080/v1",
        "http://10.0.0.5/v1",
        "http://192.168.1.20:11434",
        "http://[::1]:8080",
        "http://2130706433/",  # 127.0.0.1 as an integer
        "http://[64:ff9b::7f00:1]:8080/v1",  # NAT64 of 127.0.0.1
        "http://[64:ff9b::a00:5]/v1",  # NAT64 of 10.0.0.5
        "http://[64:ff9b:1::808:808]/v1",  # local-use NAT64: local by definition
        "http://[::ffff:0:7f00:1]/",  # SIIT of 127.0.0.1
        "http://[2002:7f00:1::1]/",  # 6to4 of 127.0.0.1
        "http://[2600:1f18::5efe:a00:1]/",  # ISATAP of 10.0.0.1 under a global prefix
    ],
)
async def test_private_addresses_follow_the_setting(url: str) -> None:
    await EndpointGuard(allow_private=True).check(url)
    with pytest.raises(EndpointForbidden) as caught:
        await EndpointGuard(allow_private=False).check(url)
    assert "BINSCRIBE_ALLOW_PRIVATE_ENDPOINTS" in caught.value.message


async def test_public_address_is_allowed_without_private_endpoints() -> None:
    await EndpointGuard(allow_private=False).check("https://8.8.8.8/v1")


async def test_unresolvable_host_is_unreachable_with_a_dns_message() -> None:
    with pytest.raises(LLMError) as caught:
        await EndpointGuard(allow_private=True).check("http://no-such-host.invalid/v1")
    assert caught.value.code == "unreachable"
    assert caught.value.message == (
        "Cannot reach no-such-host.invalid: DNS lookup failed (the host name does not resolve)."
    )


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("169.254.169.254", "forbidden"),
        ("::ffff:169.254.169.254", "forbidden"),
        ("fd00:ec2::254", "forbidden"),
        ("fd00::1", "private"),
        ("100.64.0.1", "private"),
        ("0.0.0.0", "private"),
        ("1.1.1.1", "public"),
        ("2606:4700:4700::1111", "public"),
        ("64:ff9b::a9fe:a9fe", "forbidden"),
        ("64:ff9b::7f00:1", "private"),
        ("64:ff9b::808:808", "public"),  # NAT64 of a public address reaches that address
        ("::ffff:8.8.8.8", "public"),
        ("2002:808:808::1", "public"),
        ("64:ff9b:1::808:808", "private"),
        ("64:ff9b:1:a9fe:a9:fe00::", "forbidden"),
        ("64:ff9b:1:7f:0:1::", "private"),  # /56 layout of 127.0.0.1
        ("64:ff9b:1:0:7f:0:100::", "private"),  # /64 layout of 127.0.0.1
        ("::a9fe:a9fe", "forbidden"),
        ("::7f00:1", "private"),
        ("::808:808", "public"),
        ("::ffff:0:a9fe:a9fe", "forbidden"),
        ("2001:0:4136:e378:8000:63bf:5601:5601", "forbidden"),  # Teredo client 169.254.169.254
        ("2001:0:a9fe:a9fe::1", "forbidden"),  # Teredo server 169.254.169.254
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "private"),  # Teredo: never global
        ("2001:db8::5efe:a9fe:a9fe", "forbidden"),
        ("2600:1f18::5efe:a9fe:a9fe", "forbidden"),
        ("2600:1f18::200:5efe:a00:1", "private"),
        ("2600:1f18::5eff:a00:1", "public"),  # not an ISATAP interface id
        ("168.63.129.16", "forbidden"),
        ("100.100.100.200", "forbidden"),
        ("192.0.0.192", "forbidden"),
        ("fd00:ec2::254", "forbidden"),
        ("fd00:ec2::253", "forbidden"),
        ("fd20:ce::254", "forbidden"),
        ("169.254.170.2", "forbidden"),
        ("169.254.0.23", "forbidden"),
    ],
)
def test_classify_address(address: str, kind: str) -> None:
    assert classify_address(ipaddress.ip_address(address)) == kind


def test_every_platform_address_is_forbidden_and_sourced() -> None:
    assert len(PLATFORM_ADDRESSES) >= 6
    for entry in PLATFORM_ADDRESSES:
        assert classify_address(entry.network[0]) == "forbidden"
        assert entry.source.startswith("https://") and entry.service


@pytest.mark.parametrize(
    ("address", "carried"),
    [
        ("::ffff:169.254.169.254", ["169.254.169.254"]),
        ("64:ff9b::a9fe:a9fe", ["169.254.169.254"]),
        ("2002:a9fe:a9fe::1", ["169.254.169.254"]),
        ("2001:db8::5efe:a00:1", ["10.0.0.1"]),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", ["65.54.227.120", "192.0.2.45"]),
        (
            "64:ff9b:1:a9fe:a9:fe00::",
            ["169.254.169.254", "254.169.254.0", "169.254.0.0", "0.0.0.0"],
        ),
        ("2606:4700:4700::1111", []),
    ],
)
def test_embedded_ipv4(address: str, carried: list[str]) -> None:
    found = embedded_ipv4(ipaddress.IPv6Address(address))
    assert [str(a) for a in found] == carried


async def test_refusal_names_the_carried_address() -> None:
    with pytest.raises(EndpointForbidden) as caught:
        await EndpointGuard(allow_private=True).check("http://[64:ff9b::a9fe:a9fe]/v1")
    assert caught.value.message == (
        "The endpoint host 64:ff9b::a9fe:a9fe resolves to 64:ff9b::a9fe:a9fe (carrying "
        "169.254.169.254), a link-local or cloud metadata address; binscribe does not send "
        "requests there."
    )
    assert caught.value.details == {"host": "64:ff9b::a9fe:a9fe", "address": "64:ff9b::a9fe:a9fe"}


class _Hello(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a second request reuses the connection

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _scripted(*answers: list[str]) -> tuple[Resolver, list[str]]:
    """A resolver answering ``answers`` in turn (like a rebinding DNS server) and its log."""
    asked: list[str] = []
    queue = list(answers)

    async def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return queue.pop(0)

    return resolve, asked


@pytest.mark.parametrize("module", [httpx, httpx2])
async def test_connections_go_to_the_checked_address(module: ModuleType, local_port: int) -> None:
    """The name is resolved once, by the guard, and the connection goes to that address: the
    system resolver (which cannot resolve ``.invalid``) is never asked."""
    resolver, asked = _scripted(["127.0.0.1"])
    guard = EndpointGuard(allow_private=True, resolver=resolver)
    async with module.AsyncClient(transport=guarded_transport(module, guard)) as client:
        response = await client.get(f"http://rebind.invalid:{local_port}/")
        again = await client.get(f"http://rebind.invalid:{local_port}/")  # kept-alive connection
    assert (response.status_code, response.text, again.text) == (200, "hello", "hello")
    assert asked == ["rebind.invalid"]


async def test_a_rebinding_answer_is_refused_before_connecting(local_port: int) -> None:
    resolver, asked = _scripted(["127.0.0.1"], ["169.254.169.254"])
    guard = EndpointGuard(allow_private=True, resolver=resolver)
    url = f"http://rebind.invalid:{local_port}/"
    async with httpx.AsyncClient(transport=guarded_transport(httpx, guard)) as client:
        assert (await client.get(url)).status_code == 200
    async with httpx.AsyncClient(transport=guarded_transport(httpx, guard)) as client:
        with pytest.raises(EndpointForbidden, match="169.254.169.254"):
            await client.get(url)
    assert asked == ["rebind.invalid", "rebind.invalid"]


async def test_an_unreachable_first_address_falls_back_to_the_next(local_port: int) -> None:
    """Like a name with an AAAA record on a host without IPv6: the first checked address does
    not answer, the next one does."""
    resolver, _ = _scripted(["127.0.0.2", "::1", "127.0.0.1"])
    guard = EndpointGuard(allow_private=True, resolver=resolver)
    async with httpx.AsyncClient(transport=guarded_transport(httpx, guard)) as client:
        response = await client.get(f"http://dual.invalid:{local_port}/")
    assert (response.status_code, response.text) == (200, "hello")


async def test_a_name_resolving_to_a_nat64_metadata_address_is_refused() -> None:
    resolver, asked = _scripted(["64:ff9b::a9fe:a9fe"])
    guard = EndpointGuard(allow_private=True, resolver=resolver)
    with pytest.raises(EndpointForbidden, match="carrying 169.254.169.254"):
        await guard.resolve("nat64.invalid", 80)
    assert asked == ["nat64.invalid"]


def test_check_host_needs_no_dns() -> None:
    guard = EndpointGuard(allow_private=False)
    assert guard.check_host("LLM.Example.") == "llm.example"
    for host in ("metadata.google.internal", "[64:ff9b::a9fe:a9fe]", "0xa8.63.129.16"):
        with pytest.raises(EndpointForbidden):
            guard.check_host(host)
    with pytest.raises(EndpointForbidden, match="BINSCRIBE_ALLOW_PRIVATE_ENDPOINTS"):
        guard.check_host("64:ff9b::7f00:1")
