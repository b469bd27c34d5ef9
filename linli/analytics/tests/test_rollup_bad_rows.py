"""One demand registered on an impossible day (0001-01-01, imported before dates were checked) must not stop
the rollup: the other days are counted, the bad day is logged and recorded as a problem, the next run goes on."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db.models import Sum

from linli.analytics.models import DemandDayStat
from linli.analytics.services import analytics_rollup_refresh
from linli.core.models import JobProblem
from linli.demands import services as s
from linli.demands.models import Demand

pytestmark = pytest.mark.django_db
CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=CST)


def register(world, text):
    return s.demand_register(
        channel="hotline",
        actor=world.user("agent"),
        demand_type="help",
        text=text,
        community_id=world.community.pk,
        phone="13900001111",
    )


@pytest.mark.parametrize(
    "bad_moment", [dt.datetime(1, 1, 1, 9, 0, tzinfo=CST), dt.datetime(9999, 12, 31, 9, tzinfo=CST)]
)
def test_the_rollup_skips_and_records_a_day_out_of_range_and_counts_the_rest(world, caplog, bad_moment):
    with time_machine.travel(NOW, tick=False):
        good = register(world, "楼道灯坏了")
        bad = register(world, "旧台账导入的一条")
        Demand.objects.filter(pk=bad.pk).update(registered_at=bad_moment)  # as an unchecked import left it

        first = analytics_rollup_refresh()
        assert first["events"] >= 2
        assert DemandDayStat.objects.aggregate(n=Sum("demands"))["n"] == 1
        assert set(DemandDayStat.objects.values_list("day", flat=True)) == {dt.date(2026, 12, 2)}
        problem = JobProblem.objects.get()
        assert problem.job == "analytics_rollup" and problem.code == "rollup.date_out_of_range"
        assert bad_moment.date().isoformat() in problem.item
        assert any("analytics_rollup skipped" in r.getMessage() for r in caplog.records)

        # The job goes on: a later change is counted, and a full rebuild passes too.
        register(world, "又一条")
        assert analytics_rollup_refresh()["events"] >= 1
        assert DemandDayStat.objects.aggregate(n=Sum("demands"))["n"] == 2
        analytics_rollup_refresh(full=True)
        assert DemandDayStat.objects.aggregate(n=Sum("demands"))["n"] == 2
        assert JobProblem.objects.get().occurrences >= 2
        assert good.pk


def test_a_day_that_fails_to_compute_is_skipped_alone(world, monkeypatch):
    from linli.analytics.services import rows

    real = rows.recompute_day_rows

    def flaky(days):
        if dt.date(2026, 12, 1) in days:
            raise OverflowError("date value out of range")
        return real(days)

    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        register(world, "昨天的")
    with time_machine.travel(NOW, tick=False):
        register(world, "今天的")
        monkeypatch.setattr(rows, "recompute_day_rows", flaky)
        analytics_rollup_refresh()
    assert set(DemandDayStat.objects.values_list("day", flat=True)) == {dt.date(2026, 12, 2)}
    assert JobProblem.objects.get().code == "rollup.day_failed"
