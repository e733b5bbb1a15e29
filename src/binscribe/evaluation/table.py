"""The evaluation as a terminal table: one row per binary and provider (providers side by side
on the same functions), then one overall row per provider. Absent figures print as ``n/a``."""

from __future__ import annotations

from rich.table import Table

from binscribe.evaluation.metrics import EvaluationReport, Summary

COLUMNS = (
    "binary",
    "provider",
    "funcs",
    "F1",
    "P",
    "R",
    "JSON ok",
    "repair",
    "grounding",
    "coverage",
    "tokens in/out",
    "cost $",
    "latency ms",
    "p95 ms",
)


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _cells(summary: Summary) -> list[str]:
    return [
        f"{summary.explained}/{summary.functions} ({summary.scored} scored)",
        f"{summary.f1:.3f}",
        f"{summary.precision:.3f}",
        f"{summary.recall:.3f}",
        _share(summary.json_valid),
        _share(summary.repair_rate),
        _share(summary.grounding),
        _share(summary.coverage),
        f"{summary.input_tokens}/{summary.output_tokens}",
        "n/a" if summary.cost_usd is None else f"{summary.cost_usd:.4f}",
        "n/a" if summary.latency_ms_mean is None else f"{summary.latency_ms_mean:.0f}",
        "n/a" if summary.latency_ms_p95 is None else f"{summary.latency_ms_p95:.0f}",
    ]


def evaluation_table(report: EvaluationReport) -> Table:
    """A rich :class:`Table` of ``report``."""
    table = Table(
        title=f"binscribe eval: name recovery and explanation quality "
        f"(up to {report.function_limit} functions per binary)"
    )
    for column in COLUMNS:
        table.add_column(column, justify="left" if column in {"binary", "provider"} else "right")
    for binary in report.binaries:
        for run in (r for r in report.runs if r.binary == binary):
            table.add_row(binary, f"{run.provider} ({run.model})", *_cells(run.summary))
        table.add_section()
    for overall in report.overall:
        table.add_row(
            "overall",
            f"{overall.provider} ({overall.model})",
            *_cells(overall.summary),
            style="bold",
        )
    return table
