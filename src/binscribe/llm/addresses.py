"""Which addresses a provider endpoint may have: ``forbidden``, ``private`` or ``public``.

Forbidden always: link-local (169.254.0.0/16, fe80::/10, where most clouds serve instance
metadata), multicast, and the cloud platform addresses of :data:`PLATFORM_ADDRESSES`. Private:
anything else that is not globally routable (loopback, RFC 1918, unique local, CGNAT,
unspecified); refused when private endpoints are off.

An IPv6 address that carries an IPv4 address is judged by what it carries
(:func:`embedded_ipv4`), so ``[64:ff9b::a9fe:a9fe]`` (NAT64 for 169.254.169.254) is forbidden and
``[64:ff9b::7f00:1]`` (NAT64 for 127.0.0.1) private. Not detectable: a NAT64 gateway's own
network-specific prefix (RFC 6052 section 2.2), which looks like any global address.
"""

from __future__ import annotations

import ipaddress
from typing import Literal, NamedTuple

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressKind = Literal["forbidden", "private", "public"]


class PlatformAddress(NamedTuple):
    """A cloud platform's service address outside the link-local ranges, and where it is
    documented."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    service: str
    source: str


PLATFORM_ADDRESSES: tuple[PlatformAddress, ...] = tuple(
    PlatformAddress(ipaddress.ip_network(network), service, source)
    for network, service, source in [
        (
            "fd00:ec2::254/128",
            "AWS instance metadata (IMDS) over IPv6",
            "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html",
        ),
        (
            "fd00:ec2::253/128",
            "AWS Route 53 Resolver over IPv6",
            "https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html",
        ),
        (
            "fd20:ce::254/128",
            "Google Cloud metadata server over IPv6",
            "https://cloud.google.com/compute/docs/metadata/querying-metadata",
        ),
        (
            "168.63.129.16/32",
            "Azure WireServer (platform agent, DNS, health probes)",
            "https://learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16",
        ),
        (
            "100.100.100.200/32",
            "Alibaba Cloud ECS instance metadata",
            "https://www.alibabacloud.com/help/en/ecs/user-guide/view-instance-metadata",
        ),
        (
            "192.0.0.192/32",
            "Oracle Cloud Infrastructure Classic instance metadata",
            "https://docs.oracle.com/en/cloud/iaas-classic/compute-iaas-cloud/stcsg/"
            "retrieving-instance-metadata.html",
        ),
    ]
)
"""Cloud platform addresses refused like link-local ones, with their documentation. AWS (also
169.254.170.2 for ECS task credentials), GCP, Azure IMDS, OpenStack, DigitalOcean, Hetzner,
Oracle OCI, IBM and Tencent (169.254.0.23) serve metadata on link-local addresses, refused as
a range."""

METADATA_NAMES = frozenset(
    {
        "metadata.google.internal",  # GCP (cloud.google.com/compute/docs/metadata/overview)
        "metadata.goog",  # GCP
        "metadata",  # GCP's short name inside a VM
        "metadata.tencentyun.com",  # Tencent Cloud (cloud.tencent.com/document/product/213/4934)
        "instance-data",  # AWS's legacy name for 169.254.169.254 on EC2 images
        "instance-data.ec2.internal",
    }
)
"""Host names of metadata services, refused before any DNS lookup."""

_SEVERITY: dict[AddressKind, int] = {"public": 0, "private": 1, "forbidden": 2}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215 local-use prefix
_COMPATIBLE = ipaddress.ip_network("::/96")  # RFC 4291 IPv4-compatible (deprecated)
_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # RFC 2765 SIIT IPv4-translated
_ISATAP_ID = 0x00005EFE  # RFC 5214 interface identifier 0000:5efe (u/g bits masked)


def _bits(value: int, start: int, end: int) -> int:
    """Bits ``start``..``end`` (exclusive) of a 128-bit value, counted from the top."""
    return (value >> (128 - end)) & ((1 << (end - start)) - 1)


def _v4(value: int) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(value)


def _translated(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for outright (mapped, compatible, SIIT, NAT64
    well-known prefix, 6to4 router): connecting to it reaches that IPv4 address."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or address in _COMPATIBLE or address in _TRANSLATED:
        return _v4(_bits(int(address), 96, 128))
    return None


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address ``address`` may carry: IPv4-mapped (``::ffff:0:0/96``),
    IPv4-compatible (``::/96``), SIIT (``::ffff:0:0:0/96``), NAT64 (``64:ff9b::/96``, and each
    RFC 6052 position of the local-use ``64:ff9b:1::/48``), 6to4 (``2002::/16``), Teredo
    (``2001::/32``: server and client) and ISATAP (interface id ``0000:5efe`` or ``0200:5efe``).
    Empty for other addresses."""
    found: list[ipaddress.IPv4Address] = []
    translated = _translated(address)
    if translated is not None:
        found.append(translated)
    value = int(address)
    if address in _NAT64_LOCAL:
        found += [
            _v4(_bits(value, 48, 64) << 16 | _bits(value, 72, 88)),  # /48 prefix
            _v4(_bits(value, 56, 64) << 24 | _bits(value, 72, 96)),  # /56
            _v4(_bits(value, 72, 104)),  # /64
            _v4(_bits(value, 96, 128)),  # /96
        ]
    if address.teredo is not None:
        found += list(address.teredo)
    if _bits(value, 64, 96) & 0xFCFFFFFF == _ISATAP_ID:
        found.append(_v4(_bits(value, 96, 128)))
    return found


def _own_kind(address: IPAddress) -> AddressKind:
    if address.is_link_local or address.is_multicast:
        return "forbidden"
    if any(address in entry.network for entry in PLATFORM_ADDRESSES):
        return "forbidden"
    return "public" if address.is_global else "private"


def classify_address(address: IPAddress) -> AddressKind:
    """``forbidden``, ``private`` or ``public`` (see the module docstring). An IPv6 address
    standing for an IPv4 one gets that address's kind; one that merely carries IPv4 addresses
    (Teredo, ISATAP, local-use NAT64) gets the strictest of its own kind and theirs."""
    if isinstance(address, ipaddress.IPv4Address):
        return _own_kind(address)
    translated = _translated(address)
    kinds = [_own_kind(translated if translated is not None else address)]
    kinds += [_own_kind(inner) for inner in embedded_ipv4(address)]
    if address in _NAT64_LOCAL:
        kinds.append("private")  # local use by definition (RFC 8215)
    return max(kinds, key=_SEVERITY.__getitem__)
