"""Name-recovery scoring: a suggested function name against the real symbol, by tokens.

The rules follow the name-recovery literature (SymLM, Jin et al. CCS 2022; BLens, 2024), which
scores a predicted name by the words it shares with the true one rather than by exact match:

1. **Split** at every run of non-alphanumeric characters (``_``, ``.``, ``$``, ``@`` ...), at
   camel-case boundaries (``parseHTTPHeader`` -> ``parse HTTP Header``) and between letters and
   digits (``sha256update`` -> ``sha 256 update``).
2. **Lower-case** every token.
3. **Canonicalize** abbreviations with :data:`SYNONYMS` (``str`` = ``string``, ``len`` =
   ``length``, ``init`` = ``initialize`` ...), so an abbreviation and its long form count as the
   same word.
4. **Drop** :data:`STOP_TOKENS` (placeholder words such as ``sub``/``fcn``/``func`` and articles)
   and pure numbers shorter than 2 digits, which carry no meaning of their own. A placeholder
   name (``sub_401000``, ``fcn.00401000``, ``FUN_00401000``) has no tokens at all, and a part
   that is an address (5 or more hex digits, at least one a decimal digit) is dropped.

Concatenated words (``strlen``) are not segmented further: SymLM and BLens do not either, so a
suggestion ``string_length`` scores 0 against ``strlen``.

Each name becomes a *set* of tokens. For one function, ``matched = |predicted & true|``;
precision ``matched / |predicted|``, recall ``matched / |true|``. Over many functions the counts
are summed first (micro average, as SymLM reports) and F1 is ``2PR / (P + R)``; an empty
suggestion counts as zero predicted tokens (it lowers recall, not precision).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")

SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("string", "str"),
    ("length", "len"),
    ("initialize", "init", "initialise", "initialization", "initialisation"),
    ("allocate", "alloc", "allocation"),
    ("deallocate", "dealloc"),
    ("buffer", "buf"),
    ("number", "num"),
    ("count", "cnt"),
    ("index", "idx"),
    ("message", "msg"),
    ("pointer", "ptr"),
    ("argument", "arg"),
    ("address", "addr"),
    ("calculate", "calc", "compute"),
    ("compare", "cmp"),
    ("destination", "dst", "dest"),
    ("source", "src"),
    ("error", "err"),
    ("memory", "mem"),
    ("context", "ctx"),
    ("configuration", "config", "cfg", "conf"),
    ("value", "val"),
    ("temporary", "tmp", "temp"),
    ("decompress", "inflate", "decomp"),
    ("compress", "deflate"),
    ("header", "hdr"),
    ("position", "pos"),
    ("size", "sz"),
    ("character", "char", "chr"),
    ("dictionary", "dict"),
    ("information", "info"),
    ("directory", "dir"),
    ("process", "proc"),
    ("execute", "exec"),
    ("connection", "conn"),
    ("request", "req"),
    ("response", "resp"),
    ("maximum", "max"),
    ("minimum", "min"),
    ("manager", "mgr"),
    ("utility", "util"),
    ("generate", "gen"),
    ("read", "rd"),
    ("write", "wr"),
    ("table", "tbl", "tab"),
    ("output", "out"),
    ("symbol", "sym"),
    ("decode",),
    ("encode", "enc"),
    ("statistics", "stats", "stat"),
)
"""Words that mean the same in function names; the first of each group is the canonical form."""

SYNONYMS: dict[str, str] = {word: group[0] for group in SYNONYM_GROUPS for word in group}

STOP_TOKENS: frozenset[str] = frozenset(
    {
        "sub",
        "fcn",
        "func",
        "function",
        "fun",
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "for",
        "with",
        "do",
        "impl",
        "internal",
        "helper",
    }
)
"""Tokens dropped before scoring: placeholders and glue words that say nothing about behaviour."""


_HEX_CHUNK = re.compile(r"^(0x)?(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{5,}$")
_PLACEHOLDER = re.compile(r"^_*(sub|fcn|fun|func|loc|j_sub)[_.]?(0x)?[0-9a-f]+$", re.I)


def name_tokens(name: str) -> frozenset[str]:
    """The canonical token set of a function name (rules in the module docstring)."""
    if _PLACEHOLDER.match(name):
        return frozenset()
    tokens: set[str] = set()
    for chunk in re.split(r"[^A-Za-z0-9]+", name):
        if _HEX_CHUNK.match(chunk):
            continue
        for raw in _CAMEL.findall(chunk):
            token = SYNONYMS.get(raw.lower(), raw.lower())
            if token in STOP_TOKENS or (token.isdigit() and len(token) < 2):
                continue
            tokens.add(token)
    return frozenset(tokens)


@dataclass(frozen=True)
class TokenCounts:
    """Token counts of one or more (suggested, true) name pairs: ``matched`` tokens in both,
    ``predicted`` tokens suggested, ``actual`` tokens in the true names."""

    matched: int = 0
    predicted: int = 0
    actual: int = 0

    def __add__(self, other: TokenCounts) -> TokenCounts:
        return TokenCounts(
            self.matched + other.matched,
            self.predicted + other.predicted,
            self.actual + other.actual,
        )

    @property
    def precision(self) -> float:
        """Share of suggested tokens that are in the true name (0 when nothing was suggested)."""
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Share of the true name's tokens that were suggested (0 when it has none)."""
        return self.matched / self.actual if self.actual else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0 when both are 0)."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_name(suggested: str, actual: str) -> TokenCounts:
    """Token counts of one suggested name against the true symbol name."""
    predicted, truth = name_tokens(suggested), name_tokens(actual)
    return TokenCounts(len(predicted & truth), len(predicted), len(truth))


def total(counts: Iterable[TokenCounts]) -> TokenCounts:
    """The summed counts (micro average) of many functions."""
    result = TokenCounts()
    for item in counts:
        result = result + item
    return result
