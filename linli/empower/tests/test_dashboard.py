"""The empowerment dashboard adds up programs and the workshop beside the volunteers, per community and group."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Q

from linli.empower.dashboard import dashboard
from linli.org.services import community_group_set, jurisdiction_create, staff_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD
from linli.programs.demo import programs_demo_load
from linli.workshop.demo import FIRMS, workshop_demo_load
from linli.workshop.selectors import monthly_income

pytestmark = pytest.mark.django_db
END = dt.datetime(2026, 12, 2, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def figures(world):
    accounts = {
        name: staff_create(
            username=name, password=PASSWORD, role=Role.PARTNER_FIRM, jurisdiction=world.community
        )
        for name, *_rest in FIRMS
    }
    workshop_demo_load(
        organiser=world.user("worker"), community_id=world.community.pk, accounts=accounts, end=END
    )
    programs_demo_load(organiser=world.user("worker"), community_id=world.community.pk, end=END)
    jinxi = jurisdiction_create(code="350902101009", name="金溪社区", level="community", parent=world.street)
    community_group_set(name="金榕片区联合党委", community_ids=[world.community.pk, jinxi.pk])
    return world


def test_income_and_programs_per_community_and_group_with_the_period_before(figures):
    w = figures
    data = dashboard(user=w.user("leader"), date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30))
    [row] = [r for r in data["communities"] if r["name"] == w.community.name]
    expected = sum(p["fen"] for p in monthly_income(deliveries=Q(), month="2026-11")["participants"])
    assert row["now"]["income"] == round(expected / 100, 2) and expected > 0
    assert row["now"]["earners"] == 20
    assert row["now"]["per_earner"] >= 2000  # yuan a month, the brief's figure
    assert row["before"]["income"] > 0  # October, the period before
    [group] = data["groups"]
    assert group["name"] == "金榕片区联合党委" and group["now"]["income"] == row["now"]["income"]
    assert group["now"]["per_earner"] == round(group["now"]["income"] / group["now"]["earners"], 2)
    summer = dashboard(user=w.user("leader"), date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 8, 31))
    [camp] = [r for r in summer["communities"] if r["name"] == w.community.name]
    assert camp["now"]["programs"] >= 1 and camp["now"]["attendances"] > 0


def test_another_district_sees_none_of_it(figures):
    w = figures
    other = jurisdiction_create(code="350903", name="荔城区", level="district", parent=w.city)
    outsider = staff_create(username="o_leader", password=PASSWORD, role=Role.LEADER, jurisdiction=other)
    data = dashboard(user=outsider, date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30))
    assert data["communities"] == [] and data["groups"] == []


def test_the_instructor_sees_the_meetings_and_programs_of_their_posting(figures):
    from linli.empower import report
    from linli.empower import services as es
    from linli.visits.services.meetings import meeting_create

    w = figures
    instructor = staff_create(
        username="zd", password=PASSWORD, role=Role.INSTRUCTOR, jurisdiction=w.community
    )
    posting = es.posting_create(
        actor=w.user("coord"),
        kind="first_secretary",
        cadre_name="郑砚秋",
        home_unit_id=w.cg.pk,
        community_id=w.community.pk,
        starts_on=dt.date(2026, 3, 1),
        tasks=["校园周边治理"],
        user_id=instructor.pk,
    )
    held = dt.datetime(2026, 9, 15, 19, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    meeting_create(actor=w.user("coord"), topic="校门口交通协调会", held_at=held, community_id=w.community.pk)
    meeting_create(
        actor=w.user("coord"), topic="别的社区的会", held_at=held, community_id=w.other_community.pk
    )
    with time_machine.travel("2026-11-20T10:00:00+08:00", tick=False):  # the posting's record as of that day
        record = report.posting_record(user=instructor, posting=posting)
    assert [m.topic for m in record["meetings"]] == ["校门口交通协调会"]
    counts = {e["label"]: e["count"] for e in record["extra"]}
    # the summer camp held its sessions during the posting, its 40 seats all taken
    assert (counts["公益活动"], counts["活动报名人数"]) == (1, 40) and counts["活动参加人次"] > 0
