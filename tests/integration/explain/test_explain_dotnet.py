"""A .NET assembly's methods have no pseudocode: the model reads their CIL, labelled as CIL
(not native assembly). Live analysis of ``crackme-dotnet.exe``; OpenAI SDK against the local
server."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from binscribe.analysis import AnalysisOptions, analyze_file
from binscribe.explain import ExplainOptions, explain_analysis
from tests.integration.explain.conftest import Env
from tests.integration.explain.test_explain_engine import function_of, user_prompt
from tests.llm_servers.canned import function_summary

MakeEnv = Callable[..., Env]
SAMPLE = Path(__file__).parents[2] / "fixtures" / "bin" / "crackme-dotnet.exe"


@pytest.mark.slow
async def test_cil_methods_are_explained_from_their_cil(explain_env: MakeEnv) -> None:
    result = analyze_file(SAMPLE, options=AnalysisOptions(depth="standard"))
    server, adapter = explain_env("openai")
    report = await explain_analysis(
        result,
        adapter=adapter,
        model=adapter.model,
        provider_type="openai",
        options=ExplainOptions(),
    )
    assert [(f.name, f.status, f.source) for f in report.functions] == [
        ("Crackme::CheckPassword", "explained", "disassembly"),
        ("Crackme::Main", "explained", "disassembly"),
    ]
    prompts = {function_of(r): user_prompt(r) for r in server.requests if function_of(r)}
    check = prompts["Crackme::CheckPassword"]
    assert "CIL disassembly (.NET bytecode, not native code):" in check
    assert "Disassembly:" not in check
    assert '0x40205e: ldstr "r3v3rs3!"' in check
    assert '- "System.String::op_Equality" (imported)' in check
    assert '- 0x402302: "r3v3rs3!"' in check
    main = prompts["Crackme::Main"]
    summary = json.dumps(function_summary("Crackme::CheckPassword"))
    assert f'- "Crackme::CheckPassword": {summary}' in main
    assert "CIL disassembly (.NET bytecode, not native code):" in main
