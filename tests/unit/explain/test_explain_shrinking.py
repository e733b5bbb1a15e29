"""Prompts too long for the model: a slice that does not fit makes all slices go again smaller,
and the smaller window is kept for the rest of the run."""

from __future__ import annotations

from typing import Any

import pytest

from binscribe.explain.calls import ItemFailed
from binscribe.explain.program import _slices
from binscribe.explain.report import ExplainOptions
from binscribe.explain.run import Run, shrinking


async def test_one_slice_too_long_fails_the_slicing_so_it_can_shrink() -> None:
    entries = [f"entry {n} " + "x" * 400 for n in range(40)]
    asked: list[int] = []

    async def ask_one(text: str, part: int, parts: int) -> str:
        asked.append(part)
        if part == 1:
            raise ItemFailed("context_too_long", "too long")
        return text

    with pytest.raises(ItemFailed) as caught:
        await _slices(entries, 2000, ask_one)
    assert caught.value.code == "context_too_long"
    assert len(asked) > 1  # the other slices answered, but only part of the list would be covered

    async def other_failure(text: str, part: int, parts: int) -> str:
        if part == 1:
            raise ItemFailed("server_error", "boom")
        return text

    assert len(await _slices(entries, 2000, other_failure)) == len(asked) - 1


def _run(context_tokens: int) -> Run:
    fields: dict[str, Any] = dict.fromkeys(
        ("result", "caller", "grounding", "provider_type", "model")
    )
    return Run(**fields, options=ExplainOptions(context_tokens=context_tokens))


async def test_shrinking_halves_until_it_fits_and_keeps_the_window() -> None:
    run = _run(16_384)
    seen: list[int] = []

    async def attempt(current: Run) -> str:
        seen.append(current.options.context_tokens)
        if current.options.context_tokens > 4096:
            raise ItemFailed("context_too_long", "too long")
        return "fits"

    assert await shrinking(run, attempt) == "fits"
    assert seen == [16_384, 8192, 4096]
    assert run.options.context_tokens == 4096  # the next item starts here
    seen.clear()
    assert await shrinking(run, attempt) == "fits"
    assert seen == [4096]


async def test_shrinking_gives_up_below_the_minimum_and_passes_other_failures() -> None:
    async def never(current: Run) -> str:
        raise ItemFailed("context_too_long", "too long")

    run = _run(4096)
    with pytest.raises(ItemFailed, match="too long"):
        await shrinking(run, never)
    assert run.options.context_tokens == 2048

    async def broken(current: Run) -> str:
        raise ItemFailed("server_error", "boom")

    with pytest.raises(ItemFailed, match="boom"):
        await shrinking(_run(16_384), broken)
