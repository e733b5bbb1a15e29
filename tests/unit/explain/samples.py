"""Analysis results for the explanation tests, built from the committed result model with the
facts of two fixture binaries (``tests/fixtures/bin``, manifests in ``tests/fixtures/expected``,
sources in ``tests/fixtures/src``): names, addresses, call graph, imports, strings and sections
as readelf/objdump report them; pseudocode in angr's style, written from the C sources.

``fileio_result()``: copy_file and send_report called by main, seven runtime functions marked
``is_library``. ``recursion_result()``: self-recursion (fibonacci, ackermann, quick_sort),
quick_sort -> swap_ints, and swap_ints' decompilation timed out (disassembly only).
``synthetic_result(n)``: ``n`` small functions in a call tree, for scheduling and benchmarks.
"""

from __future__ import annotations

import hashlib

from binscribe.analysis.models import (
    AnalysisResult,
    AnalysisStats,
    BinaryInfo,
    Function,
    Import,
    Section,
    StringRef,
)
from tests.unit.explain.disassembly import DISASSEMBLY

COPY_FILE_C = """\
long copy_file(char *a0, char *a1)
{
    char v0[512];  // [bp-0x228]
    unsigned long v1;  // rbp
    void* v2;  // r12
    void* v3;  // r13
    unsigned long v4;  // rax

    v2 = fopen(a0, "rb");
    if (!v2)
        return -1;
    v3 = fopen(a1, "wb");
    if (!v3)
    {
        fclose(v2);
        return -1;
    }
    v1 = 0;
    while (true)
    {
        v4 = fread(&v0, 1, 512, v2);
        if (!v4)
            break;
        fwrite(&v0, 1, v4, v3);
        v1 += v4;
    }
    fclose(v3);
    fclose(v2);
    return v1;
}"""

SEND_REPORT_C = """\
int send_report(char *a0, unsigned short a1, char *a2)
{
    char v0[256];  // [bp-0x128]
    struct_0 v1;  // [bp-0x28]
    unsigned int v2;  // ebx
    unsigned int v3;  // eax

    v2 = socket(2, 1, 0);
    if (v2 == -1)
        return -1;
    v1.field_0 = 2;
    v1.field_2 = a1 >> 8 | a1 << 8;
    v1.field_4 = inet_addr(a0);
    if (connect(v2, &v1, 16))
    {
        close(v2);
        return -1;
    }
    send(v2, a2, strlen(a2), 0);
    v3 = recv(v2, &v0, 255, 0);
    if (v3 > 0)
    {
        v0[v3] = 0;
        printf("server replied: %s\\n", &v0);
    }
    close(v2);
    return 0;
}"""

FILEIO_MAIN_C = """\
int main(unsigned int a0, unsigned long long *a1)
{
    char *v0;  // rbx
    long v1;  // rax

    v0 = "report.txt";
    if (a0 > 1)
        v0 = a1[1];
    v1 = copy_file(v0, "report.bak");
    if (v1 < 0)
    {
        fprintf(stderr, "cannot copy %s\\n", v0);
        return 1;
    }
    printf("copied %ld bytes to report.bak\\n", v1);
    return (send_report("127.0.0.1", 4444, "BINSCRIBE-REPORT v1") ? 2 : 0);
}"""

FIBONACCI_C = """\
unsigned long fibonacci(unsigned int a0)
{
    unsigned long v1;  // rbx

    if (a0 <= 1)
        return a0;
    v1 = fibonacci(a0 - 1);
    return fibonacci(a0 - 2) + v1;
}"""

ACKERMANN_C = """\
unsigned long ackermann(unsigned long a0, unsigned long a1)
{
    if (!a0)
        return a1 + 1;
    if (!a1)
        return ackermann(a0 - 1, 1);
    return ackermann(a0 - 1, ackermann(a0, a1 - 1));
}"""

QUICK_SORT_C = """\
void quick_sort(unsigned int *a0, unsigned int a1, unsigned int a2)
{
    unsigned int v0;  // ebx
    unsigned int v1;  // r12d
    unsigned int v2;  // ebp

    if (a1 >= a2)
        return;
    v1 = a0[a2];
    v0 = a1;
    for (v2 = a1; v2 < a2; v2 += 1)
    {
        if (a0[v2] < v1)
        {
            swap_ints(&a0[v0], &a0[v2]);
            v0 += 1;
        }
    }
    swap_ints(&a0[v0], &a0[a2]);
    quick_sort(a0, a1, v0 - 1);
    quick_sort(a0, v0 + 1, a2);
}"""

