"""ProviderOptions: one model for a provider's ``config``, its ranges, defaults per type, the
specs ``GET /types`` hands the UI, and refusals with ``invalid_provider_config``."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from binscribe.errors import ValidationFailed
from binscribe.llm.config import ProviderConfig
from binscribe.llm.options import (
    ProviderOptions,
    option_specs,
    parse_options,
    readable_options,
)
from binscribe.llm.types import ProviderType

EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh"]


@pytest.mark.parametrize(
    ("key", "low", "high"),
    [
        ("max_concurrency", 1, 64),
        ("timeout_s", 1, 3600),
        ("context_tokens", 2048, 10_000_000),
        ("thinking_budget", 0, 128_000),
    ],
    ids=["max_concurrency", "timeout_s", "context_tokens", "thinking_budget"],
)
def test_whole_number_options_take_their_bounds_and_refuse_beyond(
    key: str, low: int, high: int
) -> None:
    assert getattr(ProviderOptions.model_validate({key: low}), key) == low
    assert getattr(ProviderOptions.model_validate({key: high}), key) == high
    for bad in (low - 1, high + 1, float(low) + 0.5, str(low), True):
        with pytest.raises(ValidationError) as caught:
            ProviderOptions.model_validate({key: bad})
        assert [e["loc"] for e in caught.value.errors()] == [(key,)], bad


def test_prices_take_decimals_in_range_and_come_in_pairs() -> None:
    both = ProviderOptions.model_validate({"input_usd_per_mtok": 0, "output_usd_per_mtok": 2.5})
    assert (both.input_usd_per_mtok, both.output_usd_per_mtok) == (0.0, 2.5)
    for key in ("input_usd_per_mtok", "output_usd_per_mtok"):
        with pytest.raises(ValidationError) as caught:
            ProviderOptions.model_validate({key: 1.0})
        other = ({"input_usd_per_mtok", "output_usd_per_mtok"} - {key}).pop()
        assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [
            ((other,), "prices_together")
        ]
    with pytest.raises(ValidationError):
        ProviderOptions.model_validate({"input_usd_per_mtok": 10_001, "output_usd_per_mtok": 1})


def test_reasoning_effort_is_one_of_the_enum_and_unknown_keys_are_refused() -> None:
    assert ProviderOptions.model_validate({"reasoning_effort": "high"}).reasoning_effort == "high"
    with pytest.raises(ValidationError):
        ProviderOptions.model_validate({"reasoning_effort": "maximal"})
    with pytest.raises(ValidationError):
        ProviderOptions.model_validate({"temperature": 0.2})


@pytest.mark.parametrize(
    ("ptype", "timeout", "keys"),
    [
        (ProviderType.OPENAI, 120, ["reasoning_effort"]),
        (ProviderType.ANTHROPIC, 120, ["thinking_budget"]),
        (ProviderType.GEMINI, 120, ["thinking_budget"]),
        (ProviderType.OLLAMA, 300, ["thinking_budget"]),
    ],
    ids=["openai", "anthropic", "gemini", "ollama"],
)
def test_specs_give_each_type_its_options_ranges_and_defaults(
    ptype: ProviderType, timeout: int, keys: list[str]
) -> None:
    specs = {s.key: s for s in option_specs(ptype)}
    common = ["max_concurrency", "timeout_s", "context_tokens"]
    prices = ["input_usd_per_mtok", "output_usd_per_mtok"]
    expected = common + prices + keys
    assert sorted(specs) == sorted(expected)
    ranges = {k: (s.kind, s.minimum, s.maximum, s.default) for k, s in specs.items()}
    assert ranges["max_concurrency"] == ("integer", 1, 64, 4)
    assert ranges["timeout_s"] == ("integer", 1, 3600, timeout)
    assert ranges["context_tokens"] == ("integer", 2048, 10_000_000, 16_384)
    assert ranges["input_usd_per_mtok"] == ("number", 0, 10_000, None)
    if "thinking_budget" in specs:
        assert ranges["thinking_budget"] == ("integer", 0, 128_000, None)
    else:
        assert (specs["reasoning_effort"].kind, specs["reasoning_effort"].choices) == (
            "choice",
            EFFORTS,
        )
    # The defaults the specs announce are the ones an adapter really gets.
    config = ProviderConfig.from_stored(
        provider_type=ptype, api_key=None, endpoint_url=None, default_model=None, config_json={}
    )
    assert (config.timeout, config.max_concurrency) == (timeout, 4)


@pytest.mark.parametrize(
    ("stored", "fields"),
    [
        ({"timeout_s": 3601}, ["config.timeout_s"]),
        ({"timeout_s": 0.5}, ["config.timeout_s"]),
        (
            {"max_concurrency": 0, "context_tokens": "8k"},
            ["config.max_concurrency", "config.context_tokens"],
        ),
        ({"output_usd_per_mtok": 2}, ["config.input_usd_per_mtok"]),
    ],
    ids=["timeout-over-3600", "fractional-timeout", "two-bad", "one-price"],
)
def test_stored_options_out_of_range_are_refused_with_a_422_code(
    stored: dict[str, Any], fields: list[str]
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_options(stored)
    assert (caught.value.http_status, caught.value.code) == (422, "invalid_provider_config")
    assert [f["field"] for f in caught.value.details["fields"]] == fields
    assert caught.value.message.startswith(f"Stored provider option {fields[0]} is invalid: ")


def test_stored_options_keep_unknown_keys_apart_and_show_only_valid_ones() -> None:
    options, rest = parse_options({"timeout_s": 30, "reasoning_effort": "low", "top_p": 0.9})
    assert (options.timeout_s, options.reasoning_effort, rest) == (30, "low", {"top_p": 0.9})
    shown = readable_options({"timeout_s": 0.5, "max_concurrency": 2, "top_p": 0.9})
    assert shown.model_dump(exclude_none=True) == {"max_concurrency": 2}
