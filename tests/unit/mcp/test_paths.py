"""Which local files an MCP client may have analyzed: regular files inside the allowed
directories, symlinks resolved first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from binscribe.mcp.paths import PathNotAllowed, open_confined


@pytest.fixture
def allowed(tmp_path: Path) -> Path:
    root = tmp_path / "samples"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.bin").write_bytes(b"\x7fELF")
    return root


def test_regular_files_inside_and_links_that_stay_inside(allowed: Path, tmp_path: Path) -> None:
    (allowed / "inner").symlink_to(allowed / "sub" / "a.bin")
    (tmp_path / "alias").symlink_to(allowed)  # the allowed directory named through a link
    for path in (
        allowed / "sub" / "a.bin",
        allowed / "inner",
        tmp_path / "alias" / "sub" / "a.bin",
    ):
        source, name = open_confined(str(path), [tmp_path / "alias"])
        with source:
            assert (source.read(), name) == (b"\x7fELF", "a.bin")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda root: root.parent / "samples2" / "x.bin", "is outside the allowed directories"),
        (lambda root: root / "sub", "is not a regular file"),
        (lambda root: root / "missing.bin", "cannot be opened (No such file or directory)"),
    ],
)
def test_refused(allowed: Path, make: object, reason: str) -> None:
    sibling = allowed.parent / "samples2"
    sibling.mkdir()
    (sibling / "x.bin").write_bytes(b"x")
    path = make(allowed)  # type: ignore[operator]
    with pytest.raises(PathNotAllowed) as raised:
        open_confined(str(path), [allowed])
    assert raised.value.message == f"{path} {reason}"
    assert (raised.value.code, raised.value.http_status) == ("path_not_allowed", 403)


def test_devices_and_fifos_are_refused(allowed: Path) -> None:
    os.mkfifo(allowed / "pipe")
    for path, roots in ((allowed / "pipe", [allowed]), (Path("/dev/null"), [Path("/dev")])):
        with pytest.raises(PathNotAllowed, match="is not a regular file"):
            open_confined(str(path), roots)


def test_nothing_is_allowed_by_default(allowed: Path) -> None:
    with pytest.raises(PathNotAllowed, match="BINSCRIBE_MCP_ALLOWED_DIRS"):
        open_confined(str(allowed / "sub" / "a.bin"), [])
