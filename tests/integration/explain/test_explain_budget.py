"""A job's token budget stops the explaining where it is reached: in the middle of merging a
39 KB function's part summaries, the function is still explained from the summaries it has,
with its coverage (between 0 and 1) and ``coverage_reason: budget_exceeded``; a function after
it is not explained (``budget_exceeded``), and the status note says so. The local
OpenAI-protocol server through the real SDK, one call at a time so the order is fixed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from binscribe.analysis.models import AnalysisResult
from binscribe.explain import ExplainOptions, MemoryCache, explain_analysis
from binscribe.explain.budget import BUDGET_EXCEEDED
from binscribe.explain.report import CoverageReason
from binscribe.llm.base import Completion
from binscribe.llm.config import MIN_CONTEXT_TOKENS
from tests.integration.explain.conftest import Env
from tests.unit.explain.samples import fileio_result

MakeEnv = Callable[..., Env]
LINES = 1000


class Recording:
    """The adapter, recording each answered call's prompt and tokens (input + output)."""

    def __init__(self, adapter: Any) -> None:
        self._adapter = adapter
        self.calls: list[tuple[str, int]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._adapter, name)

    async def complete(self, messages: Any, **kwargs: Any) -> Completion:
        completion: Completion = await self._adapter.complete(messages, **kwargs)
        tokens = (completion.input_tokens or 0) + (completion.output_tokens or 0)
        self.calls.append((messages[-1].content, tokens))
        return completion


def _with_huge_copy_file() -> tuple[AnalysisResult, list[int]]:
    result = fileio_result()
    body = [f"    v{n:04d} = fread(&v0, 1, {n:4d}, v2); //" for n in range(LINES - 3)]
    big = "long copy_file(char *a0, char *a1)\n{\n" + "\n".join(body) + "\n}"
    result.functions[6] = result.functions[6].model_copy(update={"pseudocode": big})
    targets = [f.address for f in result.functions if f.name in ("copy_file", "main")]
    return result, targets


def _options(targets: list[int], **budget: Any) -> ExplainOptions:
    return ExplainOptions(
        context_tokens=MIN_CONTEXT_TOKENS,
        explain_imports=False,
        explain_strings=False,
        summarize_program=False,
        max_concurrency=1,
        addresses=targets,
        **budget,
    )


async def test_a_budget_reached_mid_merge_reports_partial_coverage(explain_env: MakeEnv) -> None:
    result, targets = _with_huge_copy_file()
    _, plain = explain_env("openai", max_concurrency=1)
    measured = Recording(plain)
    free = await explain_analysis(
        result,
        adapter=measured,
        model=plain.model,
        provider_type="openai",
        options=_options(targets),
    )
    whole = next(f for f in free.functions if f.name == "copy_file")
    assert (whole.coverage, whole.coverage_reason) == (1.0, None)
    assert free.budget is None and free.failure_note() is None
    kinds = [prompt.split(" ", 1)[0] for prompt, _ in measured.calls]
    first_merge = kinds.index("Merge")
    assert kinds == ["Summarize"] * first_merge + ["Merge"] * (len(kinds) - first_merge - 2) + [
        "Explain",
        "Explain",
    ], kinds
    # Used up exactly when the last part has answered: no summaries are merged.
    budget = sum(tokens for _, tokens in measured.calls[:first_merge])

    _, adapter = explain_env("openai", max_concurrency=1)
    counted = Recording(adapter)
    cache = MemoryCache()
    report = await explain_analysis(
        result,
        adapter=counted,
        model=adapter.model,
        provider_type="openai",
        options=_options(targets, budget_tokens=budget),
        cache=cache,
        provider_identity="p-1",
    )

    copy_file = next(f for f in report.functions if f.name == "copy_file")
    main = next(f for f in report.functions if f.name == "main")
    assert copy_file.status == "explained"
    assert 0 < copy_file.coverage < 1
    assert copy_file.coverage_reason == CoverageReason.BUDGET_EXCEEDED == BUDGET_EXCEEDED
    assert copy_file.parts == first_merge
    # The parts, then the function's last call on the summaries that fit.
    assert [p.split(" ", 1)[0] for p, _ in counted.calls] == [*kinds[:first_merge], "Explain"]
    assert copy_file.usage.requests == first_merge + 1
    assert main.status == "failed" and main.error is not None
    assert main.error.code == BUDGET_EXCEEDED
    spent = sum(tokens for _, tokens in counted.calls)  # the last call went past the budget
    assert spent > budget and report.usage.input_tokens + report.usage.output_tokens == spent
    assert main.error.message == (
        f"The job's budget of {budget:,} tokens was used up ({spent:,} tokens)."
    )
    assert report.budget == f"{budget:,} tokens" and report.budget_exceeded
    assert report.items_failed == 1 and report.failed_parts == ["functions"]
    assert not report.all_failed
    assert report.failure_note() == (
        f"budget of {budget:,} tokens reached: not explained (budget_exceeded): 1 of 2 "
        "functions; 1 function explained from part of its code"
    )
    assert len(cache) == 0  # an explanation the budget cut short is not cached
    as_json = report.model_dump(mode="json")
    assert as_json["functions"][0]["coverage_reason"] == "budget_exceeded"
