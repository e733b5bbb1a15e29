"""Shared helpers for the analysis integration tests: corpus paths and pip's Windows launchers."""

from __future__ import annotations

import glob
import os
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
LAUNCHERS = ("t32.exe", "t64.exe", "t64-arm.exe")
_DISTLIB_GLOBS = (
    "/root/.pyenv/versions/*/lib/python3*/site-packages/pip/_vendor/distlib",
    "/usr/lib/python3*/dist-packages/pip/_vendor/distlib",
    "/usr/lib/python3*/site-packages/pip/_vendor/distlib",
    "/usr/local/lib/python3*/site-packages/pip/_vendor/distlib",
    "/usr/local/lib/python3*/dist-packages/pip/_vendor/distlib",
    f"{sys.base_prefix}/lib/python3*/site-packages/pip/_vendor/distlib",
    "/opt/hostedtoolcache/Python/*/x64/lib/python3*/site-packages/pip/_vendor/distlib",
    "/usr/lib/google-cloud-sdk/platform/bundledpythonunix/lib/python3*/site-packages/pip/_vendor/distlib",
)


def distlib_dir() -> Path:
    """A pip installation's ``_vendor/distlib`` folder holding all three launchers.

    ``BINSCRIBE_TEST_DISTLIB_DIR`` overrides the search. Fails (never skips) when none is found.
    """
    override = os.environ.get("BINSCRIBE_TEST_DISTLIB_DIR")
    candidates = (
        [override] if override else [d for g in _DISTLIB_GLOBS for d in sorted(glob.glob(g))]
    )
    for candidate in candidates:
        if all((Path(candidate) / name).is_file() for name in LAUNCHERS):
            return Path(candidate)
    pytest.fail(
        "no pip installation with t32.exe, t64.exe and t64-arm.exe found; "
        "set BINSCRIBE_TEST_DISTLIB_DIR"
    )
