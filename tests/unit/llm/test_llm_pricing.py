"""The price table covers every default model; reasoning and user-set prices in the estimate;
the provider config's thinking budget and prices."""

from __future__ import annotations

import re

import pytest

from binscribe.errors import ValidationFailed
from binscribe.llm.config import ProviderConfig
from binscribe.llm.pricing import PRICES, ModelPrice, estimate_cost, price_of
from binscribe.llm.types import PROVIDER_TYPES, ProviderType


@pytest.mark.parametrize("ptype", [t for t in ProviderType if t is not ProviderType.OLLAMA])
def test_every_hosted_default_model_has_a_dated_price(ptype: ProviderType) -> None:
    price = price_of(PROVIDER_TYPES[ptype].default_model)
    assert price is not None
    assert price.checked is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", price.checked)


def test_every_listed_price_is_dated_and_cache_hits_cost_less() -> None:
    for model, price in PRICES.items():
        assert price.checked, model
        assert 0 < price.input <= price.output, model
        assert price.cached_input is None or price.cached_input < price.input, model


def test_reasoning_tokens_are_part_of_output_and_billed_as_output() -> None:
    # gemini-2.5-flash: $0.30 in, $2.50 out; 400 of the 1000 output tokens were thinking.
    assert estimate_cost("gemini-2.5-flash", 1000, 1000, reasoning_tokens=400) == pytest.approx(
        (1000 * 0.30 + 1000 * 2.50) / 1e6
    )
    apart = ModelPrice(input=1.0, output=2.0, reasoning=10.0)
    assert estimate_cost("x", 0, 1000, reasoning_tokens=400, prices=apart) == pytest.approx(
        (600 * 2.0 + 400 * 10.0) / 1e6
    )


def test_provider_prices_give_unlisted_models_a_cost_and_win_over_the_table() -> None:
    own = ModelPrice(input=0.5, output=1.5)
    assert estimate_cost("my-finetune", 1000, 1000) is None
    assert estimate_cost("my-finetune", 1000, 1000, prices=own) == pytest.approx(0.002)
    assert estimate_cost("gpt-4.1-mini", 1000, 1000, prices=own) == pytest.approx(0.002)
    assert estimate_cost("my-finetune", None, 1000, prices=own) is None


def test_config_reads_thinking_budget_and_prices() -> None:
    config = ProviderConfig.from_stored(
        provider_type="gemini",
        api_key="k",
        endpoint_url=None,
        default_model=None,
        config_json={"thinking_budget": 0, "input_usd_per_mtok": 0.5, "output_usd_per_mtok": 2},
    )
    assert config.thinking_budget == 0
    assert config.prices == ModelPrice(input=0.5, output=2.0)
    assert config.options == {}


@pytest.mark.parametrize(
    ("config_json", "field"),
    [
        ({"thinking_budget": -1}, "config.thinking_budget"),
        ({"thinking_budget": 128_001}, "config.thinking_budget"),
        ({"thinking_budget": True}, "config.thinking_budget"),
        ({"input_usd_per_mtok": 1.0}, "config.output_usd_per_mtok"),
        ({"output_usd_per_mtok": 1.0}, "config.input_usd_per_mtok"),
        ({"input_usd_per_mtok": -1, "output_usd_per_mtok": 1}, "config.input_usd_per_mtok"),
        ({"input_usd_per_mtok": 1, "output_usd_per_mtok": "2"}, "config.output_usd_per_mtok"),
    ],
)
def test_config_refuses_bad_thinking_budget_and_prices(
    config_json: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        ProviderConfig.from_stored(
            provider_type="anthropic",
            api_key="k",
            endpoint_url=None,
            default_model=None,
            config_json=config_json,
        )
    assert caught.value.code == "invalid_provider_config"
    assert [f["field"] for f in caught.value.details["fields"]] == [field]
