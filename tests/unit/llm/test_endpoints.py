"""Endpoint URL normalization: what users paste becomes the base URL each SDK expects."""

from __future__ import annotations

import pytest

from binscribe.errors import ValidationFailed
from binscribe.llm.endpoints import normalize_endpoint


@pytest.mark.parametrize(
    ("ptype", "raw", "stored"),
    [
        ("ollama", "http://host:11434", "http://host:11434"),
        ("ollama", "http://host:11434/", "http://host:11434"),
        ("ollama", "http://host:11434/api", "http://host:11434"),
        ("ollama", "http://host:11434/api/chat", "http://host:11434"),
        ("ollama", "HTTP://Host:11434/v1/", "http://host:11434"),
        ("openai", "http://127.0.0.1:8080", "http://127.0.0.1:8080/v1"),
        ("openai", "http://127.0.0.1:8080/v1/", "http://127.0.0.1:8080/v1"),
        ("openai", " http://127.0.0.1:8080/v1/chat/completions ", "http://127.0.0.1:8080/v1"),
        ("openai", "https://proxy.example/openai/v1/models", "https://proxy.example/openai/v1"),
        ("openai", "https://api.example/openai/chat/completions", "https://api.example/openai"),
        ("openai", "http://[::1]:8000/v1", "http://[::1]:8000/v1"),
        ("openai", "http://Straße.example/v1", "http://strasse.example/v1"),
        ("ollama", "http://cafe:11434", "http://cafe:11434"),
        ("anthropic", "https://api.anthropic.com/v1/messages", "https://api.anthropic.com"),
        (
            "gemini",
            "https://generativelanguage.googleapis.com/v1beta/",
            "https://generativelanguage.googleapis.com",
        ),
    ],
)
def test_normalized_forms(ptype: str, raw: str, stored: str) -> None:
    assert normalize_endpoint(ptype, raw).url == stored


def test_changes_are_reported() -> None:
    result = normalize_endpoint("openai", " http://h:8080/v1/chat/completions/ ")
    assert result.changes == [
        "removed surrounding spaces",
        "removed the trailing slash",
        "removed the API path /v1/chat/completions; binscribe adds it on each request",
    ]
    assert normalize_endpoint("ollama", "http://h:11434").changes == []


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "localhost:11434",
        "ftp://h/",
        "file:///etc/passwd",
        "http://",
        "http://u:p@h/",
        "http://h/?key=1",
        "http://h/#x",
        "http://h:99999/",
        "javascript:alert(1)",
        "http://0251.0376.0251.0376/",
        "http://2852039166/",
        "http://0xa9fea9fe/",
        "http://169.254.43518/",
        "http://" + "a" * 64 + ".com/",
        "http://a..b/",
        "http://xn--zz.com/",
        "http://exa mple.com/",
        "http://h:0/v1",
        "http://h:00/v1",
        "http://" + ("a" * 62 + ".") * 4 + "com/",  # 255 characters: over the DNS limit of 253
    ],
)
def test_rejected(raw: str) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        normalize_endpoint("openai", raw)
    assert excinfo.value.code == "invalid_endpoint_url"
    fields = excinfo.value.details["fields"]
    assert fields == [
        {"field": "endpoint_url", "message": excinfo.value.message, "type": "invalid_endpoint_url"}
    ]


def test_host_length_limit_is_253_characters() -> None:
    longest = ("a" * 63 + ".") * 3 + "b" * 61  # 253 characters, labels of at most 63
    assert normalize_endpoint("openai", f"http://{longest}:1/v1").url == f"http://{longest}:1/v1"
    with pytest.raises(ValidationFailed) as excinfo:
        normalize_endpoint("openai", f"http://{longest}x:1/v1")
    assert excinfo.value.message == (
        "The endpoint URL's host name is longer than 253 characters, the longest a DNS name can be."
    )


@pytest.mark.parametrize(
    ("raw", "stored", "model"),
    [
        (
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-3.5-flash"
            ":generateContent",
            "https://generativelanguage.googleapis.com",
            "gemini-3.5-flash",
        ),
        (
            "https://generativelanguage.googleapis.com/v1/models/gemini-3.5-flash-lite",
            "https://generativelanguage.googleapis.com",
            "gemini-3.5-flash-lite",
        ),
        (
            "https://proxy.example/google/v1beta/models/gemini-3.1-pro-preview:streamGenerateContent",
            "https://proxy.example/google",
            "gemini-3.1-pro-preview",
        ),
        (
            "https://generativelanguage.googleapis.com/v1beta/models",
            "https://generativelanguage.googleapis.com",
            None,
        ),
    ],
)
def test_pasted_gemini_method_url_gives_the_base_and_the_model(
    raw: str, stored: str, model: str | None
) -> None:
    result = normalize_endpoint("gemini", raw)
    assert (result.url, result.model) == (stored, model)


def test_pasted_gemini_method_url_is_reported() -> None:
    result = normalize_endpoint(
        "gemini", "https://h.example/v1beta/models/gemini-x:generateContent"
    )
    assert result.changes == [
        "removed the API path /v1beta/models/gemini-x:generateContent; binscribe adds it on each "
        "request (the model gemini-x is set apart)"
    ]


def test_only_gemini_reads_a_model_from_the_path() -> None:
    result = normalize_endpoint("openai", "http://h:8080/v1/models/m1:generateContent")
    assert (result.url, result.model) == ("http://h:8080/v1/models/m1:generateContent", None)
