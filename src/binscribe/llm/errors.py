"""The small set of errors every provider adapter raises, and helpers to build them safely.

::

    BinscribeError
    └── LLMError                  code: an LLMErrorCode; retryable + retry_after for our retries
        └── EndpointForbidden     endpoint_forbidden (HTTP 422): link-local/metadata/private host

Each adapter maps its SDK's exceptions to these in one function (``_map_error``). Messages are
user-facing: they say what went wrong and what to do, and never contain the API key; every text
that came from a provider passes through :func:`redact` first.
"""

from __future__ import annotations

import socket
import ssl
from enum import StrEnum

from binscribe.errors import BinscribeError


class LLMErrorCode(StrEnum):
    """Why a provider call failed: the ``code`` of every :class:`LLMError`."""

    AUTH_FAILED = "auth_failed"  # key missing, wrong or revoked (401/403)
    QUOTA_EXCEEDED = "quota_exceeded"  # no credit or plan quota left: retrying will not help
    RATE_LIMITED = "rate_limited"  # too many requests right now (429, Anthropic 529 overloaded)
    MODEL_NOT_FOUND = "model_not_found"  # the configured model does not exist for this key/server
    TIMEOUT = "timeout"  # no answer within the provider's timeout
    UNREACHABLE = "unreachable"  # DNS failure, connection refused or TLS error
    BAD_RESPONSE = "bad_response"  # the provider answered with something that is not its protocol
    CONTEXT_TOO_LONG = "context_too_long"  # prompt + max_tokens exceed the model's context window
    SERVER_ERROR = "server_error"  # 5xx from the provider (after our retries)
    REQUEST_REJECTED = "request_rejected"  # other 4xx: the provider refused the request
    UNSUPPORTED_PARAMETER = "unsupported_parameter"  # the model refuses a parameter we sent
    OUTPUT_TRUNCATED = "output_truncated"  # the output budget ran out before any answer
    ENDPOINT_FORBIDDEN = "endpoint_forbidden"  # the endpoint resolves to a refused address (SSRF)


# HTTP status the API edge uses when one of these escapes a request (upstream failures: 502/504).
_HTTP_STATUS = {LLMErrorCode.TIMEOUT: 504, LLMErrorCode.ENDPOINT_FORBIDDEN: 422}

_MIN_SECRET_FRAGMENT = 8
_MAX_PROVIDER_TEXT = 300


class LLMError(BinscribeError):
    """A provider call failed; ``code`` is an :class:`LLMErrorCode` (a string given is
    converted; an unknown one raises ``ValueError``).

    ``retryable`` marks rate limits and 5xx; ``retry_after`` is the provider's requested wait in
    seconds (Retry-After header or Gemini RetryInfo) when it gave one. ``http_status`` is 502 for
    upstream failures, 504 for timeouts and 422 for ``endpoint_forbidden``.
    """

    http_status = 502
    code = LLMErrorCode.BAD_RESPONSE

    def __init__(
        self,
        message: str,
        *,
        code: LLMErrorCode | str,
        retryable: bool = False,
        retry_after: float | None = None,
        details: object = None,
    ) -> None:
        try:
            known = LLMErrorCode(code)
        except ValueError:
            raise ValueError(f"unknown LLM error code {code!r}") from None
        super().__init__(message, code=known, details=details)
        self.http_status = _HTTP_STATUS.get(known, 502)
        self.retryable = retryable
        self.retry_after = retry_after


class EndpointForbidden(LLMError):
    """The endpoint's host is, or resolves to, an address binscribe refuses to call (HTTP 422)."""

    def __init__(self, message: str, *, details: object = None) -> None:
        super().__init__(message, code=LLMErrorCode.ENDPOINT_FORBIDDEN, details=details)


def redact(text: str, secret: str | None) -> str:
    """``text`` cut to 300 characters with ``secret`` and every 8+ character piece of it removed.

    Providers echo parts of a wrong key ("Incorrect API key provided: sk-abc***wxyz"); removing
    every long fragment of the real key keeps those echoes out of messages and logs. Each run of
    ``text`` made of such fragments becomes one ``[REDACTED]``. Linear in the lengths of ``text``
    and ``secret``: a text character belongs to a fragment exactly when it lies in an 8-character
    window that is also an 8-character window of the secret (any longer fragment is made of such
    windows), so one set of the secret's windows and one pass over the text's find them all.
    """
    if secret:
        secret = secret.strip()
        if len(secret) >= _MIN_SECRET_FRAGMENT:
            text = _remove_fragments(text, secret)
        elif secret in text:
            text = text.replace(secret, "[REDACTED]")
    if len(text) > _MAX_PROVIDER_TEXT:
        text = text[: _MAX_PROVIDER_TEXT - 3] + "..."
    return text


def _remove_fragments(text: str, secret: str) -> str:
    size = _MIN_SECRET_FRAGMENT
    windows = {secret[i : i + size] for i in range(len(secret) - size + 1)}
    covered_until = 0  # text[start:covered_until] is the fragment run being extended
    start = -1
    pieces: list[str] = []
    kept_from = 0
    for i in range(len(text) - size + 1):
        if text[i : i + size] not in windows:
            continue
        if i > covered_until or start < 0:  # a new run (the previous one ended before i)
            if start >= 0:
                pieces += [text[kept_from:start], "[REDACTED]"]
                kept_from = covered_until
            start = i
        covered_until = i + size
    if start < 0:
        return text
    pieces += [text[kept_from:start], "[REDACTED]", text[covered_until:]]
    return "".join(pieces)


