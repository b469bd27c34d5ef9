"""bench/access_match.py at a small size, so it cannot rot: the script starts from a shell, and the gate
routes the hand-labelled requests as bench/README.md reports (45 of 50, and never admits or refuses
wrongly: the misses go to the coordination office)."""

from __future__ import annotations

import sys

from linli.tests import shell


def test_the_script_starts_from_a_shell_and_prints_its_table():
    out = shell.run([sys.executable, str(shell.ROOT / "bench" / "access_match.py"), "--repeat", "1"])
    assert out.returncode == 0, out.stderr[-2000:]
    assert "routed correctly: " in out.stdout and "requests/s" in out.stdout


def test_the_labelled_requests_are_routed_as_reported_and_no_miss_admits_or_refuses():
    from bench import access_match as bench

    result = bench.evaluate(repeat=1)
    assert result["items"] == 110 and result["total"] == 50
    assert result["right"] >= 45, result["confusion"]
    wrong = {pair: n for pair, n in result["confusion"].items() if pair[0] != pair[1]}
    # a request the matcher is unsure of goes to the coordination office, never the other way
    assert all(routed == "approval" for (_, routed) in wrong), wrong
