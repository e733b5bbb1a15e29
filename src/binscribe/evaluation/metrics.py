"""What an evaluation measures, per function and summed per binary and overall (JSON shapes).

Per function the model explained (or failed to): token counts of its suggested name against the
reference symbol (:mod:`binscribe.evaluation.names`), whether its JSON needed the repair turn,
coverage, tokens, cost and the grounding score when the explanation carries one. A summary adds
them up: name precision/recall/F1 over the *scored* functions (those matched to a reference
symbol whose name the input did not already show), ``json_valid`` = share of answered functions
whose final reply was valid JSON for the schema, ``repair_rate`` = share that needed the repair
turn, ``grounding`` = grounded claims / checked claims over the functions that report it (None:
"n/a"), ``coverage`` = mean share of each answered function's code the explanation covers,
latency per provider request in milliseconds (mean and 95th percentile).
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from binscribe.evaluation.names import TokenCounts, total


class FunctionScore(BaseModel):
    """One function of one binary explained by one provider.

    ``true_name``: the reference symbol at the same address (None: no symbol there).
    ``named_in_input``: the stripped input already shows the true name (``main`` found by the
    analysis), so the name is not scored. ``repaired``: the first reply was invalid and the
    repair turn was sent. ``grounding``: grounded / total claims as the explanation reports it.
    """

    address: int
    input_name: str
    true_name: str | None
    suggested_name: str | None
    status: str
    error_code: str | None = None
    named_in_input: bool = False
    matched: int = 0
    predicted: int = 0
    actual: int = 0
    repaired: bool = False
    coverage: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = None
    grounding: float | None = None
    grounded: int | None = None
    grounding_total: int | None = None

    @property
    def scored(self) -> bool:
        """Counted in the name scores: answered, matched to a symbol not shown in the input."""
        return self.status == "explained" and self.true_name is not None and not self.named_in_input

    @property
    def counts(self) -> TokenCounts:
        """This function's name-token counts."""
        return TokenCounts(self.matched, self.predicted, self.actual)


class Summary(BaseModel):
    """The figures of many :class:`FunctionScore` (one binary, or all binaries)."""

    functions: int = Field(description="functions the model was asked to explain")
    explained: int
    failed: int
    scored: int = Field(description="explained functions with a reference name to score")
    precision: float
    recall: float
    f1: float
    json_valid: float | None
    repair_rate: float | None
    grounding: float | None
    coverage: float | None
    input_tokens: int
    output_tokens: int
    cost_usd: float | None
    requests: int
    latency_ms_mean: float | None
    latency_ms_p95: float | None


def _percentile(values: list[int], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)])


def summarize(functions: list[FunctionScore], latencies_ms: list[int]) -> Summary:
    """Sum ``functions`` and the provider requests' ``latencies_ms`` into a :class:`Summary`."""
    explained = [f for f in functions if f.status == "explained"]
    answered = [f for f in functions if f.status == "explained" or f.error_code == "invalid_output"]
    counts = total(f.counts for f in functions if f.scored)
    grounded = [f for f in explained if f.grounded is not None and f.grounding_total is not None]
    checked = sum(f.grounding_total or 0 for f in grounded)
    costs = [f.cost_usd for f in functions if f.input_tokens or f.output_tokens]
    return Summary(
        functions=len(functions),
        explained=len(explained),
        failed=len(functions) - len(explained),
        scored=sum(f.scored for f in functions),
        precision=counts.precision,
        recall=counts.recall,
        f1=counts.f1,
        json_valid=len(explained) / len(answered) if answered else None,
        repair_rate=sum(f.repaired for f in answered) / len(answered) if answered else None,
        grounding=(
            sum(f.grounded or 0 for f in grounded) / checked if grounded and checked else None
        ),
        coverage=sum(f.coverage for f in explained) / len(explained) if explained else None,
        input_tokens=sum(f.input_tokens for f in functions),
        output_tokens=sum(f.output_tokens for f in functions),
        cost_usd=(
            sum(c for c in costs if c is not None) if all(c is not None for c in costs) else None
        ),
        requests=len(latencies_ms),
        latency_ms_mean=sum(latencies_ms) / len(latencies_ms) if latencies_ms else None,
        latency_ms_p95=_percentile(latencies_ms, 0.95),
    )


class BinaryRun(BaseModel):
    """One binary explained by one provider: its functions and their summary.
    ``wall_s``: seconds the explanation took (analysis excluded)."""

    binary: str
    provider: str
    model: str
    wall_s: float
    summary: Summary
    functions: list[FunctionScore]
    latencies_ms: list[int] = Field(default_factory=list, exclude=True)


class ProviderOverall(BaseModel):
    """One provider's summary over every binary."""

    provider: str
    model: str
    summary: Summary


class EvaluationReport(BaseModel):
    """The JSON document of ``binscribe eval --json``: per binary and provider, then overall."""

    binaries: list[str]
    providers: list[str]
    function_limit: int
    runs: list[BinaryRun]
    overall: list[ProviderOverall]


def overall_of(runs: list[BinaryRun], provider: str, model: str) -> ProviderOverall:
    """The summary of ``provider`` over all its runs."""
    mine = [run for run in runs if run.provider == provider]
    functions = [f for run in mine for f in run.functions]
    latencies = [ms for run in mine for ms in run.latencies_ms]
    return ProviderOverall(provider=provider, model=model, summary=summarize(functions, latencies))
