"""Loader failures always say what went wrong: a loader exception without a message is named by
its type instead of leaving "the loader rejected this ELF file:" empty (issue 9 item 9)."""

from __future__ import annotations

import pytest

from binscribe.analysis import loader
from binscribe.analysis.errors import AnalysisError, exception_detail
from binscribe.analysis.triage import detect_format
from tests.helpers import CRACKME


@pytest.mark.parametrize(
    ("exc", "detail"),
    [
        (ValueError(), "ValueError"),
        (KeyError(), "KeyError"),
        (ValueError("  \n "), "ValueError"),
        (ValueError("bad\n  section header"), "bad section header"),
        (KeyError(7), "7"),
    ],
)
def test_exception_detail(exc: BaseException, detail: str) -> None:
    assert exception_detail(exc) == detail


def test_a_loader_exception_without_a_message_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    data = CRACKME.read_bytes()
    triage = detect_format(data)

    def rejecting_project(*args: object, **kwargs: object) -> None:
        raise ValueError()

    monkeypatch.setattr(loader.angr, "Project", rejecting_project)
    with pytest.raises(AnalysisError) as caught:
        loader.load_project(data, triage)
    assert caught.value.code == "corrupt_binary"
    assert caught.value.message == "the loader rejected this ELF file: ValueError"
