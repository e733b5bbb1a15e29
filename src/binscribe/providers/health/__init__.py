"""Provider health users can trust: when a stored verdict stops counting, what a job's provider
calls say about the provider, and the rate-limited re-probe of stale health.

Health lives on the provider row (``last_test_status``, ``last_test_error_code``,
``last_test_message``, ``last_test_latency_ms``, ``last_tested_at``, ``last_test_source``):

- :mod:`.changes`: a verdict is forgotten (back to "untested") when the endpoint, the API key,
  the model or the provider type change; the name, ``is_active`` and the tuning options
  (``config``) keep it.
- :mod:`.jobs`: an analysis job whose every item failed with a provider error marks the provider
  failing; a job with at least one answered provider call marks it healthy; a job whose items
  all came from the cache (no call answered or failed) marks nothing.
- :mod:`.refresh`: health older than ``Settings.provider_health_max_age_s`` is re-checked with a
  cheap probe (model list, no completion), at most once per provider per that interval across
  every API process (the claim is a conditional UPDATE of ``health_probe_at``).

Submodules are imported directly (``from binscribe.providers.health.changes import ...``): this
package imports nothing itself, so :mod:`binscribe.db.providers` can use :mod:`.changes`.
"""
