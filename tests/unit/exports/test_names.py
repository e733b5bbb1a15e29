"""Suggested names become identifiers every tool accepts, unique within one export."""

from __future__ import annotations

import pytest

from binscribe.exports.names import MAX_NAME_LENGTH, NameBook, identifier


@pytest.mark.parametrize(
    ("suggestion", "prefix", "expected"),
    [
        ("verify_password", "", "verify_password"),
        ("strip newline (in-place)!", "", "strip_newline_in_place"),
        ("parse::Header", "bs_", "bs_parse_Header"),
        ("3des_decrypt", "", "fn_3des_decrypt"),
        ("  ", "", None),
        ("!!!", "bs_", None),
        ("sub_401000", "", None),  # looks like a name IDA generated
        ("FUN_00101188", "", None),
        ("fcn_00001188", "", None),
        ("x" * 300, "", "x" * MAX_NAME_LENGTH),
        ("é_read", "", "read"),
    ],
)
def test_identifier(suggestion: str, prefix: str, expected: str | None) -> None:
    assert identifier(suggestion, prefix=prefix) == expected


def test_name_book_keeps_names_unique_and_off_other_functions() -> None:
    book = NameBook(["main", "check_password"])
    assert book.claim("helper") == "helper"
    assert book.claim("helper") == "helper_2"
    assert book.claim("helper") == "helper_3"
    assert book.claim("main") == "main_2"  # another function is called main
    assert book.claim("check_password", own="check_password") == "check_password"
