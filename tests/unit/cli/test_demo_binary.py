"""``binscribe demo``'s binary ships inside the package: the same bytes as the test fixture,
found without the source tree, and inside the built wheel."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

from binscribe.demo import DEMO_BINARY_NAME, demo_binary

REPO = Path(__file__).resolve().parents[3]
FIXTURE = REPO / "tests" / "fixtures" / "bin" / DEMO_BINARY_NAME


def test_packaged_demo_binary_is_the_fixture() -> None:
    path = demo_binary()
    assert path is not None and path.name == DEMO_BINARY_NAME
    assert path.is_relative_to(REPO / "src" / "binscribe")
    assert path.read_bytes() == FIXTURE.read_bytes()
    assert path.read_bytes()[:4] == b"\x7fELF"


def test_wheel_contains_the_demo_binary(tmp_path: Path) -> None:
    # `uv run` exports UV, the uv that runs the tests; the wheel is built from the source tree
    uv = os.environ.get("UV", "uv")
    subprocess.run([uv, "build", "--wheel", "-q", "-o", str(tmp_path), str(REPO)], check=True)
    (wheel,) = tmp_path.glob("binscribe-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        packaged = archive.read(f"binscribe/demo/{DEMO_BINARY_NAME}")
    assert packaged == FIXTURE.read_bytes()
