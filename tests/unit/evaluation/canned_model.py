"""A scripted model whose suggested names are known, for ``binscribe eval`` against the local
OpenAI-protocol server: the canned model's answers with ``suggested_name`` replaced per
function address of ``puff-x86_64-O0`` (tests/fixtures/eval), and invalid first replies for
two functions (one repaired, one still invalid after the repair turn).

:data:`EXPECTED` holds the figures these answers must score (see the arithmetic in the comments).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.llm_servers.canned import CannedModel, function_of_prompt

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
class CannedEvalModel(CannedModel):
    """``reply(request_json) -> str`` for the protocol servers (see the module docstring): the
    canned model citing only facts of each function (``stray=False``), with the suggested names
    above (``do_<name>`` for any other function) and the invalid first replies of
    :data:`INVALID`."""

    stray: bool = False

    def __post_init__(self) -> None:
        self.invalid = dict(INVALID)

    def function(self, prompt: str) -> dict[str, Any]:
        answer = super().function(prompt)
        name, address = function_of_prompt(prompt) or ("unknown", "0x0")
        answer["suggested_name"] = SUGGESTED.get(address, f"do_{name}")
        return answer
