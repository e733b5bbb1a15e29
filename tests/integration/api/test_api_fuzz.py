"""Property-based fuzzing of the whole API from its own ``/openapi.json`` (schemathesis): no
generated request, valid or not, may get a 5xx. Runs on SQLite and PostgreSQL (issue 9).

Bounded so CI stays quick (about 20 s per database): the coverage phase's boundary values plus
:data:`EXAMPLES` fuzzed requests per operation, no shrinking, no Hypothesis database. Generated
providers may point anywhere, so host names resolve only to loopback here (the SSRF guard's
resolver is the one seam): a connection test or health refresh never leaves the machine.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.pytest.lazy import get_all_tests
from schemathesis.python import asgi
from schemathesis.schemas import BaseSchema

from binscribe.api.app import create_app
from binscribe.llm import netguard
from binscribe.settings import Settings

EXAMPLES = 15
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: report, do not minimize
    suppress_health_check=list(HealthCheck),
)


async def _loopback_only(host: str, port: int) -> list[str]:
    """A resolver for fuzzing: loopback names and addresses only, anything else "does not
    resolve" (the guard then answers ``unreachable`` without connecting)."""
    if host == "localhost":
        return ["127.0.0.1"]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise socket.gaierror(socket.EAI_NONAME, "fuzzing resolves loopback only") from None
    if not address.is_loopback:
        raise socket.gaierror(socket.EAI_NONAME, "fuzzing resolves loopback only")
    return [str(address)]


@pytest.fixture
def api_schema(app_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[BaseSchema]:
    monkeypatch.setattr(netguard, "_system_resolver", _loopback_only)
    app = create_app(app_settings)
    try:
        yield schemathesis.openapi.from_asgi("/openapi.json", app)
    finally:
        asgi.shutdown_lifespans()  # stops the job runner before the database is cleaned
        app.state.engine.dispose()


def _no_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error])


def test_no_request_gets_a_server_error(api_schema: BaseSchema) -> None:
    """Every operation, through schemathesis' phases: the schema's examples, the coverage phase
    (boundary and just-out-of-bounds values of every parameter, missing and extra fields) and
    fuzzing with requests that fit the schema and that break it. Each 5xx is collected with the
    request that caused it."""
    failures: list[str] = []
    operations = 0
    for result in get_all_tests(
        schema=api_schema, test_func=_no_server_error, settings=SETTINGS, given_kwargs=None
    ):
        operation, test = result.ok()
        operations += 1
        try:
            test()
        except Exception as exc:  # schemathesis' failure (group): collect, go on
            failures.append(f"{operation.label}: {exc}")
    assert operations >= 12
    assert not failures, "\n\n".join(failures)
