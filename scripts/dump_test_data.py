"""Print, as JSON on stdout, the API answers the frontend's test fakes are built from.

Usage: ``uv run python scripts/dump_test_data.py`` (``npm run gen:api`` in frontend/ writes it to
``frontend/src/test/generated/apiSamples.json``; ``npm run check:api`` fails when it is stale).
The answers come from a real app (``create_app`` on a SQLite file in a temporary data dir, no
environment settings) through a TestClient, so the fakes can never drift from the backend:

- ``types``: ``GET /api/v1/user-llm-providers/types`` (provider types, their defaults and rules);
- ``health``: ``GET /api/v1/health``;
- ``job``: a real small job of the crackme explained by the canned model, its overview, function
  rows and one function detail, normalized so the output is the same on every run
  (:func:`dump_job_sample.job_sample`, about 20 s).

The output is stable (sorted keys, two-space indent, trailing newline) so CI can diff it.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from dump_job_sample import job_sample
from fastapi.testclient import TestClient

from binscribe.api.app import create_app
from binscribe.crypto import generate_key
from binscribe.settings import Settings

PATHS = {"types": "/api/v1/user-llm-providers/types", "health": "/api/v1/health"}


def dump_test_data() -> str:
    """The answers named in :data:`PATHS` from a freshly built app, as formatted JSON text."""
    with tempfile.TemporaryDirectory(prefix="binscribe-test-data-") as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            database_url=None,
            api_token=None,
            log_level="WARNING",
            allowed_hosts=["testserver"],
            encryption_key=generate_key(),
            workers=1,
            job_poll_s=0.1,
        )
        app = create_app(settings)
        answers: dict[str, Any] = {}
        with TestClient(app) as client:
            for key, path in PATHS.items():
                response = client.get(path)
                response.raise_for_status()
                answers[key] = response.json()
            answers["job"] = job_sample(client)
        app.state.engine.dispose()
    return json.dumps(answers, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(dump_test_data())
