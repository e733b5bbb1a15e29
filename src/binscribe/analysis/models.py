"""The analysis result: a versioned, strict Pydantic document saved once and read by later stages.

Every model forbids unknown fields, so a document written by another ``schema_version`` fails
loudly instead of silently losing data. Addresses are integers (virtual addresses as the loader
maps the binary: ELF/Mach-O link addresses, PE image base + RVA). ARM Thumb functions are given
at their even code address (the Thumb bit cleared). ``AnalysisResult.model_validate_json`` loads
what ``model_dump_json`` wrote.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal["1"] = "1"

BinaryFormat = Literal["elf", "pe", "macho"]
Arch = Literal["x86", "x86_64", "arm", "aarch64"]
Endianness = Literal["little", "big"]
BinaryKind = Literal["executable", "shared_library", "object", "bundle", "other"]
Language = Literal["native", "go", "rust", "dotnet"]
StringEncoding = Literal["ascii", "utf-8", "utf-16le"]


class AnalysisDepth(StrEnum):
    """How deep an analysis goes (see :class:`~binscribe.analysis.options.AnalysisOptions`):
    ``basic`` decompiles nothing, ``standard`` the most important functions, ``detailed``
    every non-library function."""

    BASIC = "basic"
    STANDARD = "standard"
    DETAILED = "detailed"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FatSlice(_Strict):
    """One architecture slice of a universal (fat) Mach-O file; ``offset``/``size`` in bytes."""

    arch: Arch | str
    bits: int
    offset: int
    size: int


class AssemblyReference(_Strict):
    """A .NET assembly another one references (AssemblyRef row); ``version`` ``"4.0.0.0"``."""

    name: str
    version: str


class DotNetInfo(_Strict):
    """Facts of a .NET assembly: CLR header (runtime version, flags) and its metadata tables.

    ``assembly_name``/``assembly_version``: the Assembly row (``None`` for a module without
    one, or a document written before these were read). ``entry_method``: full name of the
    managed entry point (``Crackme::Main``). Its methods are the result's functions, with CIL
    disassembly instead of pseudocode.
    """

    runtime_version: str
    flags: list[str]
    il_only: bool
    assembly_name: str | None = None
    assembly_version: str | None = None
    references: list[AssemblyReference] = Field(default_factory=list)
    entry_method: str | None = None


class BinaryInfo(_Strict):
    """File-level facts: identity, format, architecture and what kind of program it is.

    ``stripped``: no symbol table (ELF ``.symtab``, PE COFF symbols, Mach-O ``LC_SYMTAB``
    locals). ``static``: no dynamic imports or interpreter. ``packer``: e.g. ``"upx"`` when a
    packer signature or high-entropy executable code was found (see the result's warnings).
    """

    file_name: str
    size: int = Field(description="file size in bytes")
    sha256: str
    format: BinaryFormat
    arch: Arch
    bits: Literal[32, 64]
    endianness: Endianness
    kind: BinaryKind
    entry_point: int | None
    image_base: int | None = None
    stripped: bool
    static: bool
    language: Language = "native"
    packer: str | None = None
    dotnet: DotNetInfo | None = None
    go_version: str | None = None
    fat_slices: list[FatSlice] = Field(default_factory=list)
    selected_slice: str | None = Field(
        default=None, description="arch of the analyzed slice when the file is a fat Mach-O"
    )


class Section(_Strict):
    """A section (or a segment when a format has no sections); entropy in bits per byte, 0-8."""

    name: str
    address: int
    size: int
    permissions: str = Field(description='"rwx" flags, a dash for each missing one, e.g. "r-x"')
    entropy: float


class Import(_Strict):
    """An imported symbol: ``library`` is the DLL or shared object when the format records it;
    ``address`` is where calls land (PLT stub, IAT slot or stub), when known.
    ``referenced_by``: addresses of the functions that call or reference it (see
    :attr:`Function.import_refs`)."""

    name: str
    library: str | None = None
    address: int | None = None
    referenced_by: list[int] = Field(default_factory=list)


class Export(_Strict):
    """An exported symbol at its virtual address."""

    name: str
    address: int


class StringRef(_Strict):
    """A string literal found in a data section. Undecodable bytes are escaped as ``\\xNN``.

    ``referenced_by``: addresses of the functions whose code references this string.
    """

    address: int
    value: str
    encoding: StringEncoding
    section: str | None = None
    referenced_by: list[int] = Field(default_factory=list)


class CodeRef(_Strict):
    """A cross-reference from code: the instruction at ``address`` calls, jumps to or loads
    ``target`` (a function's or a string's address)."""

    address: int
    target: int


class ImportRef(_Strict):
    """The instruction at ``address`` calls (or tail-jumps to) the import ``name``."""

    address: int
    name: str


class Function(_Strict):
    """One recovered function (PLT stubs, SimProcedures and alignment padding are excluded).

    ``name`` is demangled; ``callers``/``callees`` are names of functions or imports (callees
    include called imports, callers only recovered functions). ``strings`` are addresses of
    :class:`StringRef` entries the function references; ``imports`` the imported names it calls
    or references. ``disassembly``: one instruction a line, ``"0x401126: push rbp"``.
    ``bytes_sha256``: sha256 of the function's bytes, block by block in address order (the key
    of the explanation cache). ``pseudocode`` is angr's C-like output; when decompilation was not
    asked for it is ``None`` with no error, when it failed or timed out ``decompile_error`` says
    why. ``is_library``: runtime or library code not explained by default.

    Cross-references by address (names repeat: two static ``init`` functions, aliases):
    ``calls`` are the call and tail-call sites whose target is another recovered function
    (instruction address -> function address), ``caller_addresses`` the functions whose
    ``calls`` land here, ``string_refs`` the instructions that load a string (target: the
    :class:`StringRef` address), ``import_refs`` the instructions that call an import. Each list
    is sorted by instruction address (``caller_addresses`` by address).
    """

    name: str
    mangled_name: str | None = None
    address: int
    size: int
    blocks: int
    instructions: int
    callers: list[str] = Field(default_factory=list)
    callees: list[str] = Field(default_factory=list)
    strings: list[int] = Field(default_factory=list)
    imports: list[str] = Field(default_factory=list)
    calls: list[CodeRef] = Field(default_factory=list)
    caller_addresses: list[int] = Field(default_factory=list)
    string_refs: list[CodeRef] = Field(default_factory=list)
    import_refs: list[ImportRef] = Field(default_factory=list)
    is_library: bool = False
    is_thumb: bool = False
    bytes_sha256: str
    disassembly: str
    pseudocode: str | None = None
    decompile_error: str | None = None


InjectionKind = Literal["string", "symbol", "import", "code", "metadata"]
InjectionCategory = Literal[
    "instruction_override", "role_change", "verdict_request", "chat_template", "addressed_to_ai"
]
InjectionEncoding = Literal["plain", "base64", "hex"]


class InjectionFinding(_Strict):
    """Text in the binary addressed to an AI model or analysis tool (a prompt injection
    attempt), found by :func:`binscribe.analysis.injection.detect_injection`: a fact of the
    binary, not of any model.

    ``kind``: where the text is (``string`` literal, ``symbol`` = function or export name,
    ``import`` name, ``code`` = pseudocode/disassembly of ``function``, .NET ``metadata``).
    ``address``: the string's, symbol's or function's address (None for metadata);
    ``addresses``: every string the matched text spans (several when it is split across
    adjacent strings). ``rule``: the matching rule's id (``override.en``); ``encoding``: how
    the text was hidden (UTF-16 strings are already decoded by the string extractor).
    ``excerpt``: the decoded text around the match (at most ~160 characters); ``verdict``:
    the verdict the text asks for (``benign``), when it asks for one.
    """

    kind: InjectionKind
    address: int | None
    addresses: list[int] = Field(default_factory=list)
    function: str | None = None
    rule: str
    category: InjectionCategory
    language: str
    encoding: InjectionEncoding = "plain"
    excerpt: str
    verdict: Literal["benign"] | None = None


class AnalysisStats(_Strict):
    """Counts and timings; ``stage_seconds`` maps stage name -> wall seconds."""

    functions_total: int
    functions_decompiled: int
    decompile_failures: int
    stage_seconds: dict[str, float] = Field(default_factory=dict)
    peak_rss_mb: float | None = None
    workers: int = 1


class CfgCut(_Strict):
    """CFG recovery stopped when its time budget was spent: the functions found until then are
    complete as far as they were scanned, the rest of the code is missing.

    ``budget_s``: the budget in seconds; ``functions_found``: functions the partial control-flow
    graph holds (stubs included); ``scanned_percent``: share of the executable regions the scan
    had covered, 0-100.
    """

    budget_s: float
    functions_found: int
    scanned_percent: float

    def describe(self) -> str:
        """One sentence for notes and the job's message."""
        return (
            f"CFG recovery stopped after its {self.budget_s:g} s budget: "
            f"{self.functions_found:,} functions found, the scan of the code was "
            f"{self.scanned_percent:.0f}% complete; functions in the rest are missing "
            "(raise BINSCRIBE_ANALYSIS_CFG_BUDGET_S for a complete analysis)"
        )


