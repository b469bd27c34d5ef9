"""Redis, a Celery worker and beat for real: the periodic jobs run in the worker, once per slot, and a
worker killed in the middle of a job (kill -9) leaves it to be run again to the end.

Skipped without ``redis-server`` unless ``LINLI_REQUIRE_REDIS=1`` (CI installs it and sets that).
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.conf import settings

from linli.ops.tests import live

pytestmark = pytest.mark.live

JOBS = [path for path, _ in settings.LINLI_PERIODIC_JOBS]
SLOW = "linli.ops.tests.jobs_for_tests.slow_job"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    live.require("redis-server", "LINLI_REQUIRE_REDIS")
    from django.db import connection

    if connection.vendor == "postgresql":
        return None
    return live.migrated_sqlite(tmp_path_factory.mktemp("celery-template"))


@pytest.fixture
def db_live(request, tmp_path, template, transactional_db):
    return live.live_database(request, tmp_path, template)


@pytest.fixture
def redis_url(tmp_path):
    with live.redis_server(tmp_path) as url:
        yield url


def _worker(db_live, redis_url, name: str, **env):
    return live.start(
        [
            live.PYTHON,
            "manage.py",
            "worker",
            "--concurrency",
            "2",
            "--pool",
            "prefork",
            "-n",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        db_live.env(REDIS_URL=redis_url, **env),
        db_live.data_dir / f"{name}.log",
    )


def test_beat_sends_every_periodic_job_to_the_worker_and_two_beats_do_not_run_a_slot_twice(
    db_live, redis_url
):
    every = ",".join(f"{p.rsplit('.', 1)[-1]}=1" for p in JOBS)
    worker = _worker(db_live, redis_url, "w1", LINLI_PERIODIC_EVERY=every)
    beats = [
        live.start(
            [live.PYTHON, "manage.py", "beat", "--schedule", str(db_live.data_dir / f"beat{i}")],
            db_live.env(REDIS_URL=redis_url, LINLI_PERIODIC_EVERY=every),
            db_live.data_dir / f"beat{i}.log",
        )
        for i in (1, 2)
    ]
    try:
        live.wait_for(
            lambda: (
                len(db_live.rows("SELECT DISTINCT job FROM ops_jobrun WHERE status = 'done'")) == len(JOBS)
                and min(n for (n,) in db_live.rows("SELECT COUNT(*) FROM ops_jobrun GROUP BY job")) >= 3
            ),
            90,
            "three runs of every periodic job",
        )
    finally:
        for beat in beats:
            live.stop(beat)
        live.stop(worker)
    runs = db_live.rows("SELECT job, slot, status, pid FROM ops_jobrun")
    assert {job for job, *_ in runs} == set(JOBS)
    failed = [(job, status) for job, _slot, status, _pid in runs if status != "done"]
    assert not failed, (failed, db_live.rows("SELECT job, result FROM ops_jobrun WHERE status = 'failed'"))
    assert os.getpid() not in {pid for *_, pid in runs}  # they ran in the worker, not here
    log = (db_live.data_dir / "w1.log").read_text()
    # Both beats sent each job every second; the second message of a slot found the slot taken.
    assert log.count("\"outcome\": 'skipped'") + log.count("'outcome': 'skipped'") >= len(JOBS), log[-3000:]
    assert len(runs) == len({(job, slot) for job, slot, *_ in runs})


def test_a_worker_killed_in_the_middle_of_a_job_leaves_it_to_be_run_again_once(db_live, redis_url):
    from celery import Celery

    worker = _worker(db_live, redis_url, "w2", LINLI_TEST_SLOW_JOB_SECONDS="3")
    log = db_live.data_dir / "slow-job.log"
    sent_at = time.time()
    client = Celery(broker=redis_url)
    try:
        client.send_task(
            "linli.run_job",
            args=[SLOW, 3600.0],
            headers={"linli_sent_at": sent_at, "linli_request_id": "req-kill-1"},
        )
        first = live.wait_for(lambda: log.exists() and log.read_text().split(), 120, "the job to start")
        victim = int(first[1])
        os.kill(victim, signal.SIGKILL)  # the pool process running the job, in the middle of its sleep
        live.wait_for(lambda: "done" in log.read_text(), 60, "the job to be run again to the end")
        live.wait_for(
            lambda: db_live.rows("SELECT status FROM ops_jobrun WHERE job = ?", (SLOW,)) == [("done",)],
            20,
            "the ledger to record it",
        )
        # A second message for the same slot (a duplicate beat) finds it done and does not run it.
        client.send_task("linli.run_job", args=[SLOW, 3600.0], headers={"linli_sent_at": sent_at})
        live.wait_for(lambda: "skipped" in (db_live.data_dir / "w2.log").read_text(), 30, "the duplicate")
    finally:
        client.close()
        live.stop(worker)
    lines = log.read_text().split("\n")
    starts = [line for line in lines if line.startswith("start")]
    assert starts[0] == f"start {victim}" and len(starts) == 2 and f"start {victim}" not in starts[1:]
    assert [line for line in lines if line.startswith("done")] == [starts[1].replace("start", "done")]
    assert (db_live.data_dir / "slow-job.result").read_text() == "swept"
    [(slot, attempts, request_id)] = db_live.rows(
        "SELECT slot, attempts, request_id FROM ops_jobrun WHERE job = ?", (SLOW,)
    )
    assert slot == int(sent_at // 3600) and attempts == 2
    assert request_id == "req-kill-1"  # the id of whoever queued it, carried into the job


def test_a_whole_worker_killed_mid_job_gives_the_job_to_the_next_worker(db_live, redis_url):
    """The worker's main process and its pool die together (the machine's OOM killer, a kill -9 of the
    group): the message stays unacknowledged in Redis and comes back after the visibility timeout to the
    worker started next, which takes the slot over from the dead holder."""
    from celery import Celery

    env = {"LINLI_TEST_SLOW_JOB_SECONDS": "2", "LINLI_VISIBILITY_TIMEOUT": "3"}
    first = _worker(db_live, redis_url, "w3", **env)
    log = db_live.data_dir / "slow-job.log"
    client = Celery(broker=redis_url, broker_transport_options={"visibility_timeout": 3})
    second = None
    try:
        client.send_task("linli.run_job", args=[SLOW, 3600.0], headers={"linli_sent_at": time.time()})
        live.wait_for(lambda: log.exists() and "start" in log.read_text(), 120, "the job to start")
        live.stop(first, signal.SIGKILL)
        assert "done" not in log.read_text()
        second = _worker(db_live, redis_url, "w4", **env)
        live.wait_for(lambda: "done" in log.read_text(), 90, "the next worker to run the job again")
        live.wait_for(
            lambda: (
                db_live.rows("SELECT status, attempts FROM ops_jobrun WHERE job = ?", (SLOW,))
                == [("done", 2)]
            ),
            20,
            "the ledger to record the second attempt",
        )
    finally:
        client.close()
        live.stop(first, signal.SIGKILL)
        if second is not None:
            live.stop(second)
    assert [line.split()[0] for line in log.read_text().splitlines()] == ["start", "start", "done"]
