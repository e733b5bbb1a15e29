"""Export API fixtures: the jobs tests' app (local runner, both databases)."""

from __future__ import annotations

from tests.integration.jobs.conftest import jobs_client, jobs_settings  # noqa: F401 (fixtures)