def find_llm_error(exc: BaseException) -> LLMError | None:
    """The first :class:`LLMError` in ``exc``'s cause/context chain (ours, from a transport)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, LLMError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def connection_error(exc: BaseException, *, provider: str, endpoint: str) -> LLMError:
    """An ``unreachable`` error whose message names the cause: DNS, refused, TLS or other.

    Walks ``exc``'s cause chain for the socket-level error the HTTP stack wrapped.
    """
    reason = "the connection failed"
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    text = " ".join(str(item) for item in chain).lower()
    if any(isinstance(item, socket.gaierror) for item in chain) or "name or service" in text:
        reason = "DNS lookup failed (the host name does not resolve)"
    elif (
        any(isinstance(item, ssl.SSLError) for item in chain)
        or "certificate" in text
        or ("ssl" in text or "tls" in text)
    ):
        reason = "the TLS handshake failed (certificate or protocol error)"
    elif any(isinstance(item, ConnectionRefusedError) for item in chain) or "refused" in text:
        reason = "the connection was refused (is the server running on that port?)"
    elif "reset" in text or "disconnected" in text or "closed" in text:
        reason = "the server closed the connection without answering"
    return LLMError(
        f"Cannot reach {provider} at {endpoint}: {reason}.",
        code=LLMErrorCode.UNREACHABLE,
        details={"endpoint": endpoint},
    )


def timeout_error(*, provider: str, timeout_s: float) -> LLMError:
    """A ``timeout`` error naming the provider's configured timeout."""
    name = provider[:1].upper() + provider[1:]
    return LLMError(
        f"{name} did not answer within {timeout_s:g} s. A large model may still be loading; "
        "raise the provider's timeout or try a smaller model.",
        code=LLMErrorCode.TIMEOUT,
    )


def status_error(
    *,
    provider: str,
    status: int,
    provider_message: str,
    api_key: str | None,
    model: str,
    kind: LLMErrorCode | None = None,
    retry_after: float | None = None,
) -> LLMError:
    """Map an HTTP error status (plus a classification ``kind`` the adapter derived from the body)
    to an :class:`LLMError`.

    ``kind`` overrides the status-based choice: one of ``auth_failed``, ``quota_exceeded``,
    ``rate_limited``, ``model_not_found``, ``context_too_long``, ``server_error``.
    """
    said = redact(provider_message or "", api_key).strip()
    suffix = f" (HTTP {status}: {said})" if said else f" (HTTP {status})"
    if kind is None:
        if status in (401, 403):
            kind = LLMErrorCode.AUTH_FAILED
        elif status == 402:
            kind = LLMErrorCode.QUOTA_EXCEEDED
        elif status == 404:
            kind = LLMErrorCode.MODEL_NOT_FOUND
        elif status == 429:
            kind = LLMErrorCode.RATE_LIMITED
        elif status == 413:
            kind = LLMErrorCode.CONTEXT_TOO_LONG
        elif status >= 500:
            kind = LLMErrorCode.SERVER_ERROR
        else:
            kind = LLMErrorCode.REQUEST_REJECTED
    messages = {
        LLMErrorCode.AUTH_FAILED: f"{provider} refused the API key; check that it is correct "
        "and active",
        LLMErrorCode.QUOTA_EXCEEDED: f"{provider} says the account has no credit or quota left; "
        "check billing and plan limits",
        LLMErrorCode.RATE_LIMITED: f"{provider} is rate limiting or overloaded; try again shortly",
        LLMErrorCode.MODEL_NOT_FOUND: f"{provider} does not know the model '{model}' (or this "
        "key cannot use it); pick one from the provider's model list",
        LLMErrorCode.CONTEXT_TOO_LONG: "The request is longer than the context window of "
        f"'{model}'",
        LLMErrorCode.SERVER_ERROR: f"{provider} had an internal error",
        LLMErrorCode.REQUEST_REJECTED: f"{provider} rejected the request",
    }
    retryable = kind in (LLMErrorCode.RATE_LIMITED, LLMErrorCode.SERVER_ERROR)
    message = messages[kind] + suffix + "."
    return LLMError(
        message[:1].upper() + message[1:],
        code=kind,
        retryable=retryable,
        retry_after=retry_after,
        details={"status": status},
    )


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds form) or a ``retry-after-ms`` value."""
    if not value:
        return None
    try:
        seconds = float(value.strip().removesuffix("s"))
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def unsupported_parameter_error(
    *,
    provider: str,
    model: str,
    parameter: str,
    provider_message: str = "",
    api_key: str | None = None,
    status: int | None = None,
) -> LLMError:
    """An ``unsupported_parameter`` error naming ``parameter`` (in the message and in
    ``details.parameter``) and quoting the provider's words, redacted."""
    said = redact(provider_message or "", api_key).strip()
    parts = [f"HTTP {status}" if status else "", said]
    where = ": ".join(part for part in parts if part)
    suffix = f" ({where})" if where else ""
    name = provider[:1].upper() + provider[1:]
    return LLMError(
        f"{name} refuses the parameter '{parameter}' for model '{model}'{suffix}.",
        code=LLMErrorCode.UNSUPPORTED_PARAMETER,
        details={"parameter": parameter, **({"status": status} if status else {})},
    )
