"""What every item of one engine run shares: the analysis, the caller, grounding, options,
the cache and the summaries of functions explained so far; plus the detail-level settings."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from binscribe.analysis.models import AnalysisResult, InjectionFinding
from binscribe.explain.cache import ExplanationCache
from binscribe.explain.calls import Caller, ItemFailed
from binscribe.explain.evidence import Grounding
from binscribe.explain.report import ExplainOptions, TranslationDetail
from binscribe.llm.config import MIN_CONTEXT_TOKENS
from binscribe.llm.errors import LLMErrorCode

# Room left in the context for the chat format's own tokens and estimate error.
SAFETY_TOKENS = 256


@dataclass(frozen=True)
class DetailSpec:
    """One detail level: answer token limits and the wording asked of the model."""

    function_tokens: int
    program_tokens: int
    function_wording: str
    program_wording: str


DETAIL: dict[TranslationDetail, DetailSpec] = {
    TranslationDetail.BRIEF: DetailSpec(
        700,
        900,
        "two or three plain sentences.",
        "two or three sentences",
    ),
    TranslationDetail.STANDARD: DetailSpec(
        1400,
        1600,
        "one or two paragraphs: what it does step by step, the data it handles and how it "
        "reports errors.",
        "one paragraph",
    ),
    TranslationDetail.COMPREHENSIVE: DetailSpec(
        3000,
        3000,
        "a thorough walkthrough: control flow step by step, data structures and buffers, "
        "every call's role, error paths and edge cases.",
        "several paragraphs covering every major behaviour",
    ),
}
PART_TOKENS = 600


@dataclass
class Run:
    """The shared state of one :func:`~binscribe.explain.engine.explain_analysis` call.

    ``cache`` is used only with a ``provider_identity``
    (:func:`~binscribe.explain.cache.provider_identity`), which its keys include.
    ``summaries`` maps function name -> summary of each function explained so far (callers'
    prompts read it; the bottom-up schedule guarantees callees are there first). ``tainted``
    maps the name of each function whose answer was ``suspect_injection`` to the findings that
    reached it: its summary carries them on into its callers' prompts.
    """

    result: AnalysisResult
    caller: Caller
    options: ExplainOptions
    grounding: Grounding
    provider_type: str
    model: str
    cache: ExplanationCache | None = None
    provider_identity: str | None = None
    summaries: dict[str, str] = field(default_factory=dict)
    tainted: dict[str, list[InjectionFinding]] = field(default_factory=dict)

    @property
    def detail(self) -> DetailSpec:
        """The settings of ``options.detail``."""
        return DETAIL[self.options.detail]

    def budget(self, fixed_tokens: int, answer_tokens: int) -> int:
        """Tokens left for variable content in a prompt whose fixed text takes
        ``fixed_tokens`` and whose answer may take ``answer_tokens`` (at least 256)."""
        left = self.options.context_tokens - fixed_tokens - answer_tokens - SAFETY_TOKENS
        return max(left, 256)

    @property
    def binary_line(self) -> str:
        """One line naming the binary: file name (JSON-quoted: it is the uploader's), format,
        architecture and kind."""
        info = self.result.binary
        facts = [info.format.upper(), info.arch, f"{info.bits}-bit", info.kind]
        if info.stripped:
            facts.append("stripped")
        if info.static:
            facts.append("statically linked")
        if info.language != "native":
            facts.append(info.language)
        return f"{json.dumps(info.file_name)} ({', '.join(facts)})"


async def shrinking[T](run: Run, attempt: Callable[[Run], Awaitable[T]]) -> T:
    """``await attempt(run)``; when the provider answers ``context_too_long`` (the model's
    window is smaller than ``options.context_tokens`` assumed), again with half the window, so
    the prompts are split smaller, down to ``MIN_CONTEXT_TOKENS``. The smaller window is kept
    on ``run`` (shared by the run's items), so later items start from it.

    Raises the last :class:`ItemFailed` when even that does not fit, or any other failure.
    """
    while True:
        tried = run.options.context_tokens
        try:
            return await attempt(run)
        except ItemFailed as exc:
            if exc.code != LLMErrorCode.CONTEXT_TOO_LONG:
                raise
            if run.options.context_tokens == tried:  # no other item has shrunk it meanwhile
                if tried // 2 < MIN_CONTEXT_TOKENS:
                    raise
                run.options = run.options.model_copy(update={"context_tokens": tried // 2})
