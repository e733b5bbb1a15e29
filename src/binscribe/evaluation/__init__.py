"""Measured explanation quality: ``binscribe eval`` and ``make bench-quality``.

Given reference binaries (unstripped: their symbols are the truth) the harness analyzes their
stripped copies once, has every chosen provider explain the same functions, and scores each
answer: suggested-name token precision/recall/F1 against the real symbol (:mod:`.names`), JSON
validity and repair rate, grounding score (when explanations carry one), coverage, tokens, cost
and latency, per binary and overall (:mod:`.metrics`), as a table (:mod:`.table`) or JSON.

Modules: ``names`` (tokenization, synonyms, P/R/F1), ``corpus`` (reference symbols, stripped
inputs), ``metrics`` (per-function scores, summaries, the JSON document), ``runner`` (analysis,
explanation, scoring), ``table``. Imports analysis, explain and llm; never the database.
"""

from binscribe.evaluation.corpus import reference_files
from binscribe.evaluation.metrics import EvaluationReport, FunctionScore, Summary, summarize
from binscribe.evaluation.names import TokenCounts, name_tokens, score_name
from binscribe.evaluation.runner import ProviderTarget, evaluate
from binscribe.evaluation.table import evaluation_table

__all__ = [
    "EvaluationReport",
    "FunctionScore",
    "ProviderTarget",
    "Summary",
    "TokenCounts",
    "evaluate",
    "evaluation_table",
    "name_tokens",
    "reference_files",
    "score_name",
    "summarize",
]
