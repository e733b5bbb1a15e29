"""Loading a binary into an angr project, with a blob fallback for Mach-O files cle rejects.

Imports angr: only the analysis process (and its decompiler workers) call this module.
"""

from __future__ import annotations

import io
import logging
from typing import Any

import angr
import lief

from binscribe.analysis.errors import AnalysisError, exception_detail
from binscribe.analysis.models import Arch
from binscribe.analysis.triage import Triage

log = logging.getLogger(__name__)

_ANGR_ARCH: dict[Arch, str] = {
    "x86": "X86",
    "x86_64": "AMD64",
    "arm": "ARMEL",
    "aarch64": "AARCH64",
}


def load_project(data: bytes, triage: Triage, *, force_blob: bool = False) -> tuple[Any, list[str]]:
    """An ``angr.Project`` over ``data`` (the file or the selected fat slice) and warnings.

    A Mach-O that cle cannot load (or ``force_blob``) is mapped as a blob of its ``__TEXT``
    segment, so disassembly and decompilation still work where the code allows.
    Raises :class:`AnalysisError` ``corrupt_binary`` when the loader rejects the file.
    """
    if not force_blob:
        try:
            return angr.Project(io.BytesIO(data), auto_load_libs=False), []
        except Exception as exc:  # cle raises many unrelated types on malformed input
            if triage.format != "macho":
                raise AnalysisError(
                    f"the loader rejected this {triage.format.upper()} file: "
                    f"{exception_detail(exc)}",
                    code="corrupt_binary",
                ) from exc
            log.info("cle rejected the Mach-O file (%s); mapping __TEXT as a blob", exc)
    return _macho_blob(data, triage), [
        "the Mach-O loader rejected this file: only the __TEXT segment was mapped, "
        "so calls into other segments and imports are not resolved"
    ]


def _macho_blob(data: bytes, triage: Triage) -> Any:
    lief.logging.disable()
    binary: Any = lief.parse(data)
    text = binary.get_segment("__TEXT") if binary is not None else None
    if text is None:
        raise AnalysisError("Mach-O file without a __TEXT segment", code="corrupt_binary")
    code = data[text.file_offset : text.file_offset + text.file_size]
    return angr.Project(
        io.BytesIO(code),
        main_opts={
            "backend": "blob",
            "arch": _ANGR_ARCH[triage.arch],
            "base_addr": text.virtual_address,
            "entry_point": binary.entrypoint,
        },
        auto_load_libs=False,
    )