class AnalysisResult(_Strict):
    """Everything the analysis found in one binary; the input of explanation and rendering.
    Frozen: build a changed document with ``model_copy(update=...)``.

    ``warnings``: facts about the binary a reader should know (packed, .NET, loader fallback).
    ``notes``: limits that made the result partial (time budget reached, function limit, a
    function whose decompilation timed out is counted in ``stats`` instead).
    ``cfg_cut``: set when CFG recovery stopped at its time budget (its sentence is in ``notes``).
    ``injection_findings``: text that tries to instruct an AI analyst (empty for most binaries).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal["1"] = SCHEMA_VERSION
    engine: Literal["angr"] = "angr"
    engine_version: str
    depth: AnalysisDepth
    binary: BinaryInfo
    functions: list[Function] = Field(default_factory=list)
    imports: list[Import] = Field(default_factory=list)
    exports: list[Export] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    strings: list[StringRef] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    cfg_cut: CfgCut | None = None
    injection_findings: list[InjectionFinding] = Field(
        default_factory=list,
        description="text addressed to an AI model or analysis tool (prompt injection)",
    )
    stats: AnalysisStats

    def function(self, name: str) -> Function | None:
        """The first function called ``name`` (demangled or mangled), or ``None``."""
        for func in self.functions:
            if name in (func.name, func.mangled_name):
                return func
        return None
