#!/usr/bin/env bash
# Builds the ground-truth corpus of `binscribe eval` (tests/fixtures/eval/): real open-source C
# programs, not written here, compiled at -O0 and -O2 for x86-64 and (when the cross compiler is
# installed) AArch64. Each binary is kept twice: unstripped (the reference: its symbols are the
# true function names) and stripped (`<name>.stripped`, what the model is shown).
#
# Sources: Mark Adler's `puff` (a small inflate decoder, with its pufftest driver) and `blast`
# (a PKWare DCL decompressor, with its own test main under -DTEST), both from zlib 1.2.11's
# contrib/ as shipped in the PyPI sdist pyminizip 0.2.6 (zlib licence). The sdist is fetched
# with pip and checked against the sha256 below; manifest.json records the source files'
# hashes, the compilers and every binary's hash.
#
#   scripts/build_eval_corpus.sh [OUT_DIR]     (default: tests/fixtures/eval)
set -euo pipefail

SDIST=pyminizip
VERSION=0.2.6
SDIST_SHA256=0a954dd2a65fd72c8b827b83fb806fb4f301075a6ec43e207d3345ab15843a7a
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/tests/fixtures/eval}"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$PYTHON" -m pip download --quiet --no-binary :all: --no-deps --dest "$WORK" "$SDIST==$VERSION"
TARBALL="$WORK/$SDIST-$VERSION.tar.gz"
echo "$SDIST_SHA256  $TARBALL" | sha256sum --check --quiet
tar -xzf "$TARBALL" -C "$WORK"
CONTRIB="$WORK/$SDIST-$VERSION/zlib-1.2.11/contrib"

# program name -> source files (relative to contrib/) and extra flags
declare -A SOURCES=([puff]="puff/puff.c puff/pufftest.c" [blast]="blast/blast.c")
declare -A FLAGS=([puff]="" [blast]="-DTEST")
declare -A COMPILERS=([x86_64]=gcc [aarch64]=aarch64-linux-gnu-gcc)
declare -A STRIPS=([x86_64]=strip [aarch64]=aarch64-linux-gnu-strip)

mkdir -p "$OUT"
rm -f "$OUT"/*-O0 "$OUT"/*-O2 "$OUT"/*.stripped
built=()
for arch in x86_64 aarch64; do
    cc="${COMPILERS[$arch]}"
    if ! command -v "$cc" >/dev/null; then
        echo "build_eval_corpus: $cc not installed, no $arch binaries" >&2
        continue
    fi
    for program in puff blast; do
        for opt in O0 O2; do
            name="$program-$arch-$opt"
            files=()
            for f in ${SOURCES[$program]}; do files+=("$CONTRIB/$f"); done
            # shellcheck disable=SC2086
            "$cc" -"$opt" -g0 ${FLAGS[$program]} -fno-asynchronous-unwind-tables \
                -ffile-prefix-map="$WORK"=. -o "$OUT/$name" "${files[@]}"
            "${STRIPS[$arch]}" -o "$OUT/$name.stripped" "$OUT/$name"
            built+=("$name")
        done
    done
done

"$PYTHON" - "$OUT" "$SDIST" "$VERSION" "$SDIST_SHA256" "$CONTRIB" "${built[@]}" <<'PY'
import hashlib, json, subprocess, sys
from pathlib import Path

out, sdist, version, sdist_sha, contrib, *names = sys.argv[1:]
sha = lambda p: hashlib.sha256(Path(p).read_bytes()).hexdigest()
def compiler(cc):
    try:
        return subprocess.run([cc, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except OSError:
        return None
sources = ["puff/puff.c", "puff/puff.h", "puff/pufftest.c", "blast/blast.c", "blast/blast.h"]
manifest = {
    "description": "Ground truth for `binscribe eval`; rebuild with scripts/build_eval_corpus.sh",
    "source": {
        "package": sdist, "version": version, "registry": "PyPI (sdist)", "sha256": sdist_sha,
        "upstream": "zlib 1.2.11 contrib/ (Mark Adler), zlib licence",
        "files": {f"zlib-1.2.11/contrib/{s}": sha(Path(contrib) / s) for s in sources},
    },
    "compilers": {"x86_64": compiler("gcc"), "aarch64": compiler("aarch64-linux-gnu-gcc")},
    "binaries": [
        {
            "name": n, "program": n.split("-")[0], "arch": n.split("-")[1],
            "optimization": n.split("-")[2],
            "reference": n, "reference_sha256": sha(Path(out) / n),
            "input": f"{n}.stripped", "input_sha256": sha(Path(out) / f"{n}.stripped"),
        }
        for n in names
    ],
}
(Path(out) / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
PY
echo "build_eval_corpus: ${#built[@]} binaries in $OUT"
