"""bench/open311_bench.py and its runner at a small size: both interfaces register without errors."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import time_machine

from linli.demands.models import Demand
from linli.tests import shell

BENCH = Path(__file__).resolve().parents[3] / "bench" / "open311_bench.py"


def _bench():
    spec = importlib.util.spec_from_file_location("open311_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_posts_through_open311_and_the_json_api(transactional_db, live_server, settings):
    settings.LINLI_PUBLIC_RATE_LIMITS = {**settings.LINLI_PUBLIC_RATE_LIMITS, "open311_submit": 100_000}
    bench = _bench()
    with time_machine.travel("2026-11-20 10:00 +0800", tick=True):
        secrets = bench.setup()
        results = {
            interface: bench.phase(interface, live_server.url, secrets["key"], secrets["token"], 1.0, 1)
            for interface in ("open311", "json")
        }
    for result in results.values():
        assert result["ok"] > 0 and result["errors"] == 0 and result["rps"] > 0
    channels = set(Demand.objects.values_list("channel", flat=True))
    assert channels == {"open311", "hotline"}
    assert Demand.objects.count() == results["open311"]["ok"] + results["json"]["ok"]


@pytest.mark.live
def test_the_runner_script_measures_both_interfaces_on_the_embedded_server(tmp_path):
    """bench/run_open311.sh, one second a phase, on its own embedded server and SQLite (no DATABASE_URL)."""
    out = shell.run(
        ["bash", str(BENCH.parent / "run_open311.sh"), "1"], PY=sys.executable, TMPDIR=str(tmp_path)
    )
    assert out.returncode == 0, out.stderr[-3000:]
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    assert sorted((r["interface"], r["clients"]) for r in rows) == [
        ("json", 1),
        ("json", 8),
        ("open311", 1),
        ("open311", 8),
    ]
    assert all(r["ok"] > 0 and r["errors"] == 0 for r in rows), rows
