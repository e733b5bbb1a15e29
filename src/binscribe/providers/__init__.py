"""The providers service: every rule about users' LLM providers, shared by the API routes, the
CLI's ``providers`` commands, the job pipeline and the MCP server (none keeps a copy).

- :mod:`~binscribe.providers.inputs`: what a new or changed provider may contain.
- :mod:`~binscribe.providers.rules`: per-type endpoint and key checks.
- :mod:`~binscribe.providers.service`: create and update with those rules applied.
- :mod:`~binscribe.providers.access`: from a stored row to a working adapter (decrypt at use,
  probe, record the outcome).

The options' ranges and per-type defaults live in :mod:`binscribe.llm.options`.
"""

from binscribe.providers.access import REFRESH_TIMEOUT_S, probe_providers, provider_config
from binscribe.providers.service import (
    Saved,
    create_provider,
    provider_id_named,
    update_provider,
)

__all__ = [
    "REFRESH_TIMEOUT_S",
    "Saved",
    "create_provider",
    "probe_providers",
    "provider_config",
    "provider_id_named",
    "update_provider",
]
