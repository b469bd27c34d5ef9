"""bench/dispatch_eval.py whole, so it cannot rot (its hotspot part had stopped running: reading dates needs
Django's settings): the classification figures of bench/README.md, speed and memory, and ten hotspots.

It reads the public message-board data beside the checkout (``LINLI_PUBLIC_MESSAGES``), never a copy."""

from __future__ import annotations

import re

import pytest


def test_the_evaluation_runs_whole_and_the_classifier_beats_the_baseline(monkeypatch, capsys):
    from bench import dispatch_eval as bench

    if not (bench.DATA / "labelled.csv").exists():
        pytest.skip("../shared/data/public-messages is not beside this checkout")
    monkeypatch.setattr("sys.argv", ["dispatch_eval.py"])
    bench.main()
    out = capsys.readouterr().out
    accuracy = {
        m["name"].strip(): float(m["acc"])
        for m in re.finditer(r"^(?P<name>baseline|ours|corpus only)\s+accuracy (?P<acc>[\d.]+)", out, re.M)
    }
    assert set(accuracy) == {"baseline", "ours", "corpus only"}, out[:2000]
    assert accuracy["ours"] >= 0.88 and accuracy["ours"] > accuracy["baseline"], accuracy
    assert "classifications/s" in out and "MB allocated when loaded" in out
    assert len(re.findall(r"^\s*\d+\. .+\[\d+ messages", out, re.M)) == 10, out[-2000:]
