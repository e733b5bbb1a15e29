"""Name-token scoring on known answers: tokenization, synonyms, stop tokens, P/R/F1."""

from __future__ import annotations

import pytest

from binscribe.evaluation.names import SYNONYMS, TokenCounts, name_tokens, score_name, total


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("parseHTTPHeader", {"parse", "http", "header"}),
        ("sha256update", {"sha", "256", "update"}),
        ("str_len", {"string", "length"}),
        ("__do_global_dtors_aux", {"global", "dtors", "aux"}),
        ("initBuf", {"initialize", "buffer"}),
        ("MurmurHash3_x86_32", {"murmur", "hash", "x", "86", "32"}),
        ("read_file2", {"read", "file"}),
        ("sub_401000", set()),
        ("fcn.00401000", set()),
        ("FUN_00401000", set()),
        ("do_sub_4012be", set()),
        ("dead_beef", {"dead", "beef"}),
        ("strlen", {"strlen"}),
        ("", set()),
    ],
)
def test_name_tokens(name: str, tokens: set[str]) -> None:
    assert name_tokens(name) == tokens


def test_synonyms_map_to_the_first_word_of_their_group() -> None:
    assert (SYNONYMS["str"], SYNONYMS["len"], SYNONYMS["init"], SYNONYMS["inflate"]) == (
        "string",
        "length",
        "initialize",
        "decompress",
    )
    assert score_name("initialise_string", "init_str") == TokenCounts(2, 2, 2)


def test_precision_recall_f1_of_one_name() -> None:
    counts = score_name("copy_stored_block", "stored")
    assert counts == TokenCounts(matched=1, predicted=3, actual=1)
    assert (counts.precision, counts.recall) == (1 / 3, 1.0)
    assert counts.f1 == pytest.approx(0.5)


def test_empty_suggestion_lowers_recall_only() -> None:
    counts = score_name("", "fixed")
    assert counts == TokenCounts(0, 0, 1)
    assert (counts.precision, counts.recall, counts.f1) == (0.0, 0.0, 0.0)


def test_micro_average_sums_counts_before_dividing() -> None:
    summed = total([score_name("get_bits", "bits"), score_name("build_table", "construct")])
    assert summed == TokenCounts(1, 4, 2)
    assert (summed.precision, summed.recall) == (0.25, 0.5)
    assert summed.f1 == pytest.approx(2 * 0.25 * 0.5 / 0.75)
