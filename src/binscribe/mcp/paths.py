"""Paths an MCP client may ask the server to read: only regular files inside the directories the
operator allows (``BINSCRIBE_MCP_ALLOWED_DIRS``), after resolving every symlink, so a link cannot
lead out of them; devices, FIFOs, sockets and directories are refused."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from binscribe.errors import BinscribeError


class PathNotAllowed(BinscribeError):
    """The path is outside the allowed directories, or not a regular file (HTTP 403)."""

    http_status = 403
    code = "path_not_allowed"


def open_confined(path: str, allowed: list[Path]) -> tuple[BinaryIO, str]:
    """Open ``path`` for reading when it is a regular file inside one of ``allowed``; returns the
    open file and its name. Raises PathNotAllowed (with the reason) otherwise."""
    if not allowed:
        raise PathNotAllowed(
            "this server reads no local files: set BINSCRIBE_MCP_ALLOWED_DIRS to allow some"
        )
    if not os.path.isabs(path):
        raise PathNotAllowed(f"{path!r} is not an absolute path")
    real = os.path.realpath(path)
    roots = [os.path.realpath(root) for root in allowed]
    if not any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots):
        raise PathNotAllowed(f"{path} is outside the allowed directories", details={"path": path})
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: no late symlink
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise PathNotAllowed(f"{path} cannot be opened ({exc.strerror})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise PathNotAllowed(f"{path} is not a regular file", details={"path": path})
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb"), Path(real).name
