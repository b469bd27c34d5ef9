"""What people see of a year with no official holiday schedule: a warning, and a mark on its deadlines."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import Client

from linli.core import calendar
from linli.core.services import holidays_import
from linli.demands.tests import factories as f

pytestmark = pytest.mark.django_db
BJ = zoneinfo.ZoneInfo("Asia/Shanghai")
MARK = "时限按未确认的节假日安排计算"
WARNING = "2027 年的法定节假日安排尚未确认"
SCHEDULE = "日期,类型,名称\n2027-01-01,放假,元旦\n2027-02-20,上班,春节调休\n".encode()


def page(world, name, url):
    client = Client()
    client.force_login(world.user(name))
    return client.get(url).content.decode()


def test_a_deadline_running_into_2027_is_marked_until_its_schedule_is_loaded(world):
    with time_machine.travel(dt.datetime(2026, 12, 31, 23, 50, tzinfo=BJ), tick=False):
        demand = f.dispatched(world)
        assert demand.finish_due.astimezone(BJ).year == 2027
        assert MARK in page(world, "dispatcher", f"/demands/{demand.pk}/")
    early = f.dispatched(world)  # at the suite's instant, whose deadline may or may not reach 2027
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 30, tzinfo=BJ), tick=False):
        holidays_import(data=SCHEDULE)
        calendar.reset_calendar_cache()
        assert MARK not in page(world, "dispatcher", f"/demands/{demand.pk}/")
        assert MARK not in page(world, "dispatcher", f"/demands/{early.pk}/")


def test_a_deadline_within_a_known_year_carries_no_mark(world):
    with time_machine.travel(dt.datetime(2026, 11, 2, 0, 30, tzinfo=BJ), tick=False):
        demand = f.dispatched(world)
        assert MARK not in page(world, "dispatcher", f"/demands/{demand.pk}/")


def test_dashboard_and_admin_warn_within_60_days_of_an_unconfirmed_year(world):
    with time_machine.travel(dt.datetime(2026, 10, 15, 10, 0, tzinfo=BJ), tick=False):
        assert WARNING not in page(world, "leader", "/dashboard/")
    # 00:30 on 2 November in Beijing: the local day is 60 days before 1 January (in UTC it is still 1 November).
    with time_machine.travel(dt.datetime(2026, 11, 2, 0, 30, tzinfo=BJ), tick=False):
        assert WARNING in page(world, "leader", "/dashboard/")
        admin_index = page(world, "admin", "/admin/")
        assert WARNING in admin_index and "linli holidays import" in admin_index
        holidays_import(data=SCHEDULE)
        calendar.reset_calendar_cache()
        assert WARNING not in page(world, "leader", "/dashboard/")
        assert WARNING not in page(world, "admin", "/admin/")
