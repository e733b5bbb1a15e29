"""SSRF guard: refuse user-given endpoints that resolve to link-local or cloud metadata addresses.

Every adapter's HTTP client goes through :func:`guarded_transport`, which calls
:meth:`EndpointGuard.check` right before each HTTP request (redirects included), so a host is
re-resolved per request rather than trusted from an earlier check. What remains open is DNS
rebinding inside one request: the HTTP stack resolves the name again after our check, and a
hostile DNS server answering with a short TTL could hand it a different address.

Refused always: 169.254.0.0/16 and fe80::/10 (link-local, where AWS, GCP and Azure serve instance
metadata), 100.100.100.200 (Alibaba), fd00:ec2::254 (AWS IPv6), the names
``metadata.google.internal`` and ``metadata.goog``, multicast, and IPv4-mapped or numeric
spellings of these (``2852039166``, ``0xa9fea9fe``, ``0251.0376.0251.0376``,
``::ffff:169.254.169.254``). Loopback and private ranges are refused only when
``allow_private_endpoints`` is False.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from functools import cache
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from binscribe.llm.errors import EndpointForbidden, LLMError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_METADATA_NAMES = frozenset({"metadata.google.internal", "metadata.goog", "metadata"})
_METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("100.100.100.200"), ipaddress.ip_address("fd00:ec2::254")}
)


def _literal_address(host: str) -> IPAddress | None:
    """``host`` as an IP address if it spells one, including the legacy numeric IPv4 forms."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        # inet_aton accepts what C resolvers accept: 2852039166, 0xa9fea9fe, 0251.0376.0251.0376.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def classify_address(address: IPAddress) -> str:
    """``forbidden`` (link-local, metadata, multicast), ``private`` (loopback, RFC 1918, ULA,
    CGNAT, unspecified: anything not globally routable) or ``public``."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return classify_address(address.ipv4_mapped)
        if address.sixtofour is not None:
            return classify_address(address.sixtofour)
    if address.is_link_local or address in _METADATA_ADDRESSES or address.is_multicast:
        return "forbidden"
    if not address.is_global:
        return "private"
    return "public"


class EndpointGuard:
    """Checks hosts against the rules above; ``allow_private`` comes from
    ``Settings.allow_private_endpoints``."""

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private

    def _check_address(self, host: str, address: IPAddress) -> None:
        kind = classify_address(address)
        if kind == "forbidden":
            raise EndpointForbidden(
                f"The endpoint host {host} resolves to {address}, a link-local or cloud metadata "
                "address; binscribe does not send requests there.",
                details={"host": host, "address": str(address)},
            )
        if kind == "private" and not self.allow_private:
            raise EndpointForbidden(
                f"The endpoint host {host} resolves to the private address {address}, and this "
                "server does not allow private endpoints (BINSCRIBE_ALLOW_PRIVATE_ENDPOINTS).",
                details={"host": host, "address": str(address)},
            )

    async def check(self, url: str) -> None:
        """Resolve ``url``'s host (getaddrinfo in a thread) and check every address it returns.

        Raises:
            EndpointForbidden: the host is a metadata name or an address is refused.
            LLMError: code ``unreachable`` when the name does not resolve (DNS failure).
        """
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
        if not host:
            raise EndpointForbidden("The endpoint URL has no host.", details={"url": url})
        if host in _METADATA_NAMES:
            raise EndpointForbidden(
                f"The endpoint host {host} is a cloud metadata service; binscribe does not send "
                "requests there.",
                details={"host": host},
            )
        literal = _literal_address(host)
        if literal is not None:
            self._check_address(host, literal)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise LLMError(
                f"Cannot reach {host}: DNS lookup failed (the host name does not resolve).",
                code="unreachable",
                details={"host": host},
            ) from exc
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            self._check_address(host, address)


@cache
def _guarded_transport_class(http_module: ModuleType) -> type:
    base = http_module.AsyncHTTPTransport

    class GuardedTransport(base):  # type: ignore[valid-type,misc]
        """The module's async transport with an :class:`EndpointGuard` check per request."""

        def __init__(self, guard: EndpointGuard, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._guard = guard

        async def handle_async_request(self, request: Any) -> Any:
            await self._guard.check(str(request.url))
            return await super().handle_async_request(request)

    return GuardedTransport


def guarded_transport(http_module: ModuleType, guard: EndpointGuard) -> Any:
    """An async transport of ``http_module`` (``httpx`` or ``httpx2``; the SDKs use one each)
    that runs ``guard.check`` on every request's URL before connecting."""
    return _guarded_transport_class(http_module)(guard)
