"""``binscribe providers``: list, add, test and remove LLM providers, and ``import-env`` to turn
environment-configured keys (the old hard-coded setup) into stored, encrypted providers.

Keys are read from a hidden prompt, ``--api-key`` or the environment, stored encrypted, and never
printed; output shows at most the key's last 4 characters.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from dotenv import dotenv_values
from pydantic import SecretStr, ValidationError

from binscribe import providers
from binscribe.cli._context import cli_context, find_provider
from binscribe.db import providers as provider_repo
from binscribe.errors import ValidationFailed
from binscribe.llm.types import ProviderType, provider_type_info
from binscribe.providers.inputs import ProviderCreate

app = typer.Typer(help="Your LLM providers (keys stored encrypted).", no_args_is_help=True)

# provider type -> (key variables, endpoint variables, model variable), first match wins.
ENV_SOURCES: dict[ProviderType, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    ProviderType.OPENAI: (("OPENAI_API_KEY",), ("OPENAI_BASE_URL",), "OPENAI_MODEL"),
    ProviderType.ANTHROPIC: (("ANTHROPIC_API_KEY",), (), "ANTHROPIC_MODEL"),
    ProviderType.GEMINI: (("GEMINI_API_KEY", "GOOGLE_API_KEY"), (), "GEMINI_MODEL"),
    ProviderType.OLLAMA: ((), ("OLLAMA_BASE_URL", "OLLAMA_HOST"), "OLLAMA_MODEL"),
}


@app.command("list")
def list_command() -> None:
    """List providers: name, type, model, key hint and status, last test."""
    ctx = cli_context()
    with ctx.sessions() as session:
        rows = provider_repo.list_providers(session)
        if not rows:
            typer.echo("no providers; add one with `binscribe providers add`")
        for row in rows:
            info = provider_type_info(ProviderType(row.provider_type))
            model = row.default_model or info.default_model
            hint = f"key ...{row.api_key_hint}" if row.api_key_hint else "no key"
            key = provider_repo.key_status(row, ctx.cipher)
            state = "active" if row.is_active else "inactive"
            test = row.last_test_status or "untested"
            typer.echo(
                f"{row.name}\t{row.provider_type}\t{model}\t{hint} ({key})\t{state}\t"
                f"{test}\t{row.id}"
            )


def _create(
    *,
    name: str,
    provider_type: ProviderType,
    api_key: str | None,
    endpoint: str | None,
    model: str | None,
) -> str:
    """Create through the providers service (the API's rules); returns the new id.

    Raises ValidationFailed (exit 2) for input the API would refuse with a 422."""
    try:
        provider_in = ProviderCreate(
            name=name,
            provider_type=provider_type,
            api_key=SecretStr(api_key) if api_key else None,
            endpoint_url=endpoint,
            default_model=model,
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise ValidationFailed(f"invalid {where}: {error['msg']}") from None
    ctx = cli_context()
    with ctx.sessions.begin() as session:
        saved = providers.create_provider(
            session=session,
            cipher=ctx.cipher,
            provider_in=provider_in,
            allow_private_endpoints=ctx.settings.allow_private_endpoints,
        )
        return str(saved.row.id)


@app.command("add")
def add(
    name: Annotated[str, typer.Option(help="A unique name.")],
    provider_type: Annotated[ProviderType, typer.Option("--type", help="Provider type.")],
    api_key: Annotated[
        str | None, typer.Option(help="The API key (asked for, hidden, when the type needs one).")
    ] = None,
    endpoint: Annotated[str | None, typer.Option(help="Endpoint URL (Ollama, compatible).")] = None,
    model: Annotated[str | None, typer.Option(help="Model (default: the type's).")] = None,
) -> None:
    """Add a provider; its key is stored encrypted."""
    if api_key is None and provider_type_info(provider_type).requires_api_key:
        api_key = typer.prompt("API key", hide_input=True)
    provider_id = _create(
        name=name, provider_type=provider_type, api_key=api_key, endpoint=endpoint, model=model
    )
    typer.echo(f"added {name.strip()} ({provider_type.value}) {provider_id}")


@app.command("test")
def test(provider: Annotated[str, typer.Argument(help="Name or id.")]) -> None:
    """Make one cheap real call to the provider; exits 1 when it fails."""
    ctx = cli_context()
    with ctx.sessions() as session:
        row = find_provider(session, provider)
        result = providers.probe_providers(
            session, [row], ctx.cipher, allow_private_endpoints=ctx.settings.allow_private_endpoints
        )[row.id]
        session.commit()
    status = "ok" if result.success else f"failed ({result.error_code})"
    typer.echo(f"{row.name}: {status} in {result.latency_ms} ms: {result.message}")
    if not result.success:
        raise typer.Exit(1)


@app.command("remove")
def remove(provider: Annotated[str, typer.Argument(help="Name or id.")]) -> None:
    """Delete a provider (its jobs keep their provider snapshot)."""
    ctx = cli_context()
    with ctx.sessions.begin() as session:
        row = find_provider(session, provider)
        name = row.name
        provider_repo.delete_provider(session, row.id)
    typer.echo(f"removed {name}")


def _first(values: dict[str, str | None], names: tuple[str, ...]) -> str | None:
    return next((v.strip() for n in names if (v := values.get(n)) and v.strip()), None)


@app.command("import-env")
def import_env(
    env_file: Annotated[Path, typer.Option(help="A .env file read after the environment.")] = Path(
        ".env"
    ),
) -> None:
    """Create one encrypted provider per type configured in the environment (or .env):
    OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY/GOOGLE_API_KEY, OLLAMA_BASE_URL/OLLAMA_HOST,
    optional *_MODEL. Safe to run again: existing ones are kept."""
    values: dict[str, str | None] = dict(dotenv_values(env_file)) if env_file.is_file() else {}
    values.update(os.environ)
    ctx = cli_context()
    found = 0
    for provider_type, (keys, endpoints, model_var) in ENV_SOURCES.items():
        key, endpoint = _first(values, keys), _first(values, endpoints)
        if not (key or endpoint) or (keys and not key):
            continue
        found += 1
        if endpoint and "://" not in endpoint:
            endpoint = f"http://{endpoint}"
        name = f"{provider_type.value} (env)"
        with ctx.sessions() as session:
            exists = any(r.name == name for r in provider_repo.list_providers(session))
        if exists:
            typer.echo(f"kept {name}: already present")
            continue
        model = _first(values, (model_var,))
        _create(name=name, provider_type=provider_type, api_key=key, endpoint=endpoint, model=model)
        shown = model or provider_type_info(provider_type).default_model
        typer.echo(f"created {name}: {provider_type.value}, model {shown}")
    if not found:
        typer.echo("no provider settings found in the environment or " + str(env_file))
