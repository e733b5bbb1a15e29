"""Silence angr's own logging; imported before angr (the forkserver preloads it first)."""

from __future__ import annotations

import logging

_LOGGERS = ("angr", "cle", "pyvex", "claripy", "archinfo", "ailment", "angr.state_plugins")


def silence() -> None:
    """Keep angr, cle and friends below CRITICAL: their messages are not the user's business."""
    for name in _LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    logging.getLogger("angr.state_plugins.unicorn_engine").setLevel(logging.CRITICAL + 1)


silence()
