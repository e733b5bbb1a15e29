"""An unexpected exception in one provider call (an adapter bug, like the JSON-mode ladder that
once ran empty with ``IndexError``) fails that item with ``internal_error``; the others are
explained and the run completes."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest

from binscribe.explain import ExplainOptions, explain_analysis
from binscribe.llm.base import ChatMessage, Completion
from tests.integration.explain.conftest import Env
from tests.unit.explain.samples import fileio_result

MakeEnv = Callable[..., Env]


class BrokenFor:
    """Our adapter protocol around a real adapter; calls about function ``name`` raise
    ``IndexError`` as the adapter bug did."""

    def __init__(self, adapter: Any, name: str) -> None:
        self.adapter = adapter
        self.model = adapter.model
        self.max_concurrency = adapter.max_concurrency
        self.prices = adapter.prices
        self.name = name

    async def complete(self, messages: list[ChatMessage], **kwargs: Any) -> Completion:
        # the function's own prompt names it in its identity block (explain.parts.identity)
        if any(f"name: {json.dumps(self.name)}\naddress: 0x" in m.content for m in messages):
            raise IndexError("pop from empty list")
        result: Completion = await self.adapter.complete(messages, **kwargs)
        return result


async def test_unexpected_error_fails_only_its_item(
    explain_env: MakeEnv, caplog: pytest.LogCaptureFixture
) -> None:
    _, adapter = explain_env("openai")
    with caplog.at_level(logging.ERROR, logger="binscribe.explain.calls"):
        report = await explain_analysis(
            fileio_result(),
            adapter=BrokenFor(adapter, "send_report"),
            model=adapter.model,
            provider_type="openai",
            options=ExplainOptions(),
        )
    by_name = {f.name: f for f in report.functions}
    failed = by_name["send_report"]
    assert failed.status == "failed" and failed.error is not None
    assert (failed.error.code, failed.error.message) == (
        "internal_error",
        "An unexpected error stopped this provider call; the server log has the details.",
    )
    assert by_name["copy_file"].status == "explained"
    assert by_name["main"].status == "explained"
    assert (report.explained, report.failed, report.all_failed) == (2, 1, False)
    assert report.program is not None and report.program.status == "explained"
    [record] = [r for r in caplog.records if r.name == "binscribe.explain.calls"]
    assert record.exc_info is not None and record.exc_info[0] is IndexError
