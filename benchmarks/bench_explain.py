"""Explanation engine throughput: N functions against a local OpenAI-protocol server that answers
every request after a fixed delay (default 200 functions, 200 ms), through the real OpenAI SDK.

Prints the wall time of the engine at concurrency 1 (a sequential loop over the functions), at
concurrency 4 and the speed-up (target >= 3.5x, 90 % of the ideal 4x), then the time of a second
run served entirely from the explanation cache. The functions form a call tree (fan-out 4), so
the bottom-up schedule's waiting is part of what is measured.

    uv run python benchmarks/bench_explain.py [--functions 200] [--delay 0.2] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from binscribe.explain import ExplainOptions, ExplanationReport, MemoryCache, explain_analysis
from binscribe.explain.cache import ExplanationCache
from binscribe.llm.config import ProviderConfig
from binscribe.llm.factory import build_adapter
from tests.llm_servers.base import Step
from tests.llm_servers.canned import CannedModel
from tests.llm_servers.openai import OpenAIServer
from tests.unit.explain.samples import synthetic_result

TARGET_SPEEDUP = 3.5
MODEL = "gpt-4.1-mini"


async def timed_run(
    server: OpenAIServer, count: int, concurrency: int, cache: ExplanationCache | None
) -> tuple[float, ExplanationReport, int]:
    """(wall seconds, report, requests the server received) of one engine run."""
    adapter = build_adapter(
        ProviderConfig(
            provider_type="openai",
            api_key="bench-key",
            endpoint_url=server.base_url,
            model=MODEL,
            max_concurrency=concurrency,
        ),
        allow_private_endpoints=True,
    )
    options = ExplainOptions(explain_imports=False, explain_strings=False, summarize_program=False)
    before = len(server.requests)
    try:
        started = time.perf_counter()
        report = await explain_analysis(
            synthetic_result(count),
            adapter=adapter,
            model=MODEL,
            provider_type="openai",
            options=options,
            cache=cache,
            provider_identity="bench-provider" if cache is not None else None,
        )
        elapsed = time.perf_counter() - started
    finally:
        await adapter.aclose()
    return elapsed, report, len(server.requests) - before


async def main(count: int, delay: float, concurrency: int) -> None:
    server = OpenAIServer(models=[MODEL], reply=CannedModel()).start()
    server.always(Step("slow", delay_s=delay))
    try:
        sequential, report, _ = await timed_run(server, count, 1, None)
        assert report.explained == count, report.error
        cache = MemoryCache()
        parallel, report, requests = await timed_run(server, count, concurrency, cache)
        assert report.explained == count, report.error
        cached, report, cached_requests = await timed_run(server, count, concurrency, cache)
        assert report.cached == count
    finally:
        server.stop()
    ideal = count * delay
    speedup = sequential / parallel
    print(f"{count} functions, server delay {delay * 1000:.0f} ms, model {MODEL}")
    print(f"sequential (concurrency 1): {sequential:8.2f} s  (ideal {ideal:.2f} s)")
    print(
        f"concurrency {concurrency}:              {parallel:8.2f} s  "
        f"(ideal {ideal / concurrency:.2f} s, {requests} requests)"
    )
    verdict = "meets" if speedup >= TARGET_SPEEDUP else "BELOW"
    print(f"speed-up: {speedup:.2f}x ({verdict} the {TARGET_SPEEDUP}x target)")
    print(
        f"second run from the cache: {cached * 1000:.1f} ms, {cached_requests} requests, "
        f"{report.cached}/{count} cached"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2, help="server delay, seconds")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    asyncio.run(main(args.functions, args.delay, args.concurrency))
