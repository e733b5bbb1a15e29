"""The SSRF guard: metadata and link-local spellings refused, private ranges per setting."""

from __future__ import annotations

import ipaddress

import pytest

from binscribe.llm.errors import EndpointForbidden, LLMError
from binscribe.llm.netguard import EndpointGuard, classify_address

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
    ],
)
def test_classify_address(address: str, kind: str) -> None:
    assert classify_address(ipaddress.ip_address(address)) == kind
