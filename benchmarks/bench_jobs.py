"""Job throughput end to end: N jobs over the fixture binaries through the API (upload, local
runner, analysis in child processes, explanation against a local OpenAI-protocol server that
answers every request after a fixed delay), on a fresh SQLite database.

Prints jobs per minute, p50 and p95 job time (created -> finished), then submits an already
analyzed binary again with the same options: it reuses the stored analysis and the explanation
cache and should complete in under 1 s; prints its time and the ratio to the first submission.

    uv run python benchmarks/bench_jobs.py [--jobs 20] [--delay 0.2] [--workers 2] [--limit 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.settings import Settings
from tests.llm_servers.base import Step
from tests.llm_servers.canned import canned_reply
from tests.llm_servers.openai import OpenAIServer

BIN = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "bin"
REUSE_TARGET_S = 1.0


def _seconds(job: dict[str, Any], start_field: str = "created_at") -> float:
    start = datetime.fromisoformat(job[start_field])
    return (datetime.fromisoformat(job["finished_at"]) - start).total_seconds()


def _submit(client: TestClient, path: Path, provider_id: str, limit: int) -> str:
    response = client.post(
        "/api/v1/decompile",
        files={"file": (path.name, path.read_bytes())},
        data={"provider_id": provider_id, "function_limit": str(limit),
              "translation_detail": "brief"},
    )  # fmt: skip
    response.raise_for_status()
    return str(response.json()["job_id"])


def _wait(client: TestClient, ids: list[str]) -> list[dict[str, Any]]:
    done: dict[str, dict[str, Any]] = {}
    while len(done) < len(ids):
        for job_id in ids:
            if job_id not in done:
                job = client.get(f"/api/v1/decompile/{job_id}").json()
                if job["status"] in ("completed", "failed", "cancelled"):
                    done[job_id] = job
        time.sleep(0.05)
    return [done[job_id] for job_id in ids]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.2, help="provider reply delay (s)")
    parser.add_argument("--workers", type=int, default=2, help="BINSCRIBE_WORKERS")
    parser.add_argument("--limit", type=int, default=5, help="function_limit per job")
    args = parser.parse_args()
    files = sorted(p for p in BIN.iterdir() if p.is_file())
    chosen = [files[i % len(files)] for i in range(args.jobs)]
    server = OpenAIServer(api_key="bench-key-0123456789", reply=canned_reply).start()
    server.always(Step("slow", delay_s=args.delay))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), encryption_key=generate_key(),
                            workers=args.workers, log_level="WARNING")  # fmt: skip
        app = create_app(settings)
        with TestClient(app) as client:
            provider = client.post("/api/v1/user-llm-providers", json={
                "name": "bench", "provider_type": "openai", "api_key": "bench-key-0123456789",
                "endpoint_url": server.base_url, "default_model": "gpt-4.1-mini"})  # fmt: skip
            provider_id = provider.json()["id"]
            started = time.monotonic()
            ids = [_submit(client, path, provider_id, args.limit) for path in chosen]
            jobs = _wait(client, ids)
            wall = time.monotonic() - started
            again_started = time.monotonic()
            again = _wait(client, [_submit(client, chosen[0], provider_id, args.limit)])[0]
            again_wall = time.monotonic() - again_started
        app.state.engine.dispose()
    server.stop()
    times = sorted(_seconds(job) for job in jobs)
    failed = [f"{j['file_info']['name']}: {j['error']}" for j in jobs if j["status"] != "completed"]
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{len(jobs)} jobs ({len(set(chosen))} files, {args.workers} workers, "
          f"function_limit {args.limit}, provider delay {args.delay * 1000:.0f} ms)")  # fmt: skip
    print(f"wall {wall:.1f} s: {len(jobs) / wall * 60:.1f} jobs/min")
    print(f"job time p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s, max {times[-1]:.2f} s"
          " (created -> finished, queue wait included)")  # fmt: skip
    runs = sorted(_seconds(job, "started_at") for job in jobs)
    print(
        f"run time p50 {statistics.median(runs):.2f} s, max {runs[-1]:.2f} s (started -> finished)"
    )
    print(f"not completed: {len(failed)}" + "".join(f"\n  {line}" for line in failed))
    first = _seconds(jobs[0])
    repeat = _seconds(again)
    verdict = "ok" if repeat < REUSE_TARGET_S and again["analysis_reused"] else "MISSED"
    print(f"resubmitted {chosen[0].name}: {repeat:.3f} s job time ({again_wall:.3f} s seen by "
          f"the client) vs {first:.2f} s first: ratio {first / max(repeat, 1e-6):.0f}x "
          f"(target < {REUSE_TARGET_S:.0f} s: {verdict})")  # fmt: skip


if __name__ == "__main__":
    main()
