"""Explanation quality on the ground-truth corpus (tests/fixtures/eval, built by
scripts/build_eval_corpus.sh): ``binscribe eval``'s harness against

1. the scripted local OpenAI-protocol server answering with known suggested names
   (tests/unit/evaluation/canned_model.py): its figures on ``puff-x86_64-O0`` are checked
   against the hand-computed ones (the metric arithmetic, end to end);
2. the real small model, SmolLM2-135M served by llama.cpp (the ``llm-real`` dependency group,
   started as tests/llm_real/conftest.py does): its scores are printed and recorded in
   benchmarks/README.md, not asserted. ``--no-real`` skips it.

Both providers explain the same functions of the same analyses; the table shows them side by side.

    uv run --group llm-real python benchmarks/bench_quality.py [--functions 11]
        [--detail brief] [--json FILE] [--binary puff-x86_64-O0 ...] [--no-real]
        [--llama-threads 2] [--request-timeout 300]

On a machine whose cores are busy with other work, llama.cpp's threads wait on each other:
``--llama-threads 1`` and a longer ``--request-timeout`` keep the real run going there.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from binscribe.evaluation import ProviderTarget, evaluate, evaluation_table
from binscribe.explain.report import DetailLevel
from binscribe.llm.config import ProviderConfig
from tests.llm_servers.openai import OpenAIServer
from tests.unit.evaluation.canned_model import BINARY, EXPECTED, CannedEvalModel

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "eval"
DEFAULT_BINARIES = ["puff-x86_64-O0", "blast-aarch64-O2"]
REAL_MODEL = "smollm2"
START_TIMEOUT_S = 300


def start_llama(log_dir: Path, threads: int) -> tuple[subprocess.Popen[bytes], str]:
    """The llama.cpp server of tests/llm_real/conftest.py on a free port: (process, base URL)."""
    from tests.llm_real.conftest import free_port, gguf_path

    port = free_port()
    log = (log_dir / "llama-server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf_path()),
         "--model_alias", REAL_MODEL, "--host", "127.0.0.1", "--port", str(port),
         "--n_ctx", "8192", "--n_threads", str(threads)],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise SystemExit(f"llama.cpp server exited; see {log_dir / 'llama-server.log'}")
        try:
            if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                return process, base_url
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"llama.cpp server not ready in {START_TIMEOUT_S} s")
        time.sleep(0.5)


async def main(
    binaries: list[str], functions: int, detail: DetailLevel, real: bool, json_path: Path | None,
    threads: int = 2, timeout_s: float = 300,
) -> None:  # fmt: skip
    scripted = OpenAIServer(models=["gpt-4.1-mini"], reply=CannedEvalModel()).start()
    llama: subprocess.Popen[bytes] | None = None
    targets = [ProviderTarget("scripted", ProviderConfig(
        provider_type="openai", api_key="bench-key", endpoint_url=scripted.base_url,
        model="gpt-4.1-mini"))]  # fmt: skip
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if real:
                llama, base_url = start_llama(Path(tmp), threads)
                targets.append(ProviderTarget("smollm2-llama.cpp", ProviderConfig(
                    provider_type="openai", api_key=None, endpoint_url=base_url,
                    model=REAL_MODEL, timeout_s=timeout_s, max_concurrency=1,
                    context_tokens=8192)))  # fmt: skip
            report = await evaluate(
                [CORPUS / name for name in binaries], targets, function_limit=functions,
                detail=detail,
                allow_private_endpoints=True, progress=lambda m: print(m, file=sys.stderr),
            )  # fmt: skip
    finally:
        scripted.stop()
        if llama is not None:
            llama.terminate()
            llama.wait(timeout=30)
    Console(width=220).print(evaluation_table(report))
    if json_path is not None:
        json_path.write_text(report.model_dump_json(indent=2) + "\n")
    checked = [r for r in report.runs if r.provider == "scripted" and r.binary == BINARY]
    if checked and functions >= EXPECTED["functions"]:
        summary = checked[0].summary.model_dump()
        wrong = {k: (summary[k], v) for k, v in EXPECTED.items() if abs(summary[k] - v) > 1e-9}
        print("scripted figures on", BINARY, "match the hand-computed ones" if not wrong
              else f"DIFFER from the hand-computed ones: {wrong}")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--binary", action="append", dest="binaries",
                        help=f"corpus binary, repeatable (default {' '.join(DEFAULT_BINARIES)})",
    )  # fmt: skip
    parser.add_argument("--functions", type=int, default=11, help="per binary (default 11)")
    parser.add_argument("--detail", default="brief", choices=["brief", "standard", "comprehensive"])
    parser.add_argument("--no-real", action="store_true", help="skip the llama.cpp model")
    parser.add_argument("--json", type=Path, help="write the full results here")
    parser.add_argument("--llama-threads", type=int, default=2, help="llama.cpp threads")
    parser.add_argument("--request-timeout", type=float, default=300, help="real model, s")
    args = parser.parse_args()
    asyncio.run(
        main(
            args.binaries or DEFAULT_BINARIES,
            args.functions,
            args.detail,
            not args.no_real,
            args.json,
            args.llama_threads,
            args.request_timeout,
        )
    )
