"""The one error document every failing API response carries."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorPublic(BaseModel):
    """``code`` is machine-readable (``provider_not_found``), ``message`` is for people."""

    code: str = Field(examples=["provider_name_taken"])
    message: str = Field(
        examples=["A provider named 'OpenAI' already exists; choose another name."]
    )
    details: Any = Field(
        default=None,
        description='Extra context: for field errors ``{"field": name}``; for request '
        "validation a list of ``{loc, msg, type}``.",
    )


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries declaring :class:`ErrorPublic` for ``statuses``."""
    descriptions = {
        401: "Missing or wrong access token (`unauthorized`).",
        404: "Not found.",
        409: "Conflicts with stored state.",
        413: "Too large.",
        415: "Unsupported format.",
        422: "Invalid request (`validation_error` or a field-specific code).",
    }
    return {
        status: {"model": ErrorPublic, "description": descriptions.get(status, "Error.")}
        for status in statuses
    }
