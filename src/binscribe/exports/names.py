"""Function names every supported tool accepts: C identifiers (``[A-Za-z_][A-Za-z0-9_]*``, at most
:data:`MAX_NAME_LENGTH` characters) that do not look like a name the tool generates itself.

IDA (``sub_401000``), Ghidra (``FUN_00401000``), Binary Ninja (``sub_401000``) and radare2
(``fcn.00401000``) generate names from addresses; a suggested name of that shape would be mistaken
for an unnamed function, so it is not used. The scripts replace only names of those shapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_NAME_LENGTH = 120
GENERATED_NAME = re.compile(
    r"^(sub|nullsub|j_sub|FUN|thunk_FUN|LAB|DAT|fcn|loc|unk|off|byte|word|dword|qword)_"
    r"[0-9A-Fa-f]+$"
)
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]+")


def identifier(suggestion: str, *, prefix: str = "") -> str | None:
    """``suggestion`` as an identifier with ``prefix`` before it, or ``None`` when nothing usable
    is left: other characters become ``_``, a leading digit gets ``fn_`` before it, the length
    is cut to :data:`MAX_NAME_LENGTH`.
    ``"strip newline (in-place)!"`` -> ``strip_newline_in_place``.
    """
    name = _NOT_IDENTIFIER.sub("_", suggestion.strip()).strip("_")
    if not name:
        return None
    if name[0].isdigit():
        name = f"fn_{name}"
    name = (prefix + name)[:MAX_NAME_LENGTH].rstrip("_")
    if GENERATED_NAME.match(name):
        return None
    return name


class NameBook:
    """The names given so far, to keep them unique: a second ``helper`` becomes ``helper_2``.

    Starts with the names the analysis already has (``reserved``), so a suggestion never takes
    another function's name."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken = set(reserved)
        self._given: set[str] = set()

    def claim(self, name: str, *, own: str | None = None) -> str:
        """``name``, or ``name_2``, ``name_3``... the first free one; ``own`` (the function's
        current name) counts as free for that function."""
        candidate, number = name, 2
        while candidate in self._given or (candidate in self._taken and candidate != own):
            suffix = f"_{number}"
            candidate = name[: MAX_NAME_LENGTH - len(suffix)] + suffix
            number += 1
        self._given.add(candidate)
        return candidate
