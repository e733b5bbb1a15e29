"""What an export is asked for: the target tool (:class:`ExportFormat`) and :class:`ExportOptions`,
shared by the API's query parameters, the CLI's options and the symbol map."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


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
