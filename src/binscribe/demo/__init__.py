"""The demo binary ``binscribe demo`` analyzes, shipped inside the package so an installed
wheel's demo works: ``crackme-x86_64.elf``, a copy of ``tests/fixtures/bin/crackme-x86_64.elf``
(built from ``tests/fixtures/src/crackme.c`` by ``tests/fixtures/build.sh``, which refreshes this
copy; a test checks both are the same bytes)."""

from importlib.resources import as_file, files
from pathlib import Path

DEMO_BINARY_NAME = "crackme-x86_64.elf"


def demo_binary() -> Path | None:
    """The packaged demo binary's path on disk, None when the package was built without it."""
    resource = files(__name__) / DEMO_BINARY_NAME
    if not resource.is_file():
        return None
    with as_file(resource) as path:  # a real file for wheels and source trees alike
        return Path(path)
