"""SSRF guard: refuse user-given endpoints that resolve to link-local or cloud metadata addresses.

Every adapter's HTTP client goes through :func:`guarded_transport`, whose connections are
opened by :meth:`EndpointGuard.resolve`: the host is resolved once per new connection (each
redirect target included), every address is checked, and the TCP connection goes to the checked
address itself, while TLS still verifies the certificate for the host name. The HTTP stack never
resolves the name on its own, so DNS rebinding (a hostile DNS server answering differently the
second time) cannot slip a forbidden address in after the check.

What is refused is decided in :mod:`binscribe.llm.addresses`: link-local ranges, cloud platform
addresses and metadata host names always, IPv6 forms carrying such an IPv4 address (NAT64,
IPv4-mapped, 6to4, Teredo, ISATAP...) and numeric spellings (``2852039166``, ``0xa9fea9fe``,
``0251.0376.0251.0376``) likewise; loopback and private ranges only when ``allow_private`` is
False. :meth:`EndpointGuard.check_host` applies the rules that need no DNS lookup, which is what
saving a provider checks.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from functools import cache
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from binscribe.llm.addresses import METADATA_NAMES, IPAddress, classify_address, embedded_ipv4
from binscribe.llm.errors import EndpointForbidden, LLMError, LLMErrorCode

__all__ = ["EndpointGuard", "Resolver", "classify_address", "guarded_transport"]


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


class EndpointGuard:
    """Checks hosts against the rules above; ``allow_private`` comes from
    ``Settings.allow_private_endpoints``."""

    def __init__(self, *, allow_private: bool, resolver: Resolver | None = None) -> None:
        self.allow_private = allow_private
        self._resolver = resolver or _system_resolver

    def _check_address(self, host: str, address: IPAddress) -> None:
        kind = classify_address(address)
        if kind == "public" or (kind == "private" and self.allow_private):
            return
        inner = embedded_ipv4(address) if isinstance(address, ipaddress.IPv6Address) else []
        shown = f"{address} (carrying {', '.join(map(str, inner))})" if inner else str(address)
        details = {"host": host, "address": str(address)}
        if kind == "forbidden":
            raise EndpointForbidden(
                f"The endpoint host {host} resolves to {shown}, a link-local or cloud metadata "
                "address; binscribe does not send requests there.",
                details=details,
            )
        raise EndpointForbidden(
            f"The endpoint host {host} resolves to the private address {shown}, and this "
            "server does not allow private endpoints (BINSCRIBE_ALLOW_PRIVATE_ENDPOINTS).",
            details=details,
        )

    async def check(self, url: str) -> None:
        """Check ``url``'s host as :meth:`resolve` does (default port of the scheme).

        Raises:
            EndpointForbidden: the host is a metadata name or an address is refused.
            LLMError: code ``unreachable`` when the name does not resolve (DNS failure).
        """
        parts = urlsplit(url)
        await self.resolve(
            parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
        )

    def check_host(self, host: str) -> str:
        """Check what can be checked without DNS: metadata names and addresses written in the
        host (any spelling); returns the host in the form :meth:`resolve` looks up.

        Raises:
            EndpointForbidden: no host, a metadata name, or a refused address.
        """
        host = host.strip("[]").rstrip(".").lower()
        if not host:
            raise EndpointForbidden("The endpoint URL has no host.", details={"host": host})
        if host in METADATA_NAMES:
            raise EndpointForbidden(
                f"The endpoint host {host} is a cloud metadata service; binscribe does not send "
                "requests there.",
                details={"host": host},
            )
        literal = _literal_address(host)
        if literal is not None:
            self._check_address(host, literal)
        return host

    async def resolve(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for ``host``, in preference order: resolved with the
        resolver (getaddrinfo in a thread by default), every one checked, duplicates dropped.

        Raises:
            EndpointForbidden: no host, a metadata name, or an address is refused.
            LLMError: code ``unreachable`` when the name does not resolve (DNS failure).
        """
        host = self.check_host(host)
        try:
            addresses = await self._resolver(host, port)
        except socket.gaierror as exc:
            raise LLMError(
                f"Cannot reach {host}: DNS lookup failed (the host name does not resolve).",
                code=LLMErrorCode.UNREACHABLE,
                details={"host": host},
            ) from exc
        if not addresses:
            raise LLMError(
                f"Cannot reach {host}: DNS lookup returned no address.",
                code=LLMErrorCode.UNREACHABLE,
                details={"host": host},
            )
        for address in addresses:
            self._check_address(host, ipaddress.ip_address(address.split("%", 1)[0]))
        return list(dict.fromkeys(addresses))


Resolver = Callable[[str, int], Awaitable[list[str]]]
"""``(host, port) -> addresses`` (text form, in preference order); raises socket.gaierror."""


async def _system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class _CheckedBackend:
    """An httpcore network backend whose TCP connections go to the address the guard checked
    (the inner backend gets an IP, never a name to resolve itself)."""

    def __init__(self, inner: Any, guard: EndpointGuard) -> None:
        self._inner = inner
        self._guard = guard

    async def connect_tcp(self, host: str, port: int, **kwargs: Any) -> Any:
        """Connect to the first checked address that answers (as a resolver-driven connect
        would: an unreachable IPv6 address falls back to IPv4); the last failure propagates."""
        *others, last = await self._guard.resolve(host, port)
        for address in others:
            try:
                return await self._inner.connect_tcp(address, port, **kwargs)
            except Exception:  # httpcore's ConnectError/ConnectTimeout: try the next address
                continue
        return await self._inner.connect_tcp(last, port, **kwargs)

    def __getattr__(self, name: str) -> Any:  # connect_unix_socket, sleep
        return getattr(self._inner, name)


@cache
def _guarded_transport_class(http_module: ModuleType) -> type:
    base = http_module.AsyncHTTPTransport

    class GuardedTransport(base):  # type: ignore[valid-type,misc]
        """The module's async transport, connecting only to addresses the guard checked."""

        def __init__(self, guard: EndpointGuard, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            pool = self._pool  # httpcore's AsyncConnectionPool; its backend opens connections
            pool._network_backend = _CheckedBackend(pool._network_backend, guard)

    return GuardedTransport


def guarded_transport(http_module: ModuleType, guard: EndpointGuard) -> Any:
    """An async transport of ``http_module`` (``httpx`` or ``httpx2``; the SDKs use one each)
    whose every new connection resolves its host through ``guard.resolve`` and connects to
    the checked address."""
    return _guarded_transport_class(http_module)(guard)
