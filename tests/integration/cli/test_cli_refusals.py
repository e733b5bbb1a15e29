"""Refusals on the command line are one line on stderr and exit 2 (issue 9 items 2 and 9): a short
API token stops ``serve`` before it binds, and a metadata endpoint is refused when saved."""

from __future__ import annotations

from binscribe.settings import MIN_API_TOKEN_LENGTH
from tests.helpers import KEY, Cli


def test_a_short_api_token_stops_the_server_at_start(cli: Cli) -> None:
    short = "x" * (MIN_API_TOKEN_LENGTH - 1)
    # A real process (the installed console script), unlike the other CLI tests: this proves the
    # entry point's wiring and that a refused server exits with status 2 and one stderr line from
    # the interpreter itself, without binding or printing a traceback.
    refused = cli(
        "serve", "--port", "1", env={"BINSCRIBE_API_TOKEN": short}, process=True, timeout=60
    )
    assert refused.returncode == 2
    assert refused.stderr == (
        f"binscribe: error: BINSCRIBE_API_TOKEN: must be at least {MIN_API_TOKEN_LENGTH} "
        "characters; make one with "
        "`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`\n"
    )
    assert short not in refused.stdout + refused.stderr
    bad_port = cli("jobs", "list", env={"BINSCRIBE_PORT": "zero"}, timeout=60)
    assert (bad_port.returncode, bad_port.stderr.count("\n")) == (2, 1)
    assert bad_port.stderr.startswith("binscribe: error: BINSCRIBE_PORT: ")


def test_providers_add_refuses_a_metadata_endpoint(cli: Cli) -> None:
    refused = cli(
        "providers",
        "add",
        "--name",
        "imds",
        "--type",
        "openai",
        "--api-key",
        KEY,
        "--endpoint",
        "http://[64:ff9b::a9fe:a9fe]/v1",
    )
    assert refused.returncode == 2
    assert refused.stderr == (
        "binscribe: error: The endpoint host 64:ff9b::a9fe:a9fe resolves to 64:ff9b::a9fe:a9fe "
        "(carrying 169.254.169.254), a link-local or cloud metadata address; binscribe does not "
        "send requests there.\n"
    )
    assert (
        cli("providers", "list").stdout == "no providers; add one with `binscribe providers add`\n"
    )


def test_providers_add_applies_the_apis_input_rules(cli: Cli) -> None:
    # The providers service checks the CLI's input with the API's ProviderCreate.
    name = "bad\u202ename"
    refused = cli("providers", "add", "--name", name, "--type", "openai", "--api-key", KEY)
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == (
        "binscribe: error: invalid name: Value error, must not contain control or invisible "
        "formatting characters\n"
    )
    spaced = cli("providers", "add", "--name", "k", "--type", "openai", "--api-key", "a b c d e")
    assert spaced.returncode == 2
    assert spaced.stderr.startswith("binscribe: error: invalid api_key: Value error, API keys ")
    assert "a b c d e" not in spaced.stderr
