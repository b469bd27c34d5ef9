"""Housekeeping: the job ledger and the stored Idempotency-Key answers are trimmed, nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from linli.core import clock
from linli.core.models import IdempotencyRecord
from linli.demands.models import Demand
from linli.demands.tests.test_api import Api, expect, fast_passwords  # noqa: F401  (autouse)
from linli.ops.jobs import job_run
from linli.ops.models import JobRun
from linli.ops.services import housekeeping

pytestmark = pytest.mark.django_db

BODY = {"demand_type": "complaint", "text": "楼道堆放杂物，堵住消防通道", "phone": "13812345678"}


def _run(job: str, slot: int, status: str, days_ago: float) -> JobRun:
    return JobRun.objects.create(
        job=job,
        slot=slot,
        status=status,
        host="h",
        pid=1,
        started_at=clock.now() - dt.timedelta(days=days_ago),
    )


def _age(days: float) -> None:
    IdempotencyRecord.objects.update(created_at=clock.now() - dt.timedelta(days=days))


def test_finished_runs_older_than_two_weeks_go_and_a_running_one_stays():
    old_done = _run("linli.demands.services.sla_sweep", 1, JobRun.Status.DONE, 20)
    old_failed = _run("linli.demands.services.sla_sweep", 2, JobRun.Status.FAILED, 15)
    old_running = _run("linli.demands.services.sla_sweep", 3, JobRun.Status.RUNNING, 30)
    recent = _run("linli.demands.services.sla_sweep", 4, JobRun.Status.DONE, 13)
    assert housekeeping() == {"job_runs": 2, "idempotency_records": 0}
    left = set(JobRun.objects.values_list("pk", flat=True))
    assert left == {old_running.pk, recent.pk} and not left & {old_done.pk, old_failed.pk}
    assert housekeeping() == {"job_runs": 0, "idempotency_records": 0}  # a second run changes nothing


def test_a_retry_within_a_week_replays_and_one_after_it_is_a_new_request(world):
    agent = Api(world.user("agent"))
    first = expect(agent.post("/demands", BODY, **{"Idempotency-Key": "call-1"}), 201)
    _age(6)
    housekeeping()
    replay = agent.post("/demands", BODY, **{"Idempotency-Key": "call-1"})
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert replay.json()["code"] == first["code"] and Demand.objects.count() == 1
    _age(8)
    assert housekeeping()["idempotency_records"] == 1
    later = expect(agent.post("/demands", BODY, **{"Idempotency-Key": "call-1"}), 201)
    assert later["code"] != first["code"] and Demand.objects.count() == 2


def test_the_retention_follows_the_settings(settings):
    settings.LINLI_JOB_LEDGER_DAYS, settings.LINLI_IDEMPOTENCY_DAYS = 3, 1
    _run("linli.ops.services.housekeeping", 1, JobRun.Status.DONE, 4)
    IdempotencyRecord.objects.create(scope="s", key="k", request_hash="h", status_code=201, response={})
    _age(2)
    assert housekeeping() == {"job_runs": 1, "idempotency_records": 1}


def test_it_is_a_periodic_job_and_runs_under_the_ledger():
    assert ("linli.ops.services.housekeeping", 3600) in settings.LINLI_PERIODIC_JOBS
    _run("linli.demands.services.sla_sweep", 1, JobRun.Status.DONE, 20)
    outcome = job_run("linli.ops.services.housekeeping", 3600, 1_800_000_000)
    assert outcome["outcome"] == "done"
    assert list(JobRun.objects.values_list("job", "status")) == [("linli.ops.services.housekeeping", "done")]


def test_a_backlog_larger_than_a_batch_goes_in_several_batches():
    from linli.ops.services import job_ledger_purge

    for slot in range(5):
        _run("linli.demands.services.notify_run", slot, JobRun.Status.DONE, 30)
    assert job_ledger_purge(before=clock.now(), batch=2) == 5
    assert not JobRun.objects.exists()
