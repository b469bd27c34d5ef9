"""bench/intake_bench.py at a small size, so it cannot rot: a second of registrations through the JSON API
of a live server, and a second against the bare Django view of bench/bare (the physical limit of the
intake benchmark) served by gunicorn, as bench/run_intake.sh does; in the PostgreSQL run, the runner itself."""

from __future__ import annotations

import json
import os
import runpy
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.db import connection

from bench import intake_bench
from linli.demands.models import Demand
from linli.tests import shell

ROOT = Path(__file__).resolve().parents[3]
TEXTS = ["小区门口路灯坏了一个月，晚上看不清路。", "楼上装修噪音从早到晚，周末也不停。"]


def test_the_bench_registers_through_the_api_and_every_answer_is_a_demand(
    transactional_db, live_server, capsys
):
    # the agent and token as bench/run_intake.sh makes them: bench/intake_setup.py prints the secret
    runpy.run_path(str(ROOT / "bench" / "intake_setup.py"))
    token = capsys.readouterr().out.strip().splitlines()[-1]
    with time_machine.travel("2026-11-20 10:00 +0800", tick=True):
        # one client: on SQLite the live server's threads share the test's one in-memory connection
        result = intake_bench.phase("linli", live_server.url, token, TEXTS, 1.0, 1)
    assert result["ok"] > 0 and result["errors"] == 0 and result["p99_ms"] is not None
    assert Demand.objects.filter(channel="hotline").count() == result["ok"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_bare_view_of_the_physical_limit_inserts_a_row_per_answer(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'bare.db'}", "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    make_table = "import django; django.setup(); from bench.bare.urls import ensure_table; ensure_table()"
    subprocess.run(
        [sys.executable, "-c", make_table],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.bare.settings"},
        check=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "bench.bare.wsgi"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not start the bare view within 10 s")
        result = intake_bench.phase("bare", f"http://127.0.0.1:{port}", None, TEXTS, 0.5, 1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert result["ok"] > 0 and result["errors"] == 0
    with sqlite3.connect(tmp_path / "bare.db") as db:
        assert db.execute("SELECT count(*) FROM bench_bare_demand").fetchone()[0] == result["ok"]


@pytest.mark.live
def test_the_runner_script_measures_all_four_targets_in_one_run(tmp_path):
    """bench/run_intake.sh, one second a phase: the peer, the bare view, Linli on gunicorn + PostgreSQL and
    Linli embedded, each without an error, and the ratios printed. It creates its own PostgreSQL database
    and installs the peer from the package registry on first use, so it runs once, in the PostgreSQL run."""
    if connection.vendor != "postgresql":
        pytest.skip("the runner is part of the PostgreSQL run")
    if not intake_bench.COMPLAINTS.exists():
        pytest.skip(f"the peer's complaints are not beside this checkout ({intake_bench.COMPLAINTS})")
    if os.geteuid() != 0:
        if os.environ.get("LINLI_REQUIRE_REDIS") == "1":
            pytest.fail("bench/run_intake.sh needs root (it creates its database as the postgres user)")
        pytest.skip("needs root")
    out = shell.run(
        ["bash", str(ROOT / "bench" / "run_intake.sh"), "1"],
        timeout=600,
        OUT=str(tmp_path / "intake.jsonl"),
        TMPDIR=str(tmp_path),
        WORKERS="2",
    )
    assert out.returncode == 0, out.stderr[-3000:]
    rows = [json.loads(line) for line in (tmp_path / "intake.jsonl").read_text().splitlines()]
    assert sorted((r["target"], r["clients"]) for r in rows) == sorted(
        [(t, c) for t in ("peer", "bare", "linli", "linli") for c in (1, 8)]
    )
    assert all(r["ok"] > 0 and r["errors"] == 0 for r in rows), rows
    assert "x peer=" in out.stdout and "share of bare=" in out.stdout
