"""The API under load: a real server (``binscribe serve``, uvicorn, 127.0.0.1 only) and 50
concurrent clients for 20 s, each looping over a weighted mix of requests (list, get, create and
update providers; list jobs; health; upload a small fixture binary; get a job), then 10 uploads
at once, on the embedded default (SQLite + local runner) and on PostgreSQL.

Prints, per database, every route's request count, errors, p50 and p99 latency (ms), and whether
all 10 concurrent uploads became jobs that completed. An error is any 5xx or any answer other
than the one the request must get (a 503 ``database_busy`` counts as an error too). Uploads ask
for ``basic`` analysis without a provider, so jobs finish without an LLM; the same few binaries
are uploaded again and again, so most analyses are reused from the cache.

    uv run python benchmarks/bench_load.py [--clients 50] [--seconds 20] [--db sqlite,postgres]

PostgreSQL runs in a fresh database on the server named by ``BINSCRIBE_TEST_POSTGRES_URL`` (the
Makefile sets it), dropped at the end. The server is :func:`tests.live_server.running_server`;
every loop is bounded by the duration, and the server is stopped at the end whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from binscribe.db.engine import upgrade_database
from tests.helpers import create_postgres_database, drop_postgres_database
from tests.live_server import running_server

BIN = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "bin"
SMALL_BINARIES = ("crackme-x86_64.elf", "fileio-x86_64.elf", "tiny_static-x86_64.elf")
FINAL = {"completed", "failed", "cancelled"}
FINISH_TIMEOUT_S = 300.0
REQUEST_TIMEOUT_S = 120.0
LABELS = {"sqlite": "SQLite + local runner", "postgres": "PostgreSQL + local runner"}


@dataclass
class Tally:
    """Latencies (ms) and errors per route."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def record(self, route: str, started: float, response: httpx.Response, ok: bool) -> None:
        self.latencies[route].append((time.perf_counter() - started) * 1000)
        if not ok:
            self.errors[route].append(f"{response.status_code} {response.text[:200]}")


@dataclass
class World:
    """What the clients share: the providers and jobs created so far."""

    providers: list[str] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)


def _provider_body(rng: random.Random) -> dict[str, Any]:
    return {
        "name": f"load-{rng.getrandbits(48):012x}",
        "provider_type": "openai",
        "api_key": f"sk-load-{rng.getrandbits(64):016x}",
        "endpoint_url": "http://127.0.0.1:9/v1",
        "default_model": "gpt-4.1-mini",
    }


async def _upload(client: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
    name = rng.choice(SMALL_BINARIES)
    return await client.post(
        "/api/v1/decompile",
        files={"file": (name, (BIN / name).read_bytes())},
        data={"analysis_depth": "basic"},
    )


Action = Callable[[httpx.AsyncClient, random.Random, World, Tally], Awaitable[None]]


async def _timed(
    tally: Tally, route: str, call: Awaitable[httpx.Response], expected: int
) -> httpx.Response:
    started = time.perf_counter()
    response = await call
    tally.record(route, started, response, response.status_code == expected)
    return response


async def list_providers(c: httpx.AsyncClient, r: random.Random, w: World, t: Tally) -> None:
    await _timed(t, "GET /user-llm-providers", c.get("/api/v1/user-llm-providers"), 200)


async def get_provider(c: httpx.AsyncClient, r: random.Random, w: World, t: Tally) -> None:
    if w.providers:
        call = c.get(f"/api/v1/user-llm-providers/{r.choice(w.providers)}")
        await _timed(t, "GET /user-llm-providers/{id}", call, 200)


async def create_provider(c: httpx.AsyncClient, r: random.Random, w: World, t: Tally) -> None:
    call = c.post("/api/v1/user-llm-providers", json=_provider_body(r))
    response = await _timed(t, "POST /user-llm-providers", call, 201)
    if response.status_code == 201:
        w.providers.append(response.json()["id"])


async def update_provider(c: httpx.AsyncClient, r: random.Random, w: World, t: Tally) -> None:
    if w.providers:
        body = {"default_model": f"gpt-4.1-mini-{r.randrange(1000)}", "is_active": True}
        call = c.put(f"/api/v1/user-llm-providers/{r.choice(w.providers)}", json=body)
        await _timed(t, "PUT /user-llm-providers/{id}", call, 200)


async def list_jobs(c: httpx.AsyncClient, r: random.Random, w: World, t: Tally) -> None:
    await _timed(t, "GET /jobs", c.get("/api/v1/jobs", params={"limit": 20}), 200)


async def health(c: httpx.AsyncClient, r: random.Random, w: World, t: Tally) -> None:
    await _timed(t, "GET /health", c.get("/api/v1/health"), 200)


async def upload(c: httpx.AsyncClient, r: random.Random, w: World, t: Tally) -> None:
    response = await _timed(t, "POST /decompile", _upload(c, r), 202)
    if response.status_code == 202:
        w.jobs.append(response.json()["job_id"])


async def get_job(c: httpx.AsyncClient, r: random.Random, w: World, t: Tally) -> None:
    if w.jobs:
        await _timed(t, "GET /decompile/{id}", c.get(f"/api/v1/decompile/{r.choice(w.jobs)}"), 200)


MIX: list[tuple[Action, int]] = [
    (list_providers, 15), (get_provider, 15), (create_provider, 10), (update_provider, 10),
    (list_jobs, 15), (health, 10), (upload, 5), (get_job, 20),
]  # fmt: skip
"""Each action and its weight (percent of requests)."""


async def _client_loop(base: str, seed: int, deadline: float, world: World, tally: Tally) -> None:
    rng = random.Random(seed)
    actions, weights = zip(*MIX, strict=True)
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S) as client:
        while time.monotonic() < deadline:
            action = rng.choices(actions, weights)[0]
            await action(client, rng, world, tally)


