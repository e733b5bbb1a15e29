"""What an export is asked for: the target tool (:class:`ExportFormat`) and :class:`ExportOptions`,
shared by the API's query parameters, the CLI's options and the symbol map."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from binscribe.errors import ValidationFailed, field_errors


class ExportFormat(StrEnum):
    """The tool an export is for: a script for its scripting API, or the plain JSON symbol map."""

    ida = "ida"
    ghidra = "ghidra"
    binja = "binja"
    r2 = "r2"
    json = "json"


class ExportOptions(BaseModel):
    """``prefix``: put before every applied name (``bs_`` gives ``bs_verify_password``).
    ``min_confidence``: a function whose explanation the model rated below this (0-1) keeps its
    name (the comment still says what was suggested). ``evidence_comments``: also comment the
    addresses the model cited as evidence."""

    model_config = ConfigDict(extra="forbid")

    prefix: str = Field(default="", max_length=32, pattern=r"^([A-Za-z_][A-Za-z0-9_]*)?$")
    min_confidence: float = Field(default=0.0, ge=0, le=1)
    evidence_comments: bool = False


def export_options(prefix: str, min_confidence: float, evidence_comments: bool) -> ExportOptions:
    """The options from the API's query or the CLI's flags; ValidationFailed (422
    ``validation_error``) naming the first bad one."""
    try:
        return ExportOptions(
            prefix=prefix, min_confidence=min_confidence, evidence_comments=evidence_comments
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValidationFailed(
            f"Invalid {where}: {first['msg']}",
            details=field_errors((where, first["msg"], first["type"])),
        ) from None
