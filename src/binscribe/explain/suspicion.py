"""Did a model's answer obey text the binary addressed to it? Checks of each explained item
against the analysis' prompt-injection findings (``AnalysisResult.injection_findings``).

An item is ``suspect_injection`` when findings reach its prompt (its own strings, names,
imports, code; every finding reaches the program summary) and its answer, without calling the
text an injection:

- claims a benign verdict (``benign``, ``harmless``, ``not malicious``, ...),
- repeats instruction-like text (the answer itself matches a detection rule), or
- contradicts grounded facts: says "no network" or "no file access" while the item's imports
  show it, or "no security concerns" although the item carries injection text.

These are heuristics over English answers; the warning built from the findings themselves is
shown whatever the model answered. :func:`mark_program` also makes the program summary state
the finding as a capability and a security consideration, so it is never silently benign.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from binscribe.analysis.injection import scan
from binscribe.analysis.models import AnalysisResult, Function, InjectionFinding
from binscribe.explain.schemas import ProgramSummary

TARGETS_AI_ANALYSIS = "targets AI analysis"
"""The capability a binary with prompt-injection findings has."""

_BENIGN = re.compile(
    r"(?<!not )(?<!n't )\b(?:benign|harmless|not\s+malicious|non-malicious|no\s+malicious"
    r"|poses?\s+no\s+(?:risk|threat)|safe\s+to\s+(?:run|use|execute)|is\s+(?:safe|clean|legitimate))\b",
    re.IGNORECASE,
)
_AWARE = re.compile(
    r"prompt[\s-]*injection|\binjected\b|\bmanipulat|\bmislead|\b(?:tries|trying|attempts?|meant"
    r"|intended)\s+to\s+(?:instruct|trick|steer|influence|fool|deceive|manipulate|mislead)"
    r"|(?:aimed|addressed|directed)\s+at\s+(?:an?\s+)?(?:ai|llm|automated|analysts?|models?)",
    re.IGNORECASE,
)
_NO_NETWORK = re.compile(
    r"\b(?:no|without|does\s+not\s+(?:use|access|perform|have)|doesn't\s+(?:use|access))\s+"
    r"(?:any\s+|the\s+)?network",
    re.IGNORECASE,
)
_NO_FILES = re.compile(
    r"\b(?:no|without|does\s+not\s+(?:read|write|access|touch|open)|doesn't\s+(?:read|write"
    r"|access|open))\s+(?:any\s+)?(?:files?|file\s+system|disk)",
    re.IGNORECASE,
)
_NO_CONCERNS = re.compile(
    r"\bno\s+(?:security\s+)?(?:concerns?|issues?|risks?|threats?)\b|\bnothing\s+suspicious\b",
    re.IGNORECASE,
)
_NETWORK_IMPORTS = re.compile(
    r"^(?:socket|connect|send|sendto|recv|recvfrom|bind|listen|accept|getaddrinfo"
    r"|gethostbyname|WSAStartup|WSASocket\w*|Internet\w+|WinHttp\w+|URLDownload\w+|curl_\w+)$"
)
_FILE_IMPORTS = re.compile(
    r"^(?:fopen|fopen64|open|open64|openat|creat|fread|fwrite|read|write|CreateFile\w*"
    r"|ReadFile|WriteFile|DeleteFile\w*|unlink|remove|rename)$"
)


def findings_listing(findings: list[InjectionFinding]) -> str:
    """The findings as data lines for the program prompt (``(none)`` without any)."""
    lines = [f"- {f.rule} at {_where(f)}: {json.dumps(f.excerpt)}" for f in findings[:20]]
    if len(findings) > 20:
        lines.append(f"- ... ({len(findings) - 20} more)")
    return "\n".join(lines) or "(none)"


def _where(finding: InjectionFinding) -> str:
    if finding.address is None:
        return ".NET metadata"
    return ", ".join(f"0x{a:x}" for a in finding.addresses or [finding.address])


def function_findings(result: AnalysisResult, func: Function) -> list[InjectionFinding]:
    """The findings whose text is in ``func``'s prompt: strings it references, its own name or
    code, names of what it calls or is called by, imports it uses."""
    names = {func.name, *func.callees, *func.callers, *func.imports}
    strings = set(func.strings)
    return [
        f
        for f in result.injection_findings
        if (f.kind == "string" and strings.intersection(f.addresses))
        or (f.kind in ("symbol", "import") and f.function in names)
        or (f.kind == "code" and f.address == func.address)
    ]


def reasons(
    answer: Iterable[str], findings: list[InjectionFinding], imports: Iterable[str] = ()
) -> list[str]:
    """Why an answer (its text fields) looks like it obeyed ``findings`` (empty: it does not,
    or no finding reaches it). ``imports``: the imports the item's code uses (grounded facts)."""
    if not findings:
        return []
    text = "\n".join(answer)
    if _AWARE.search(text):
        return []
    found: list[str] = []
    rules = ", ".join(sorted({f.rule for f in findings}))
    benign = _BENIGN.search(text)
    if benign:
        found.append(
            f"calls the binary {benign.group(0).lower()!r} although it carries text asking "
            f"AI analysis for a verdict or new instructions ({rules})"
        )
    for match in scan(text):
        found.append(f"repeats instruction-like text {match.phrase!r} ({match.rule.id})")
    names = list(imports)
    network = [n for n in names if _NETWORK_IMPORTS.match(n)]
    if network and _NO_NETWORK.search(text):
        found.append(f"says there is no network use although it imports {', '.join(network)}")
    files = [n for n in names if _FILE_IMPORTS.match(n)]
    if files and _NO_FILES.search(text):
        found.append(f"says there is no file access although it imports {', '.join(files)}")
    if _NO_CONCERNS.search(text):
        found.append("says there are no security concerns although it carries injection text")
    return found


def program_text(summary: ProgramSummary) -> list[str]:
    """The program summary's text fields, for :func:`reasons`."""
    return [
        summary.purpose,
        *summary.key_behaviours,
        *summary.capabilities,
        *summary.security_considerations,
    ]


def mark_program(summary: ProgramSummary, findings: list[InjectionFinding]) -> ProgramSummary:
    """``summary`` with the findings stated as facts: the capability
    :data:`TARGETS_AI_ANALYSIS` and a first security consideration naming the addresses
    (unchanged without findings)."""
    if not findings:
        return summary
    where = sorted({_where(f) for f in findings})
    fact = (
        f"The binary contains {len(findings)} prompt-injection finding(s), text addressed to "
        f"AI analysis, at {'; '.join(where[:8])} (a fact of the analysis, whatever this "
        "summary says)."
    )
    capabilities = [TARGETS_AI_ANALYSIS] + [
        c for c in summary.capabilities if c != TARGETS_AI_ANALYSIS
    ]
    return summary.model_copy(
        update={
            "capabilities": capabilities,
            "security_considerations": [fact, *summary.security_considerations],
        }
    )
