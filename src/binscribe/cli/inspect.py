"""``binscribe inspect FILE``: run the analysis (no LLM) and print it, for debugging and scripts.

Register with ``app.command("inspect")(inspect.inspect_command)``. Bad input prints one line on
stderr and exits 2; ``--json`` prints the :class:`AnalysisResult` JSON document on stdout.
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Column, Table

from binscribe.analysis import AnalysisError, AnalysisOptions, AnalysisResult, analyze_file
from binscribe.analysis.models import AnalysisDepth, Arch

TOP_FUNCTIONS = 25
TOP_IMPORTS = 40
TOP_STRINGS = 15


def inspect_command(
    file: Annotated[Path, typer.Argument(help="the binary to analyze")],
    depth: Annotated[AnalysisDepth, typer.Option(help="Analysis depth.")] = AnalysisDepth.STANDARD,
    json_output: Annotated[
        bool, typer.Option("--json", help="print the analysis result as JSON")
    ] = False,
    function: Annotated[
        list[str] | None, typer.Option(help="decompile only this function (repeatable)")
    ] = None,
    arch: Annotated[Arch | None, typer.Option(help="slice of a fat Mach-O to analyze")] = None,
) -> None:
    """Analyze FILE with angr and print metadata, functions, imports, sections and strings."""
    err = Console(stderr=True)
    options = AnalysisOptions(depth=depth, only_functions=function or None, fat_arch=arch)
    try:
        with err.status("analyzing...") as status:
            result = analyze_file(
                file,
                options=options,
                progress=lambda stage, done, total: status.update(f"{stage} {done}/{total}"),
            )
    except (AnalysisError, OSError) as exc:
        message = exc.message if isinstance(exc, AnalysisError) else f"cannot read {file}: {exc}"
        err.print(f"binscribe: error: {message}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    missing = sorted(set(function or ()) - {f.name for f in result.functions})
    if missing:
        message = f"no function named {', '.join(missing)} in {file} (run without --function)"
        err.print(f"binscribe: error: {message}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if json_output:
        typer.echo(result.model_dump_json(indent=2))
    else:
        render(result, Console())


def render(result: AnalysisResult, console: Console) -> None:
    """Print ``result`` as rich tables on ``console``."""
    info = result.binary
    meta = Table("key", Column("value", overflow="fold"), title=info.file_name, show_header=False)
    for key, value in [
        ("format", f"{info.format} {info.kind}, {info.arch} {info.bits}-bit {info.endianness}"),
        ("entry point", f"{info.entry_point:#x}" if info.entry_point is not None else "-"),
        ("sha256", info.sha256),
        ("size", f"{info.size} bytes"),
        ("stripped / static", f"{info.stripped} / {info.static}"),
        ("language", info.language + (f" ({info.go_version})" if info.go_version else "")),
        ("packer", info.packer or "-"),
        ("engine", f"{result.engine} {result.engine_version}, depth {result.depth}"),
        (
            "functions",
            f"{result.stats.functions_total} ({result.stats.functions_decompiled} "
            f"decompiled, {result.stats.decompile_failures} failed)",
        ),
    ]:
        meta.add_row(key, value)
    if info.fat_slices:
        meta.add_row("fat slices", ", ".join(str(s.arch) for s in info.fat_slices))
    console.print(meta)
    for line in result.warnings:
        console.print(f"[yellow]warning:[/] {line}", highlight=False)
    for line in result.notes:
        console.print(f"[cyan]note:[/] {line}", highlight=False)
    for finding in result.injection_findings:
        where = f"{finding.address:#x}" if finding.address is not None else ".NET metadata"
        text = escape(f"{where} ({finding.kind}, {finding.rule}): {finding.excerpt!r}")
        console.print(f"[bold red]prompt injection:[/] {text}", highlight=False)
    _functions(result, console)
    imports = Table(
        "library",
        Column("name", overflow="fold"),
        "address",
        title=f"imports ({len(result.imports)})",
    )
    for item in result.imports[:TOP_IMPORTS]:
        address = f"{item.address:#x}" if item.address is not None else "-"
        imports.add_row(item.library or "-", item.name, address)
    console.print(imports)
    sections = Table("name", "address", "size", "perm", "entropy", title="sections")
    for sec in result.sections:
        sections.add_row(
            sec.name, f"{sec.address:#x}", str(sec.size), sec.permissions, f"{sec.entropy:.2f}"
        )
    console.print(sections)
    counts = collections.Counter(s.encoding for s in result.strings)
    summary = ", ".join(f"{n} {enc}" for enc, n in sorted(counts.items())) or "none"
    strings = Table(
        "address", "encoding", Column("value", overflow="fold"), title=f"strings ({summary})"
    )
    for ref in result.strings[:TOP_STRINGS]:
        strings.add_row(f"{ref.address:#x}", ref.encoding, ref.value[:80])
    console.print(strings)


def _functions(result: AnalysisResult, console: Console) -> None:
    table = Table(
        "address",
        Column("name", overflow="fold", min_width=24),
        "size",
        "blocks",
        "callers",
        "callees",
        "pseudocode",
        title=f"top functions ({min(TOP_FUNCTIONS, len(result.functions))} of "
        f"{len(result.functions)}, program code first, by callers)",
    )
    ranked = sorted(result.functions, key=lambda f: (f.is_library, -len(f.callers), -f.size))
    for func in ranked[:TOP_FUNCTIONS]:
        status = ("yes" if func.pseudocode else ("error" if func.decompile_error else "-")) + (
            " (lib)" if func.is_library else ""
        )
        table.add_row(
            f"{func.address:#x}",
            func.name,
            str(func.size),
            str(func.blocks),
            str(len(func.callers)),
            str(len(func.callees)),
            status,
        )
    console.print(table)
