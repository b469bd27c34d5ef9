"""bench/intake_bench.py at a small size, so it cannot rot: a second of registrations through the JSON API
of a live server, and a second against the bare Django view of bench/bare (the physical limit of the
intake benchmark) served by gunicorn, as bench/run_intake.sh does."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import httpx
import time_machine

from bench import intake_bench
from linli.demands.models import Demand
from linli.ops.tests import live
from linli.org.services import api_token_create, staff_create

TEXTS = ["小区门口路灯坏了一个月，晚上看不清路。", "楼上装修噪音从早到晚，周末也不停。"]


def test_the_bench_registers_through_the_api_and_every_answer_is_a_demand(transactional_db, live_server):
    agent = staff_create(username="bench_agent", password="bench-only-2026", role="hotline_agent")
    _, token = api_token_create(user=agent, name="intake benchmark")
    with time_machine.travel("2026-11-20 10:00 +0800", tick=True):
        # one client: on SQLite the live server's threads share the test's one in-memory connection
        result = intake_bench.phase("linli", live_server.url, token, TEXTS, 1.0, 1)
    assert result["ok"] > 0 and result["errors"] == 0 and result["p99_ms"] is not None
    assert Demand.objects.filter(channel="hotline").count() == result["ok"]


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 400  # a GET has no JSON body: the view refuses it
    except httpx.HTTPError:
        return False


def test_the_bare_view_of_the_physical_limit_inserts_a_row_per_answer(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'bare.db'}", "PYTHONPATH": str(live.ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    make_table = "import django; django.setup(); from bench.bare.urls import ensure_table; ensure_table()"
    subprocess.run(
        [sys.executable, "-c", make_table],
        cwd=live.ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.bare.settings"},
        check=True,
    )
    port = live.free_port()
    url = f"http://127.0.0.1:{port}"
    server = live.start(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "bench.bare.wsgi"],
        env,
        tmp_path / "gunicorn.log",
    )
    try:
        live.wait_for(lambda: _answers(url + "/bare/demands"), 20, "the bare view under gunicorn")
        result = intake_bench.phase("bare", url, None, TEXTS, 0.5, 1)
    finally:
        live.stop(server)
    assert result["ok"] > 0 and result["errors"] == 0
    with sqlite3.connect(tmp_path / "bare.db") as db:
        assert db.execute("SELECT count(*) FROM bench_bare_demand").fetchone()[0] == result["ok"]
