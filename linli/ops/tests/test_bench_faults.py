"""A few seconds of bench/faults.py: a gunicorn worker killed and PostgreSQL restarted while two clients
register; nothing acknowledged lost, nothing doubled, every demand with its event, no 5xx but 503.

It starts its own PostgreSQL cluster (needs root and Debian's PostgreSQL binaries), so it runs once, in
the PostgreSQL run; skipped elsewhere when those are missing unless ``LINLI_REQUIRE_REDIS=1``.
"""

from __future__ import annotations

import importlib.util
import os

import pytest
from django.db import connection

from linli.ops.tests import live

BENCH = live.ROOT / "bench" / "faults.py"
pytestmark = pytest.mark.live


def _bench():
    spec = importlib.util.spec_from_file_location("faults_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_a_short_fault_run_loses_and_doubles_nothing():
    if connection.vendor != "postgresql":
        pytest.skip("the fault run is part of the PostgreSQL run")
    bench = _bench()
    if os.geteuid() != 0 or not (bench.PG_BIN / "initdb").exists():
        if os.environ.get("LINLI_REQUIRE_REDIS") == "1":
            pytest.fail("bench/faults.py needs root and PostgreSQL's initdb here")
        pytest.skip("needs root and PostgreSQL's initdb")
    result = bench.main(
        [
            "--clients",
            "2",
            "--seconds",
            "8",
            "--kill-at",
            "0.2",
            "--restart-at",
            "0.45",
            "--schema-from",
            live.postgres_url(),
        ]  # the test database's tables: no migrations to wait for
    )
    assert result["acknowledged"] > 0
    assert result["present"] == result["acknowledged"] and result["lost"] == 0
    assert result["duplicated"] == 0 and result["no_event"] == 0
    assert result["other_5xx"] == 0 and result["status_503_outside_outage"] == 0
    assert [e["event"].split(" ")[0] for e in result["events"]] == ["killed", "PostgreSQL"]
