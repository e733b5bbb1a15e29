"""Loading a binary into an angr project, with a blob fallback for Mach-O files cle rejects.

cle loads no Mach-O bundle (``MH_BUNDLE``: plug-ins, Python extension modules on macOS), but a
bundle is laid out like a dylib (linked at 0, position independent, bound through stubs), so a
bundle is handed to cle as a dylib: all segments are mapped and calls through ``__stubs`` are
named after their imports.

Imports angr: only the analysis process (and its decompiler workers) call this module.
"""

from __future__ import annotations

import io
import logging
import struct
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
_MH_DYLIB, _MH_BUNDLE = 6, 8


def load_project(
    data: bytes, triage: Triage, *, force_blob: bool = False
) -> tuple[angr.Project, list[str]]:
    """An ``angr.Project`` over ``data`` (the file or the selected fat slice) and warnings.

    A Mach-O that cle cannot load (or ``force_blob``) is mapped as a blob of its ``__TEXT``
    segment, so disassembly and decompilation still work where the code allows.
    Raises :class:`AnalysisError` ``corrupt_binary`` when the loader rejects the file.
    """
    if not force_blob:
        try:
            image = _bundle_as_dylib(data) if triage.kind == "bundle" else data
            return angr.Project(io.BytesIO(image), auto_load_libs=False), []
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


def _bundle_as_dylib(data: bytes) -> bytes:
    """A copy of a thin Mach-O bundle with ``MH_DYLIB`` as its file type (header offset 12)."""
    order = "<" if data[:4] in (b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe") else ">"
    if struct.unpack_from(order + "I", data, 12)[0] != _MH_BUNDLE:
        return data
    return data[:12] + struct.pack(order + "I", _MH_DYLIB) + data[16:]


def _macho_blob(data: bytes, triage: Triage) -> angr.Project:
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