RECURSION_MAIN_C = """\
int main(unsigned int a0, unsigned long long *a1)
{
    unsigned int v0[10];  // [bp-0x48]
    unsigned int v1;  // ebx

    v1 = 20;
    if (a0 > 1)
        v1 = strtoul(a1[1], NULL, 10);
    puts("recursion demo: fibonacci, ackermann, quick sort");
    printf("fibonacci(%u) = %lu\\n", v1, fibonacci(v1));
    printf("ackermann(2, 3) = %lu\\n", ackermann(2, 3));
    quick_sort(&v0, 0, 9);
    fwrite("sorted:", 1, 7, stdout);
    for (v1 = 0; v1 < 10; v1 += 1)
        printf(" %d", v0[v1]);
    putc(10, stdout);
    return 0;
}"""


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _function(fixture: str, name: str, address: int, size: int, **fields: object) -> Function:
    disassembly = DISASSEMBLY[f"{fixture}:{name}"].rstrip("\n")
    return Function(
        name=name,
        address=address,
        size=size,
        blocks=max(1, disassembly.count(" j")),
        instructions=disassembly.count("\n") + 1,
        bytes_sha256=_sha(f"{fixture}:{disassembly}"),
        disassembly=disassembly,
        **fields,  # type: ignore[arg-type]
    )


