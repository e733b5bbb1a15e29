"""The Markdown report from a hand-made result: sections, pseudocode, disassembly fallback, the
no-provider hint."""

from __future__ import annotations

import uuid

from binscribe.analysis.models import (
    AnalysisResult,
    AnalysisStats,
    BinaryInfo,
    Function,
    Import,
    StringRef,
)
from binscribe.explain.report import ExplanationReport, FunctionResult, ProgramResult
from binscribe.explain.schemas import FunctionExplanation, ProgramSummary
from binscribe.jobs.markdown import NO_PROVIDER_HINT, render_markdown
from binscribe.jobs.results import JobResult


def _analysis() -> AnalysisResult:
    binary = BinaryInfo(
        file_name="x", size=100, sha256="0" * 64, format="elf", arch="x86_64", bits=64,
        endianness="little", kind="executable", entry_point=0x401000, stripped=False,
        static=False,
    )  # fmt: skip
    functions = [
        Function(name="main", address=0x401000, size=10, blocks=1, instructions=3,
                 bytes_sha256="1" * 64, disassembly="0x401000: ret",
                 pseudocode="int main(void)\n{\n    return 0;\n}\n"),
        Function(name="broken", address=0x401010, size=4, blocks=1, instructions=1,
                 bytes_sha256="2" * 64, disassembly="0x401010: ud2",
                 decompile_error="decompiler timed out"),
        Function(name="skipped", address=0x401020, size=4, blocks=1, instructions=1,
                 bytes_sha256="3" * 64, disassembly="0x401020: ret"),
    ]  # fmt: skip
    return AnalysisResult(
        engine_version="10.0.5", depth="standard", binary=binary, functions=functions,
        imports=[Import(name="puts", library="libc.so.6")],
        strings=[StringRef(address=0x402000, value="hello", encoding="ascii")],
        stats=AnalysisStats(functions_total=3, functions_decompiled=1, decompile_failures=1),
    )  # fmt: skip


def test_report_without_provider() -> None:
    text = render_markdown(JobResult(job_id=uuid.uuid4(), file_name="x.elf", analysis=_analysis()))
    assert text.startswith("# x.elf\n\n- Format: elf x86_64 (64-bit, executable)\n")
    assert f"## Program summary\n\n{NO_PROVIDER_HINT}\n" in text
    assert "## Capabilities" not in text
    assert "## Imports\n\n- `puts` (libc.so.6)\n" in text
    assert "## Notable strings\n\n- `hello` at 0x402000\n" in text
    assert "### main (0x401000)\n\n```c\nint main(void)\n{\n    return 0;\n}\n```" in text
    assert "### skipped" not in text  # neither decompiled nor explained


def test_report_with_explanations() -> None:
    explanation = FunctionExplanation(
        summary="Returns zero.", explanation="It returns 0 at once.", category="utility",
        confidence=0.9,
    )  # fmt: skip
    report = ExplanationReport(
        prompt_version="1", provider_type="openai", model="gpt-4.1-mini", detail="brief",
        functions=[
            FunctionResult(status="explained", name="main", address=0x401000,
                           source="pseudocode", explanation=explanation),
            FunctionResult(status="explained", name="broken", address=0x401010,
                           source="disassembly", explanation=explanation),
        ],
        program=ProgramResult(status="explained", result=ProgramSummary(
            purpose="Does nothing.", key_behaviours=["exits"], confidence=0.5)),
    )  # fmt: skip
    result = JobResult(
        job_id=uuid.uuid4(), file_name="x.elf", analysis=_analysis(), explanation=report
    )
    text = render_markdown(result)
    assert "## Program summary\n\nDoes nothing.\n\nKey behaviours:\n- exits\n" in text
    assert "### main (0x401000)\n\n**Returns zero.**\n\nIt returns 0 at once.\n" in text
    assert (
        "### broken (0x401010)\n\n**Returns zero.**\n\nIt returns 0 at once.\n\n"
        "- category: utility; confidence 0.90\n\n_Decompilation failed: decompiler timed out_"
        "\n\n```asm\n0x401010: ud2\n```"
    ) in text
    assert "- Explained by: openai `gpt-4.1-mini`, brief detail; 0 requests" in text
