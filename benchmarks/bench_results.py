"""Result slices at real scale: a large binary's analysis stored as a completed job, then read
through the API the way the web UI reads it (TestClient, fresh SQLite database).

Prints the bytes of the full job document (``GET /decompile/{id}``) against the small one
(``GET /jobs/{id}``, target under 300 KB), the first list request (the result loaded and
indexed), and the median of repeated warm requests: a functions page, a search, a sort, the
strings search, one function's detail. And what a partial result costs while a job explains
(:mod:`binscribe.jobs.partial`): storing one snapshot of the result in the worker, and the
API's first request after it (load and index the new snapshot).

    uv run python benchmarks/bench_results.py [--binary /usr/bin/ssh] [--depth basic]
    uv run python benchmarks/bench_results.py --analysis ssh.json   # `binscribe inspect --json`
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from binscribe.analysis import AnalysisOptions, AnalysisResult, analyze_file
from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.db import jobs as job_repo
from binscribe.jobs.context import blob_store
from binscribe.jobs.results import JobResult, save_result
from binscribe.settings import Settings

OVERVIEW_TARGET_BYTES = 300_000
REPEAT = 20


def _analysis(args: argparse.Namespace) -> AnalysisResult:
    if args.analysis:
        return AnalysisResult.model_validate_json(Path(args.analysis).read_text())
    print(f"analyzing {args.binary} at {args.depth} depth (minutes on a busy machine)...")
    return analyze_file(args.binary, options=AnalysisOptions(depth=args.depth))


def _store(client: TestClient, analysis: AnalysisResult) -> str:
    state = client.app.state  # type: ignore[attr-defined]
    result = JobResult(job_id=uuid.uuid4(), file_name=analysis.binary.file_name, analysis=analysis)
    with state.session_factory.begin() as session:
        job = job_repo.create_job(
            session, file_sha256=analysis.binary.sha256, file_name=analysis.binary.file_name,
            file_size=analysis.binary.size, file_format=analysis.binary.format,
            file_arch=analysis.binary.arch, analysis_depth=analysis.depth,
            translation_detail="standard",
        )  # fmt: skip
        sha256 = save_result(
            blob_store(state.settings), result.model_copy(update={"job_id": job.id})
        )
        claimed = job_repo.claim_job(session, job.id)
        assert claimed is not None
        job_repo.finish_job(
            session, job.id, attempt=claimed.attempts, status="completed", result_sha256=sha256
        )
        return str(job.id)


def _timed(client: TestClient, path: str, **params: object) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.get(path, params=params)
    elapsed = time.perf_counter() - start
    response.raise_for_status()
    return elapsed * 1000, len(response.content)


def _partial(client: TestClient, analysis: AnalysisResult, base: str) -> None:
    """Store snapshots as a job does while explaining and time the request that loads each."""
    state = client.app.state  # type: ignore[attr-defined]
    blobs = blob_store(state.settings)
    stores, loads = [], []
    for n in range(3):  # distinct documents, as each snapshot adds explanations
        result = JobResult(
            job_id=uuid.uuid4(), file_name=f"{analysis.binary.file_name}.{n}", analysis=analysis
        )
        start = time.perf_counter()
        sha256 = save_result(blobs, result)
        stores.append((time.perf_counter() - start) * 1000)
        with state.session_factory.begin() as session:
            job_id = uuid.UUID(base.rsplit("/", 1)[1])
            job_repo.get_job(session, job_id).result_sha256 = sha256
        loads.append(_timed(client, f"{base}/functions", explained=True)[0])
    print(f"partial result: store one snapshot {statistics.median(stores):7.1f} ms (median of 3), "
          f"first request after it {statistics.median(loads):7.1f} ms")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="/usr/bin/ssh")
    parser.add_argument("--depth", default="basic", choices=["basic", "standard", "detailed"])
    parser.add_argument("--analysis", help="a stored analysis (JSON) instead of analyzing")
    args = parser.parse_args()
    analysis = _analysis(args)
    middle = analysis.functions[len(analysis.functions) // 2].address
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/b.db", encryption_key=generate_key()
        )
        app = create_app(settings)
        client = TestClient(app, base_url="http://127.0.0.1")  # a loopback Host is allowed
        job = _store(client, analysis)
        base = f"/api/v1/jobs/{job}"
        _, full = _timed(client, f"/api/v1/decompile/{job}")
        overview_ms, small = _timed(client, base)  # loads and indexes the result
        print(f"{analysis.binary.file_name}: {len(analysis.functions)} functions, "
              f"{len(analysis.strings)} strings, {len(analysis.imports)} imports")  # fmt: skip
        verdict = "ok" if small < OVERVIEW_TARGET_BYTES else "OVER TARGET"
        print(f"full job document   {full / 1e6:8.2f} MB")
        print(f"small job document  {small / 1e3:8.1f} KB  ({verdict}, target < 300 KB)")
        print(f"first request (load + index)  {overview_ms:7.1f} ms")
        cases: list[tuple[str, str, dict[str, object]]] = [
            ("functions, first page", f"{base}/functions", {}),
            ("functions, search", f"{base}/functions", {"search": "sub_4"}),
            ("functions, sort by size", f"{base}/functions", {"sort": "size", "order": "desc"}),
            ("functions, last page", f"{base}/functions", {"offset": len(analysis.functions) - 50}),
            ("strings, search", f"{base}/strings", {"search": "ssh"}),
            ("imports, first page", f"{base}/imports", {}),
            ("one function's detail", f"{base}/functions/{middle:#x}", {}),
        ]
        print(f"{'warm request':28} {'p50 ms':>8} {'max ms':>8} {'bytes':>9}")
        for label, path, params in cases:
            runs = [_timed(client, path, **params) for _ in range(REPEAT)]
            times = [ms for ms, _ in runs]
            print(f"{label:28} {statistics.median(times):8.1f} {max(times):8.1f} {runs[0][1]:9}")
        _partial(client, analysis, base)
        app.state.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
