"""Print the API's OpenAPI document as JSON on stdout, without starting a server.

Usage: ``uv run python scripts/dump_openapi.py > frontend/openapi.json``. The app is built with
``create_app(Settings(data_dir=<temporary dir>))`` so no user data or environment settings leak in;
the output is stable (sorted keys, two-space indent, trailing newline) so CI can diff it.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from binscribe.api.app import create_app
from binscribe.settings import Settings


def dump_openapi() -> str:
    """The OpenAPI document of a freshly built app as formatted JSON text."""
    with tempfile.TemporaryDirectory(prefix="binscribe-openapi-") as tmp:
        settings = Settings(
            data_dir=Path(tmp), database_url=None, api_token=None, log_level="WARNING"
        )
        app = create_app(settings)
        document = app.openapi()
        app.state.engine.dispose()
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(dump_openapi())
