"""``AnalysisError``: the one exception the analysis package raises for bad input or hit limits.

::

    BinscribeError (binscribe.errors)
    └── AnalysisError
          empty_file          422  zero-byte upload
          unsupported_format  415  not an ELF, PE or Mach-O we can analyze (text, archives, ...)
          corrupt_binary      422  a known format whose headers are truncated or inconsistent
          analysis_timeout    422  the total time budget ran out before any result existed
          out_of_memory       422  the analysis process hit its address-space limit or was killed
          analysis_failed     500  the analysis process failed for another reason (a bug)

``message`` is always one line, fit for a CLI's stderr or an API error body.
"""

from __future__ import annotations

from typing import Any, Literal

from binscribe.errors import BinscribeError

AnalysisErrorCode = Literal[
    "empty_file",
    "unsupported_format",
    "corrupt_binary",
    "analysis_timeout",
    "out_of_memory",
    "analysis_failed",
]

_HTTP_STATUS: dict[str, int] = {
    "empty_file": 422,
    "unsupported_format": 415,
    "corrupt_binary": 422,
    "analysis_timeout": 422,
    "out_of_memory": 422,
    "analysis_failed": 500,
}


class AnalysisError(BinscribeError):
    """A binary cannot be analyzed; ``code`` is one of :data:`AnalysisErrorCode`.

    ``http_status`` follows the code: 415 for ``unsupported_format``, 500 for
    ``analysis_failed``, 422 otherwise.
    """

    code = "analysis_failed"
    http_status = 500

    def __init__(self, message: str, *, code: AnalysisErrorCode, details: Any = None) -> None:
        super().__init__(" ".join(message.split()), code=code, details=details)
        self.http_status = _HTTP_STATUS[code]


def exception_detail(exc: BaseException) -> str:
    """``exc``'s message on one line, or its class name when the message is empty, so that a
    message ending in ``": {detail}"`` never ends empty (cle raises bare ``ValueError()`` and
    ``KeyError()`` on some malformed files)."""
    return " ".join(str(exc).split()) or type(exc).__name__
