"""Access counts calendar days in Beijing time, also between 00:00 and 08:00 when the UTC day is yesterday."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from linli.access import selectors
from linli.access import services as s
from linli.access.models import Plaque
from linli.access.tests import factories as f
from linli.core import clock

pytestmark = pytest.mark.django_db

BJ = zoneinfo.ZoneInfo("Asia/Shanghai")
# 2026-12-02 16:05 UTC is 00:05 on Thursday 3 December in Beijing.
NIGHT = dt.datetime(2026, 12, 3, 0, 5, tzinfo=BJ)


def test_a_request_filed_just_after_midnight_shows_15_working_days_on_a_15_day_limit(world, cat):
    with time_machine.travel(NIGHT, tick=False):
        req = f.pending(world)
        assert clock.today() == dt.date(2026, 12, 3)
        assert selectors.countdown(req) == 15


def test_the_countdown_turns_at_local_midnight_not_at_utc_midnight(world, cat):
    with time_machine.travel(dt.datetime(2026, 12, 2, 23, 50, tzinfo=BJ), tick=False):
        req = f.pending(world)
        assert selectors.countdown(req) == 15
    with time_machine.travel(NIGHT, tick=False):  # Thursday: one working day has gone
        assert selectors.countdown(req) == 14


def test_a_deadline_of_today_is_accepted_at_night_and_yesterday_is_refused(world, cat):
    with time_machine.travel(NIGHT, tick=False):
        req = f.file(world, "开展高龄津贴年审", "请协助完成高龄津贴资格认证", days=0)
        assert req.deadline == dt.date(2026, 12, 3)
        with pytest.raises(Exception) as exc:
            f.file(world, "开展高龄津贴年审", "请协助完成高龄津贴资格认证", days=-1)
        assert exc.value.code == "access.deadline_past"


def test_a_plaque_hung_or_taken_down_at_night_carries_the_local_day(world, cat):
    s.plaque_type_save(name="社区党群服务中心", basis="组织部规范")
    with time_machine.travel(NIGHT, tick=False):
        req = f.file(world, "悬挂党群服务中心牌子", "统一悬挂", kind="plaque", plaque_name="社区党群服务中心")
        plaque = Plaque.objects.get(community=world.community, request=req)
        assert plaque.hung_at == dt.date(2026, 12, 3)
        s.plaque_remove(actor=world.user("worker"), plaque_id=plaque.pk, reason="整治挂牌")
        plaque.refresh_from_db()
        assert plaque.removed_at == dt.date(2026, 12, 3)


def test_the_catalogue_in_force_is_that_of_the_local_day(world):
    f.catalogue(world, effective=dt.date(2026, 12, 3))
    with time_machine.travel(dt.datetime(2026, 12, 2, 23, 59, tzinfo=BJ), tick=False):
        assert selectors.catalogue_current() is None
    with time_machine.travel(NIGHT, tick=False):
        assert selectors.catalogue_current() is not None


def test_an_approval_limit_running_into_an_unconfirmed_year_is_marked(world, cat, signed_in):
    mark = "时限按未确认的节假日安排计算"
    with time_machine.travel(dt.datetime(2026, 12, 20, 0, 30, tzinfo=BJ), tick=False):
        late = f.pending(world)
        assert clock.local_date(late.approval_due).year == 2027
        page = signed_in("coord").get(f"/access/requests/{late.pk}/").content.decode()
        assert "审批剩余 15 个工作日" in page and mark in page
    with time_machine.travel(dt.datetime(2026, 11, 2, 0, 30, tzinfo=BJ), tick=False):
        early = f.pending(world)
        assert mark not in signed_in("coord").get(f"/access/requests/{early.pk}/").content.decode()
