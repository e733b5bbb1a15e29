"""``binscribe eval``'s harness against the real model (SmolLM2-135M through llama.cpp) on one
corpus binary: the run completes and every metric is measured from what the model answered.
The scores themselves are recorded by ``make bench-quality`` (benchmarks/README.md), not
asserted: a 135M model's names are mostly wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from binscribe.evaluation import ProviderTarget, evaluate, evaluation_table
from binscribe.llm.config import ProviderConfig
from tests.llm_real.conftest import MODEL

pytestmark = pytest.mark.llm_real

CORPUS = Path(__file__).parents[1] / "fixtures" / "eval"
FUNCTIONS = 2


async def test_eval_measures_the_real_model(llama_server: str) -> None:
    config = ProviderConfig(
        provider_type="openai",
        api_key=None,
        endpoint_url=llama_server,
        model=MODEL,
        timeout_s=900,
        max_concurrency=1,
        context_tokens=2048,
    )
    report = await evaluate(
        [CORPUS / "puff-x86_64-O0"],
        [ProviderTarget("smollm2", config)],
        function_limit=FUNCTIONS,
        detail="brief",
        allow_private_endpoints=True,
    )

    [run] = report.runs
    summary = run.summary
    assert (run.binary, run.provider, summary.functions) == ("puff-x86_64-O0", "smollm2", FUNCTIONS)
    assert summary.explained + summary.failed == FUNCTIONS
    assert summary.requests >= FUNCTIONS and summary.input_tokens > 0
    assert summary.cost_usd is None  # a local model has no price
    assert len(run.functions) == FUNCTIONS
    for function in run.functions:
        if function.status == "explained":
            assert 0 < function.coverage <= 1
        else:
            assert function.error_code is not None
    print(evaluation_table(report))
