"""Endpoint URL rules shared by saving a provider, testing it and using it.

Users paste what their provider's docs show: ``http://host:11434``, ``.../v1/``, or a full endpoint
such as ``.../v1/chat/completions`` or Gemini's ``.../v1beta/models/<model>:generateContent``.
:func:`normalize_endpoint` turns each into the base URL the type's SDK expects and says what it
changed (and which model a pasted Gemini method URL named), so the API can store the right base
and tell the user.
The connection test and real use read only the stored form, so both accept exactly the same URLs.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from binscribe.errors import ValidationFailed, field_errors
from binscribe.llm.types import ProviderType

# Path suffixes users paste, longest first, mapped to what replaces them in the base URL.
_PASTED_SUFFIXES: dict[ProviderType, list[tuple[str, str]]] = {
    ProviderType.OPENAI: [
        ("/v1/chat/completions", "/v1"),
        ("/v1/completions", "/v1"),
        ("/v1/models", "/v1"),
        ("/chat/completions", ""),
        ("/models", ""),
    ],
    ProviderType.ANTHROPIC: [("/v1/messages", ""), ("/v1/models", ""), ("/v1", "")],
    ProviderType.GEMINI: [("/v1beta/models", ""), ("/v1beta", ""), ("/v1/models", ""), ("/v1", "")],
    ProviderType.OLLAMA: [
        ("/api/chat", ""),
        ("/api/generate", ""),
        ("/api/tags", ""),
        ("/api", ""),
        ("/v1/chat/completions", ""),
        ("/v1", ""),
    ],
}


# Gemini's method URLs name the model: .../v1beta/models/gemini-3.5-flash:generateContent
_GEMINI_MODEL_PATH = re.compile(r"/v1(?:alpha|beta)?/models/(?P<model>[^/:]+)(?::[A-Za-z]+)?$")


@dataclass(frozen=True)
class NormalizedEndpoint:
    """A stored-form base URL and the human-readable list of changes made to the input.

    ``model``: the model a pasted Gemini method URL named (``None`` when it named none).
    """

    url: str
    changes: list[str] = field(default_factory=list)
    model: str | None = None


def _invalid(message: str) -> ValidationFailed:
    code = "invalid_endpoint_url"
    return ValidationFailed(
        message, code=code, details=field_errors(("endpoint_url", message, code))
    )


# Hosts made only of decimal, octal or hex parts: other spellings of an IPv4 address.
MAX_HOST_LENGTH = 253
"""The longest DNS name in its dotted text form (RFC 1035 section 2.3.4, 255 octets on the
wire), IDNA-encoded."""
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+)){0,3}\.?$", re.IGNORECASE)


def _check_host(host: str) -> str:
    """The host in canonical form; odd spellings that hide an address are refused.

    IP literals must be canonical (``169.254.169.254``, not ``0251.0376.0251.0376``,
    ``2852039166`` or ``0xa9fea9fe``); names must encode to IDNA (labels of 1-63 characters,
    at most :data:`MAX_HOST_LENGTH` characters in all).
    """
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        raise _invalid(f"Write the IP address {host} in its usual dotted form (like 192.168.1.10).")
    if any(ch.isspace() for ch in host):
        raise _invalid("The endpoint URL's host name contains spaces.")
    try:
        encoded = host.encode("idna").decode("ascii")
        encoded.encode("ascii").decode("idna")  # refuses broken punycode such as xn--zz
    except UnicodeError as exc:
        raise _invalid(f"The endpoint URL's host name is not valid ({exc}).") from exc
    if any(not label for label in encoded.rstrip(".").split(".")):
        raise _invalid("The endpoint URL's host name has an empty label (like a..b).")
    if len(encoded.rstrip(".")) > MAX_HOST_LENGTH:
        raise _invalid(
            f"The endpoint URL's host name is longer than {MAX_HOST_LENGTH} characters, the "
            "longest a DNS name can be."
        )
    return encoded.lower()


def normalize_endpoint(provider_type: ProviderType | str, raw: str) -> NormalizedEndpoint:
    """Validate ``raw`` and return the base URL to store for ``provider_type``.

    Accepts http and https URLs with a host. Trims spaces, lowercases scheme and host, drops a
    trailing slash and strips pasted API paths (``/v1/chat/completions`` becomes ``/v1`` for
    OpenAI-compatible servers, ``/api/chat`` becomes the server root for Ollama, a Gemini method
    URL ``/v1beta/models/<model>:generateContent`` the root, its model reported as ``model``).
    An OpenAI-type URL without a path gets ``/v1``, where every OpenAI-compatible server serves
    its API.

    Raises:
        ValidationFailed: code ``invalid_endpoint_url`` for other schemes, a missing or
            malformed host (see :func:`_check_host`), port 0, user credentials, query strings or
            fragments in the URL.
    """
    ptype = ProviderType(provider_type)
    text = raw.strip()
    changes: list[str] = []
    if text != raw:
        changes.append("removed surrounding spaces")
    if not text:
        raise _invalid("The endpoint URL is empty.")
    if "://" not in text:
        raise _invalid("The endpoint URL must start with http:// or https://.")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise _invalid(f"The endpoint URL is not a valid URL ({exc}).") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise _invalid(f"The endpoint URL must use http or https, not {parts.scheme}.")
    if not parts.hostname:
        raise _invalid("The endpoint URL has no host name.")
    if parts.username or parts.password:
        raise _invalid("Put credentials in the API key field, not in the endpoint URL.")
    if parts.query or parts.fragment:
        raise _invalid("The endpoint URL must not contain a query string or fragment.")
    if port == 0:
        raise _invalid("The endpoint URL's port must be from 1 to 65535, not 0.")
    host = _check_host(parts.hostname)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"

    path = parts.path
    while path.endswith("/"):
        path = path[:-1]
    if path != parts.path and parts.path not in ("", "/"):
        changes.append("removed the trailing slash")
    model = None
    pasted = _GEMINI_MODEL_PATH.search(path) if ptype is ProviderType.GEMINI else None
    if pasted is not None:
        model = pasted.group("model")
        changes.append(
            f"removed the API path {pasted.group(0)}; binscribe adds it on each request "
            f"(the model {model} is set apart)"
        )
        path = path[: pasted.start()]
    for suffix, replacement in _PASTED_SUFFIXES[ptype] if pasted is None else []:
        if path.endswith(suffix):
            path = path[: -len(suffix)] + replacement
            changes.append(f"removed the API path {suffix}; binscribe adds it on each request")
            break
    if ptype is ProviderType.OPENAI and path == "":
        path = "/v1"
        changes.append("added /v1, where OpenAI-compatible servers serve their API")
    url = urlunsplit((scheme, netloc, path, "", ""))
    return NormalizedEndpoint(url=url, changes=changes, model=model)