def _library(name: str, address: int, size: int) -> Function:
    return Function(
        name=name,
        address=address,
        size=size,
        blocks=1,
        instructions=max(1, size // 4),
        is_library=True,
        bytes_sha256=_sha(f"runtime:{name}:{address}"),
        disassembly=f"0x{address:x}: endbr64",
        pseudocode=f"void {name}()\n{{\n    return;\n}}",
    )


def _binary(file_name: str, sha256: str, size: int, entry: int) -> BinaryInfo:
    return BinaryInfo(
        file_name=file_name,
        size=size,
        sha256=sha256,
        format="elf",
        arch="x86_64",
        bits=64,
        endianness="little",
        kind="executable",
        entry_point=entry,
        stripped=False,
        static=False,
    )


def _sections(text_start: int, text_size: int, rodata_size: int) -> list[Section]:
    return [
        Section(name=".plt", address=0x401020, size=0xE0, permissions="r-x", entropy=2.1),
        Section(name=".text", address=text_start, size=text_size, permissions="r-x", entropy=5.6),
        Section(name=".rodata", address=0x402000, size=rodata_size, permissions="r--", entropy=4.2),
        Section(name=".data", address=0x404068, size=0x10, permissions="rw-", entropy=0.0),
    ]


def fileio_result() -> AnalysisResult:
    """``fileio-x86_64.elf``: copies report.txt to report.bak, sends a report to 127.0.0.1:4444."""
    copy_imports = ["fopen", "fclose", "fread", "fwrite"]
    send_imports = ["socket", "inet_addr", "connect", "close", "send", "strlen", "recv", "printf"]
    functions = [
        _library("_init", 0x401000, 0x1B),
        _library("_start", 0x401100, 34),
        _library("deregister_tm_clones", 0x401140, 0x30),
        _library("register_tm_clones", 0x401170, 0x40),
        _library("__do_global_dtors_aux", 0x4011B0, 0x30),
        _library("frame_dummy", 0x4011E0, 6),
        _function(
            "fileio",
            "copy_file",
            0x4011E6,
            176,
            callers=["main"],
            callees=copy_imports,
            imports=copy_imports,
            strings=[0x402004, 0x402007],
            pseudocode=COPY_FILE_C,
        ),
        _function(
            "fileio",
            "send_report",
            0x401296,
            241,
            callers=["main"],
            callees=send_imports,
            imports=send_imports,
            strings=[0x40200A],
            pseudocode=SEND_REPORT_C,
        ),
        _function(
            "fileio",
            "main",
            0x401387,
            115,
            callers=[],
            callees=["copy_file", "fprintf", "printf", "send_report"],
            imports=["fprintf", "printf"],
            strings=[0x40201E, 0x402029, 0x402034, 0x402044, 0x402058, 0x402068],
            pseudocode=FILEIO_MAIN_C,
        ),
        _library("_fini", 0x4013FC, 0xD),
    ]
    got = 0x404000
    names = [
        "recv",
        "fread",
        "fclose",
        "strlen",
        "send",
        "printf",
        "close",
        "inet_addr",
        "fprintf",
        "fopen",
        "connect",
        "fwrite",
        "socket",
    ]
    imports = [
        Import(name=n, library="libc.so.6", address=got + 8 * i) for i, n in enumerate(names)
    ]
    imports.append(Import(name="__libc_start_main", library="libc.so.6", address=None))
    literal = {
        0x402004: ("rb", [0x4011E6]),
        0x402007: ("wb", [0x4011E6]),
        0x40200A: ("server replied: %s\n", [0x401296]),
        0x40201E: ("report.txt", [0x401387]),
        0x402029: ("report.bak", [0x401387]),
        0x402034: ("cannot copy %s\n", [0x401387]),
        0x402044: ("BINSCRIBE-REPORT v1", [0x401387]),
        0x402058: ("127.0.0.1", [0x401387]),
        0x402068: ("copied %ld bytes to report.bak\n", [0x401387]),
    }
    strings = [
        StringRef(address=a, value=v, encoding="ascii", section=".rodata", referenced_by=r)
        for a, (v, r) in literal.items()
    ]
    return AnalysisResult(
        engine_version="10.0",
        depth="standard",
        binary=_binary(
            "fileio-x86_64.elf",
            "5d26ff6fd20343511943551a77439177823d6d81c85200e9118a3fedc7138864",
            16_184,
            0x401100,
        ),
        functions=functions,
        imports=imports,
        sections=_sections(0x401100, 0x2FA, 0x88),
        strings=strings,
        stats=AnalysisStats(functions_total=10, functions_decompiled=10, decompile_failures=0),
    )


def recursion_result() -> AnalysisResult:
    """``recursion-x86_64.elf``: recursive fibonacci, ackermann and quick sort."""
    functions = [
        _library("_start", 0x401080, 34),
        _function(
            "recursion",
            "swap_ints",
            0x401166,
            9,
            callers=["quick_sort"],
            callees=[],
            decompile_error="decompilation timed out after 30 s",
        ),
        _function(
            "recursion",
            "fibonacci",
            0x40116F,
            44,
            callers=["fibonacci", "main"],
            callees=["fibonacci"],
            pseudocode=FIBONACCI_C,
        ),
        _function(
            "recursion",
            "ackermann",
            0x40119B,
            58,
            callers=["ackermann", "main"],
            callees=["ackermann"],
            pseudocode=ACKERMANN_C,
        ),
        _function(
            "recursion",
            "quick_sort",
            0x4011D5,
            162,
            callers=["main", "quick_sort"],
            callees=["quick_sort", "swap_ints"],
            pseudocode=QUICK_SORT_C,
        ),
        _function(
            "recursion",
            "main",
            0x401277,
            303,
            callers=[],
            callees=[
                "ackermann",
                "fibonacci",
                "fwrite",
                "printf",
                "putc",
                "puts",
                "quick_sort",
                "strtoul",
            ],
            imports=["fwrite", "printf", "putc", "puts", "strtoul"],
            strings=[0x402008, 0x402039, 0x40204E, 0x402065],
            pseudocode=RECURSION_MAIN_C,
        ),
    ]
    imports = [
        Import(name=n, library="libc.so.6", address=0x404000 + 8 * i)
        for i, n in enumerate(["fwrite", "printf", "putc", "puts", "strtoul"])
    ]
    literal = {
        0x402008: "recursion demo: fibonacci, ackermann, quick sort",
        0x402039: "fibonacci(%u) = %lu\n",
        0x40204E: "ackermann(2, 3) = %lu\n",
        0x402065: "sorted:",
    }
    return AnalysisResult(
        engine_version="10.0",
        depth="standard",
        binary=_binary("recursion-x86_64.elf", _sha("recursion-x86_64.elf"), 16_032, 0x401080),
        functions=functions,
        imports=imports,
        sections=_sections(0x401080, 0x326, 0x71),
        strings=[
            StringRef(
                address=a, value=v, encoding="ascii", section=".rodata", referenced_by=[0x401277]
            )
            for a, v in literal.items()
        ],
        stats=AnalysisStats(functions_total=6, functions_decompiled=5, decompile_failures=1),
    )


def synthetic_result(count: int, *, fan_out: int = 4) -> AnalysisResult:
    """``count`` functions ``fn_0000``.. in a call tree (``fn_i`` calls ``fan_out`` children
    ``fn_{fan_out*i+1}``..), each with a few lines of pseudocode and one string."""
    functions = []
    strings = []
    for index in range(count):
        address = 0x401000 + 0x40 * index
        children = [
            f"fn_{c:04d}"
            for c in range(fan_out * index + 1, fan_out * index + 1 + fan_out)
            if c < count
        ]
        parent = [f"fn_{(index - 1) // fan_out:04d}"] if index and fan_out else []
        string_address = 0x500000 + 0x20 * index
        strings.append(
            StringRef(
                address=string_address,
                value=f"step {index} done",
                encoding="ascii",
                referenced_by=[address],
            )
        )
        body = "\n".join(f"    {child}(a0 + {n});" for n, child in enumerate(children))
        functions.append(
            Function(
                name=f"fn_{index:04d}",
                address=address,
                size=0x40,
                blocks=2,
                instructions=16,
                callers=parent,
                callees=[*children, "puts"],
                imports=["puts"],
                strings=[string_address],
                bytes_sha256=_sha(f"synthetic:{index}"),
                disassembly=f"0x{address:x}: push rbp",
                pseudocode=f"void fn_{index:04d}(int a0)\n{{\n{body}\n"
                f'    puts("step {index} done");\n}}',
            )
        )
    return AnalysisResult(
        engine_version="10.0",
        depth="standard",
        binary=_binary("synthetic.elf", _sha(f"synthetic:{count}"), 65_536, 0x401000),
        functions=functions,
        imports=[Import(name="puts", library="libc.so.6", address=0x600000)],
        sections=[
            Section(
                name=".text", address=0x401000, size=0x40 * count, permissions="r-x", entropy=5.0
            )
        ],
        strings=strings,
        stats=AnalysisStats(
            functions_total=count, functions_decompiled=count, decompile_failures=0
        ),
    )
