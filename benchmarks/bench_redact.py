"""Key redaction cost per provider error: :func:`binscribe.llm.errors.redact` against the quadratic
search it replaced (every fragment of 8+ characters tried with ``in``, longest first), for keys
of 64 to 4,096 characters and a provider message echoing the key and some fragments of it.

Prints one line per key length: milliseconds per call for both, and that both give the same
guarantee (no 8-character window of the key left). The old search is run once per length (about
6 s at 4,096 characters).

    uv run python benchmarks/bench_redact.py [--lengths 64,512,4096]
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from binscribe.llm.errors import redact


def quadratic_redact(text: str, secret: str) -> str:
    """The replaced algorithm (before issue 9), kept here for comparison only."""
    for size in range(len(secret), 7, -1):
        for start in range(len(secret) - size + 1):
            fragment = secret[start : start + size]
            if fragment in text:
                text = text.replace(fragment, "[REDACTED]")
    return text[:297] + "..." if len(text) > 300 else text


def _clean(text: str, key: str) -> bool:
    windows = {key[i : i + 8] for i in range(len(key) - 7)}
    return not any(text[i : i + 8] in windows for i in range(len(text) - 7))


def _timed(function: object, text: str, key: str, repeat: int) -> tuple[float, str]:
    assert callable(function)
    started = time.perf_counter()
    for _ in range(repeat):
        out = function(text, key)
    return (time.perf_counter() - started) * 1000 / repeat, out


def main(lengths: list[int]) -> None:
    rng = random.Random(1)
    print(f"{'key chars':>9}  {'linear ms':>10}  {'quadratic ms':>12}  both clean")
    for length in lengths:
        key = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(length))
        text = f"Incorrect API key provided: {key}. Echo {key[:12]}***{key[-4:]} {key[3:40]}"
        linear, new = _timed(redact, text, key, 200)
        quadratic, old = _timed(quadratic_redact, text, key, 1)
        print(
            f"{length:>9}  {linear:>10.3f}  {quadratic:>12.1f}  {_clean(new, key) and _clean(old, key)}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", default="64,512,4096")
    main([int(n) for n in parser.parse_args().lengths.split(",")])
