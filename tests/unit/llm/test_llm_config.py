"""ProviderConfig: defaults per type, parsing config_json, and a repr without the key."""

from __future__ import annotations

import pytest

from binscribe.errors import ValidationFailed
from binscribe.llm.config import ProviderConfig
from binscribe.llm.types import ProviderType

CANARY = "sk-canary-0123456789abcdef"


def test_repr_and_str_hide_the_key() -> None:
    config = ProviderConfig(provider_type="openai", api_key=CANARY, model="gpt-4o-mini")
    for text in (repr(config), str(config), f"{config}", repr([config])):
        assert CANARY not in text
        assert "api_key=<set>" in text
    assert "api_key=<none>" in repr(ProviderConfig(provider_type="ollama"))


def test_defaults_come_from_the_type_registry() -> None:
    openai = ProviderConfig(provider_type="openai")
    assert (openai.base_url, openai.model_name, openai.timeout) == (
        "https://api.openai.com/v1",
        "gpt-4.1-mini",
        120.0,
    )
    ollama = ProviderConfig(provider_type=ProviderType.OLLAMA)
    assert (ollama.base_url, ollama.timeout, ollama.max_concurrency) == (
        "http://127.0.0.1:11434",
        300.0,
        4,
    )


def test_from_stored_reads_config_json() -> None:
    config = ProviderConfig.from_stored(
        provider_type="gemini",
        api_key="",
        endpoint_url=None,
        default_model="gemini-2.5-pro",
        config_json={"timeout_s": 30, "max_concurrency": 2, "context_tokens": 8192, "top_p": 0.9},
    )
    assert config.api_key is None
    assert (config.model_name, config.timeout, config.max_concurrency) == ("gemini-2.5-pro", 30, 2)
    assert config.context_tokens == 8192
    assert config.options == {"top_p": 0.9}


@pytest.mark.parametrize(
    ("config_json", "field"),
    [
        ({"timeout_s": 0}, "config.timeout_s"),
        ({"timeout_s": "slow"}, "config.timeout_s"),
        ({"max_concurrency": 0}, "config.max_concurrency"),
        ({"max_concurrency": 65}, "config.max_concurrency"),
        ({"max_concurrency": True}, "config.max_concurrency"),
        ({"context_tokens": 1024}, "config.context_tokens"),
        ({"context_tokens": "8k"}, "config.context_tokens"),
        ({"context_tokens": 8192.5}, "config.context_tokens"),
    ],
)
def test_from_stored_refuses_bad_values(config_json: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        ProviderConfig.from_stored(
            provider_type="openai",
            api_key="k",
            endpoint_url=None,
            default_model=None,
            config_json=config_json,
        )
    assert caught.value.code == "invalid_provider_config"
    assert [f["field"] for f in caught.value.details["fields"]] == [field]
