import time

import pytest

from linli.core.scheduler import Scheduler

calls: list[int] = []


def job():
    calls.append(1)


def broken():
    raise RuntimeError("boom")


@pytest.mark.django_db(transaction=True)
def test_embedded_scheduler_runs_jobs_and_survives_a_failing_one():
    calls.clear()
    sched = Scheduler(jobs=[(f"{__name__}.broken", 0), (f"{__name__}.job", 0)], tick=0.05)
    sched.start()
    deadline = time.monotonic() + 5
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    sched.stop()
    sched.join(timeout=2)
    assert len(calls) >= 3
    assert sched.runs[f"{__name__}.broken"] == 0


def test_the_default_jobs_are_importable():
    from django.conf import settings
    from django.utils.module_loading import import_string

    assert len(settings.LINLI_PERIODIC_JOBS) >= 3
    for path, every in settings.LINLI_PERIODIC_JOBS:
        if path.startswith("linli.analytics"):
            pytest.importorskip("linli.analytics.services")
        assert callable(import_string(path)) and every > 0
