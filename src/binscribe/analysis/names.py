"""Symbol names: undecoration, demangling and recognizing runtime/library code by name.

Heuristics by name only (no signatures): C runtime start-up and compiler support code (glibc's
``call_weak_fn`` on ARM and AArch64 among them), MinGW and MSVC CRT helpers, the Go runtime and
standard library, and Rust functions whose own path (the impl's self type for methods) is in a
crate of the standard distribution (``core``, ``std``, ``alloc``, ``gimli``, ...).
"""

from __future__ import annotations

import re

from binscribe.analysis.models import BinaryFormat, Language

_RUST_HASH = re.compile(r"::h[0-9a-f]{16}$")
_STDCALL_SUFFIX = re.compile(r"@\d+$")
_C_RUNTIME = frozenset(
    {
        "_start",
        "start",
        "_init",
        "_fini",
        "frame_dummy",
        "register_tm_clones",
        "deregister_tm_clones",
        "__do_global_dtors_aux",
        "__libc_csu_init",
        "__libc_csu_fini",
        "_dl_relocate_static_pie",
        "mainCRTStartup",
        "WinMainCRTStartup",
        "wmainCRTStartup",
        "pre_c_init",
        "pre_cpp_init",
        "atexit",
        "mark_section_writable",
        "fpreset",
        "register_frame_ctor",
        "tls_callback_0",
        "tls_callback_1",
        "mingw_onexit",
        "my_lconv_init",
        "call_weak_fn",
        "UnresolvableCallTarget",
        "UnresolvableJumpTarget",
    }
)
_C_RUNTIME_PREFIXES = ("_", "mingw_", "__mingw", "_GLOBAL__sub_I", "__x86.get_pc_thunk")
# Crates of the Rust standard distribution (the sysroot std is built from), and symbols of the
# runtime that have no path (allocator shims, panic entry points).
_RUST_SYSROOT_CRATES = frozenset(
    {
        "core",
        "std",
        "alloc",
        "proc_macro",
        "test",
        "compiler_builtins",
        "panic_unwind",
        "panic_abort",
        "unwind",
        "libc",
        "hashbrown",
        "rustc_demangle",
        "addr2line",
        "gimli",
        "object",
        "miniz_oxide",
        "adler",
        "adler2",
        "memchr",
        "std_detect",
        "cfg_if",
        "rustc_std_workspace_core",
        "rustc_std_workspace_alloc",
        "dlmalloc",
        "r_efi",
        "wasi",
        "hermit_abi",
        "getopts",
        "unicode_width",
        "__rustc",
    }
)
_RUST_RUNTIME_PREFIXES = ("__rust", "rust_", "__rdl_", "__rg_")
# inherent methods of primitive types live in core: `<u64>::from_ascii_radix`, `<str>::trim`
_RUST_PRIMITIVE_IMPL = re.compile(r"^<(?:[ui](?:8|16|32|64|128|size)|f32|f64|bool|char|str)>::")
# the first path segment: `<[u8] as core::fmt::Debug>::fmt` -> core,
# `<alloc::vec::Vec<my::T>>::push` -> alloc (library code instantiated for a user type),
# `<my::T as core::fmt::Display>::fmt` -> my
_RUST_PATH_ROOT = re.compile(r"(?:^|[<\s&(\[*,;])([A-Za-z_][A-Za-z0-9_]*)::")
_GO_USER_PREFIXES = ("main.",)


def display_name(raw: str, *, binary_format: BinaryFormat, bits: int, demangled: str | None) -> str:
    """The name a reader expects: demangled (C++/Rust hash suffix dropped) and undecorated.

    COFF on 32-bit x86 and Mach-O prefix C symbols with ``_`` (x86 stdcall adds ``@N``); one
    ``_`` is removed there, so ``_main`` reads ``main`` and ``___main`` reads ``__main``.
    """
    if demangled and demangled != raw:
        return _RUST_HASH.sub("", demangled)
    name = raw
    if binary_format == "macho" or (binary_format == "pe" and bits == 32):
        if name.startswith("_") and not name.startswith("_Z"):
            name = name[1:]
        if binary_format == "pe":
            name = _STDCALL_SUFFIX.sub("", name)
    return name


def is_library_name(name: str, *, language: Language) -> bool:
    """True for runtime or library code that is not explained by default.

    Unnamed functions (``sub_...``) are never library code: nothing tells them apart.
    """
    if name.startswith("sub_"):
        return False
    if language == "go":
        return not name.startswith(_GO_USER_PREFIXES)
    if language == "rust":
        root = _RUST_PATH_ROOT.search(name)
        if root:  # the crate of the function's own path (an impl's self type) decides, and a
            # trait impl written in the program (its trait or trait arguments name a program
            # crate: `<String as my::Check>`, `<io::Error as From<my::Error>>`) is program code
            trait = set(_RUST_PATH_ROOT.findall(_rust_impl_trait(name)))
            return root.group(1) in _RUST_SYSROOT_CRATES and trait <= _RUST_SYSROOT_CRATES
        if name.startswith(_RUST_RUNTIME_PREFIXES) or _RUST_PRIMITIVE_IMPL.match(name):
            return True
    return name in _C_RUNTIME or name.startswith(_C_RUNTIME_PREFIXES)


def _rust_impl_trait(name: str) -> str:
    """The trait of a trait impl's method name (``<Self as Trait<Args>>::method`` ->
    ``Trait<Args>``), or ``""`` when ``name`` is not one."""
    if not name.startswith("<"):
        return ""
    depth = 0
    for index, char in enumerate(name):
        if char == "<":
            depth += 1
        elif char == ">":
            depth -= 1
            if depth == 0:
                head = name[1:index]
                break
    else:
        return ""
    depth = 0
    for index, char in enumerate(head):
        depth += (char == "<") - (char == ">")
        if depth == 0 and head.startswith(" as ", index):
            return head[index + 4 :]
    return ""
