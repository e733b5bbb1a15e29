"""What a job's options turn into: decompile and explain limits, the explanation settings."""

from __future__ import annotations

import uuid

import pytest

from binscribe.jobs.pipeline import _explain_options, _Plan
from binscribe.llm.config import ProviderConfig


def _plan(depth: str, function_limit: int | None = None, detail: str = "brief") -> _Plan:
    return _Plan(uuid.uuid4(), "0" * 64, "a.out", depth, detail, function_limit, None, None, 1)


@pytest.mark.parametrize(
    ("depth", "limit", "decompiled", "explained"),
    [
        ("basic", None, 0, 50),
        ("basic", 7, 0, 7),
        ("standard", None, 50, 50),
        ("standard", 7, 7, 7),
        ("detailed", None, 0, None),  # 0: no limit on decompiling (the cache key's form)
        ("detailed", 7, 7, 7),
    ],
)
def test_limits_per_depth(
    depth: str, limit: int | None, decompiled: int, explained: int | None
) -> None:
    plan = _plan(depth, limit)
    assert (plan.max_decompiled, plan.max_explained) == (decompiled, explained)


def test_explain_options_take_the_providers_context_window() -> None:
    plain = ProviderConfig(provider_type="ollama")
    sized = ProviderConfig(provider_type="ollama", context_tokens=4096)
    assert _explain_options(_plan("standard"), plain).context_tokens == 16_384
    options = _explain_options(_plan("standard", 3, "comprehensive"), sized)
    assert (options.context_tokens, options.max_functions, options.detail) == (
        4096,
        3,
        "comprehensive",
    )


def test_the_analysis_cache_key_names_angr_and_our_analysis_revision() -> None:
    from importlib.metadata import version

    from binscribe.analysis.options import ANALYSIS_REVISION
    from binscribe.jobs.pipeline import ENGINE_VERSION

    assert ENGINE_VERSION == f"{version('angr')}+r{ANALYSIS_REVISION}"
    assert ANALYSIS_REVISION >= 2  # results before .NET methods and Go/Rust marking are stale
