"""The SSRF guard on the wire for IPv6 forms that carry an IPv4 address (issue 9 item 2).

Runs ``netns_probe.py`` inside ``unshare -n`` (a network namespace with only loopback), with the
NAT64 forms of 169.254.169.254, 127.0.0.1 and 8.8.8.8 and Azure's 168.63.129.16 put on its
loopback interface, each with a stand-in listener. A refused endpoint must answer
``endpoint_forbidden`` with nothing reaching its listener; the allowed ones show the namespace
really routes there (so a refusal is the guard's doing, not a dead route).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.integration.llm.netns_probe import ADDRESSES, KEY

ROOT = Path(__file__).parents[3]


def _run_in_namespace() -> list[dict[str, object]]:
    assert shutil.which("unshare") and shutil.which("ip"), "needs util-linux unshare and iproute2"
    setup = ["ip link set lo up"] + [
        f"ip addr add {a}/128 dev lo nodad" if ":" in a else f"ip addr add {a}/32 dev lo"
        for a in ADDRESSES
    ]
    script = " && ".join([*setup, f"exec {sys.executable} -m tests.integration.llm.netns_probe"])
    done = subprocess.run(
        ["unshare", "-n", "sh", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def test_embedded_ipv4_forms_are_judged_by_what_they_carry() -> None:
    outcome = {(r["host"], r["allow_private"]): r for r in _run_in_namespace()}
    bearer = f"Bearer {KEY}"

    for case in [
        ("[64:ff9b::a9fe:a9fe]", True),
        ("[64:ff9b::7f00:1]", False),
        ("168.63.129.16", True),
    ]:
        assert outcome[case]["error_code"] == "endpoint_forbidden", outcome[case]
        assert outcome[case]["received"] == {}, outcome[case]  # the key reached nobody

    for case, address in [
        (("[64:ff9b::7f00:1]", True), "64:ff9b::7f00:1"),
        (("[64:ff9b::808:808]", False), "64:ff9b::808:808"),
    ]:
        received = outcome[case]["received"]
        assert isinstance(received, dict) and list(received) == [address], outcome[case]
        assert received[address] and set(received[address]) == {bearer}
