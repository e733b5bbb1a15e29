"""A scripted model whose suggested names are known, for ``binscribe eval`` against the local
OpenAI-protocol server: :class:`FakeModel`'s answers with ``suggested_name`` replaced per
function address of ``puff-x86_64-O0`` (tests/fixtures/eval), and invalid first replies for
two functions (one repaired, one still invalid after the repair turn).

:data:`EXPECTED` holds the figures these answers must score (see the arithmetic in the comments).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tests.unit.explain.fake_model import FakeModel, first_user_text, function_of_prompt

BINARY = "puff-x86_64-O0"
SUGGESTED = {  # address -> suggested name   (true name: matched/predicted/actual tokens)
    "0x4011d9": "get_bits",  # bits: {get, bits} vs {bits}: 1/2/1
    "0x4012be": "copy_stored_block",  # stored: 1/3/1
    "0x40149c": "decode_symbol",  # decode: 1/2/1
    "0x401602": "build_huffman_table",  # construct: 0/3/1
    "0x40179b": "inflate_codes",  # codes: {decompress, codes}: 1/2/1
    "0x4019ce": "",  # fixed: empty suggestion: 0/0/1
    "0x401b2f": "dynamic_huffman",  # dynamic: 1/2/1
    "0x401eb1": "inflate",  # puff: {decompress} vs {puff}: 0/1/1
    "0x4020a6": "load_file",  # load: 1/2/1 (after one repair)
    "0x40201e": "divide_by_3",  # bythirds: {divide, by} vs {bythirds}: 0/2/1
}
INVALID = {"sub_4020a6": 1, "main": 2}  # load is repaired; main stays invalid (invalid_output)

# 11 functions asked (10 above + main); main fails with invalid_output, 10 explained, all scored.
# matched 6, predicted 19, actual 10: P = 6/19, R = 6/10; JSON valid 10/11, repaired 2/11.
EXPECTED = {
    "functions": 11,
    "explained": 10,
    "failed": 1,
    "scored": 10,
    "precision": 6 / 19,
    "recall": 6 / 10,
    "f1": 2 * (6 / 19) * (6 / 10) / (6 / 19 + 6 / 10),
    "json_valid": 10 / 11,
    "repair_rate": 2 / 11,
    "coverage": 1.0,
    "requests": 11 + 1 + 1,  # one repair turn each for load and main
}


@dataclass
class CannedEvalModel(FakeModel):
    """``reply(request_json) -> str`` for the protocol servers (see the module docstring)."""

    def __post_init__(self) -> None:
        self.invalid = dict(INVALID)

    def __call__(self, request: dict[str, Any]) -> str:
        text = super().__call__(request)
        function = function_of_prompt(first_user_text(request))
        try:
            answer = json.loads(text)
        except json.JSONDecodeError:
            return text
        if function and "suggested_name" in answer and answer.get("summary"):
            answer["suggested_name"] = SUGGESTED.get(function[1], answer["suggested_name"])
            return json.dumps(answer)
        return text
