"""A 39 KB function in a 2,048-token context window: every part is summarized and the summaries
are merged level by level until they fit, so the explanation covers the whole function (the
local OpenAI-protocol server through the real SDK, answering with the fake model)."""

from __future__ import annotations

import re
from collections.abc import Callable

from binscribe.explain import ExplainOptions, explain_analysis
from binscribe.llm.config import MIN_CONTEXT_TOKENS
from tests.integration.explain.conftest import Env
from tests.llm_servers.canned import schema_title
from tests.unit.explain.samples import fileio_result

MakeEnv = Callable[..., Env]
LINES = 1000


def _prompt(body: dict) -> str:  # type: ignore[type-arg]
    return next(m["content"] for m in body["messages"] if m["role"] == "user")


async def test_a_39_kb_function_is_covered_whole(explain_env: MakeEnv) -> None:
    result = fileio_result()
    body = [f"    v{n:04d} = fread(&v0, 1, {n:4d}, v2); //" for n in range(LINES - 3)]
    big = "long copy_file(char *a0, char *a1)\n{\n" + "\n".join(body) + "\n}"
    assert 38_000 < len(big) < 40_000 and len(big.splitlines()) == LINES
    result.functions[6] = result.functions[6].model_copy(update={"pseudocode": big})
    server, adapter = explain_env("openai")
    options = ExplainOptions(
        context_tokens=MIN_CONTEXT_TOKENS,
        explain_imports=False,
        explain_strings=False,
        summarize_program=False,
    )

    report = await explain_analysis(
        result, adapter=adapter, model=adapter.model, provider_type="openai", options=options
    )

    copy_file = next(f for f in report.functions if f.name == "copy_file")
    assert copy_file.status == "explained" and copy_file.coverage == 1.0
    prompts = [_prompt(r.body) for r in server.requests if "copy_file" in _prompt(r.body)]
    parts = [p for p in prompts if p.startswith("Summarize part")]
    merges = [p for p in prompts if p.startswith("Merge the summaries")]
    assert copy_file.parts == len(parts) > 8  # more than the old fixed cap of 8 parts
    ranges = sorted(
        tuple(map(int, re.search(rf"lines (\d+)-(\d+) of {LINES}\)", p).groups()))  # type: ignore[union-attr]
        for p in parts
    )
    assert ranges[0][0] == 1 and ranges[-1][1] == LINES
    assert all(ranges[i + 1][0] == ranges[i][1] + 1 for i in range(len(ranges) - 1))
    assert merges, "the part summaries did not fit and were merged"
    final = next(
        r.body
        for r in server.requests
        if schema_title(r.body) == "FunctionExplanation" and '"copy_file"' in _prompt(r.body)
    )
    text = _prompt(final)
    assert "Summaries of the parts of the decompiled pseudocode (too long to show):" in text
    # The merged summaries name line ranges that together span the whole function.
    spans = [tuple(map(int, m)) for m in re.findall(r"part lines (\d+)-(\d+):", text)]
    assert spans[0][0] == 1 and spans[-1][1] == LINES
    assert all(spans[i + 1][0] == spans[i][1] + 1 for i in range(len(spans) - 1))
    assert copy_file.usage.requests == len(parts) + len(merges) + 1