async def _concurrent_uploads(base: str, count: int) -> tuple[int, int, int]:
    """``count`` uploads at once; returns (accepted, listed in /jobs, completed)."""
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S) as client:
        rngs = [random.Random(1000 + i) for i in range(count)]
        answers = await asyncio.gather(*(_upload(client, rng) for rng in rngs))
        ids = {a.json()["job_id"] for a in answers if a.status_code == 202}
        listed: set[str] = set()
        offset = 0
        while True:
            page = await client.get("/api/v1/jobs", params={"limit": 200, "offset": offset})
            rows = page.json()["data"]
            listed |= {row["id"] for row in rows}
            offset += len(rows)
            if not rows:
                break
        completed: set[str] = set()
        deadline = time.monotonic() + FINISH_TIMEOUT_S
        while completed != ids and time.monotonic() < deadline:
            for job_id in ids - completed:
                job = (await client.get(f"/api/v1/decompile/{job_id}")).json()
                if job["status"] in FINAL:
                    if job["status"] != "completed":
                        print(f"  upload job {job_id} ended {job['status']}: {job['error']}")
                    completed.add(job_id)
            await asyncio.sleep(0.5)
        done = 0
        for job_id in ids:
            done += (await client.get(f"/api/v1/decompile/{job_id}")).json()[
                "status"
            ] == "completed"
        return len(ids), len(ids & listed), done


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(label: str, base: str, clients: int, seconds: float, uploads: int) -> int:
    """One load run against ``base``; prints its table, returns the number of errors."""
    world, tally = World(), Tally()
    deadline = time.monotonic() + seconds

    async def all_clients() -> None:
        await asyncio.gather(
            *(_client_loop(base, seed, deadline, world, tally) for seed in range(clients))
        )

    started = time.monotonic()
    asyncio.run(all_clients())
    elapsed = time.monotonic() - started
    accepted, listed, completed = asyncio.run(_concurrent_uploads(base, uploads))
    total = sum(len(v) for v in tally.latencies.values())
    errors = sum(len(v) for v in tally.errors.values())
    print(f"\n### {label}: {clients} clients, {elapsed:.1f} s, {total} requests "
          f"({total / elapsed:.0f}/s), {errors} errors\n")  # fmt: skip
    print("| route | requests | errors | p50 ms | p99 ms |")
    print("|---|---|---|---|---|")
    for route in sorted(tally.latencies):
        values = tally.latencies[route]
        print(f"| `{route}` | {len(values)} | {len(tally.errors.get(route, []))} | "
              f"{statistics.median(values):.0f} | {_percentile(values, 0.99):.0f} |")  # fmt: skip
    print(f"\n{uploads} concurrent uploads: {accepted} accepted, {listed} listed in /jobs, "
          f"{completed} completed")  # fmt: skip
    for route, messages in tally.errors.items():
        for message in messages[:3]:
            print(f"  error on {route}: {message}")
    return errors + (uploads - completed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--db", default="sqlite,postgres", help="comma-separated: sqlite,postgres")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"{os.cpu_count()} CPUs")  # fmt: skip
    failures = 0
    for db in args.db.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            url = None
            if db == "postgres":
                url = create_postgres_database("binscribe_bench")
                upgrade_database(url)
            try:
                env = {"BINSCRIBE_LOG_LEVEL": "WARNING"}
                if url:
                    env["BINSCRIBE_DATABASE_URL"] = url
                with running_server(Path(tmp), **env) as server:
                    label = (
                        "SQLite + local runner" if db == "sqlite" else "PostgreSQL + local runner"
                    )
                    failures += run(label, server.url, args.clients, args.seconds, args.uploads)
            finally:
                if url:
                    drop_postgres_database(url)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
