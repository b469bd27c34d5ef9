"""The pages: the worker plans and swaps, the volunteer checks in on the phone page, strangers get nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from linli.empower import services as s
from linli.empower.models import Assignment, Shift
from linli.empower.tests import factories as f
from linli.org.services import staff_create, unit_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def setup(world):
    with time_machine.travel("2026-09-10T09:00:00+08:00", tick=False):
        team, term = f.team(world)
        own = f.volunteer(world, "林晓燕", account="v_lin")
        s.team_member_add(
            actor=world.user("worker"), team_id=team.pk, volunteer_id=own.pk, partner="volunteers"
        )
    return team, term, own


def test_worker_plans_the_term_on_the_team_page_and_sees_the_week(world, setup):
    team, term, _own = setup
    worker = client_for(world.user("worker"))
    with time_machine.travel("2026-09-10T09:00:00+08:00", tick=False):
        r = worker.post(f"/empower/terms/{term.pk}/plan/", follow=True)
        assert r.status_code == 200
        assert "排班完成" in r.content.decode()
        page = worker.get(f"/empower/teams/{team.pk}/?term={term.pk}&week=2026-09-21").content.decode()
    assert Shift.objects.filter(term=term).count() > 0
    assert "2026-09-21" in page and "金榕小学东门" in page and "未排满的班次" not in page


def test_unfilled_shift_shows_why(world, setup):
    team, term, _own = setup
    worker = world.user("worker")
    with time_machine.travel("2026-09-10T09:00:00+08:00", tick=False):
        s.shift_template_add(
            actor=worker,
            team_id=team.pk,
            gate="金榕小学西门",
            start=dt.time(7, 0),
            end=dt.time(7, 30),
            size=3,
            minimums={"police": 3},
        )
        worker_client = client_for(worker)
        worker_client.post(f"/empower/terms/{term.pk}/plan/")
        page = worker_client.get(f"/empower/teams/{team.pk}/?term={term.pk}").content.decode()
    assert "未排满的班次" in page and "公安人员最少3人：队里该方成员不足" in page


def test_volunteer_checks_in_once_on_the_phone_page(world, setup):
    _team, term, own = setup
    with time_machine.travel("2026-09-10T09:00:00+08:00", tick=False):
        shift = Shift.objects.create(
            term=term, template=term.team.templates.order_by("start").first(), date=dt.date(2026, 9, 21)
        )
        mine = s.assignment_add(actor=world.user("worker"), shift_id=shift.pk, volunteer_id=own.pk)
    phone = client_for(own.user)
    with time_machine.travel(dt.datetime(2026, 9, 21, 7, 10, tzinfo=TZ), tick=False):
        page = phone.get("/empower/me/").content.decode()
        assert "签到" in page and "金榕小学东门" in page
        first = phone.post(f"/empower/me/{mine.pk}/check-in/", follow=True).content.decode()
        again = phone.post(f"/empower/me/{mine.pk}/check-in/", follow=True).content.decode()
    assert "签到成功" in first and "已经签到过了" in again
    assert Assignment.objects.get(pk=mine.pk).status == "checked_in"


def test_strangers_get_nothing(world, setup):
    team, term, own = setup
    committee = unit_create(
        code="JX", name="金溪社区居委会", kind="community_committee", jurisdiction=world.other_community
    )
    other_worker = staff_create(username="jx", password=PASSWORD, role=Role.COMMUNITY_WORKER, unit=committee)
    stranger = staff_create(
        username="v_x", password=PASSWORD, role=Role.VOLUNTEER, jurisdiction=world.community
    )
    c = client_for(other_worker)
    assert c.get(f"/empower/teams/{team.pk}/").status_code == 404
    assert (
        c.post(f"/api/v1/empower/terms/{term.pk}/plan", "{}", content_type="application/json").status_code
        == 404
    )
    assert "林晓燕" not in c.get("/empower/volunteers/").content.decode()
    v = client_for(stranger)
    assert v.get("/empower/me/").status_code == 403
    assert v.get("/api/v1/empower/volunteers").json() == []
    assert not Shift.objects.filter(term=term).exists()


def test_api_plan_and_my_page(world, setup):
    _team, term, own = setup
    worker = client_for(world.user("worker"))
    with time_machine.travel("2026-09-10T09:00:00+08:00", tick=False):
        s.shifts_generate(actor=world.user("worker"), term_id=term.pk)
        r = worker.post(f"/api/v1/empower/terms/{term.pk}/plan", "{}", content_type="application/json")
        assert r.status_code == 200 and r.json()["placed"] > 0 and r.json()["unfilled_shifts"] == 0
        vols = worker.get("/api/v1/empower/volunteers?q=林晓燕").json()
        assert vols[0]["phone"].isdigit()  # the community's worker sees the full number
        me = client_for(own.user).get("/api/v1/empower/me").json()
        bad = worker.post(
            "/api/v1/empower/volunteers",
            json.dumps(
                {"name": "某", "phone": "abc", "community_id": world.community.pk, "consent_on": "2026-09-01"}
            ),
            content_type="application/json",
        )
    assert me["name"] == "林晓燕" and me["hours"] == 0
    leader = client_for(world.user("leader")).get("/api/v1/empower/volunteers?q=林晓燕").json()
    assert "*" in leader[0]["phone"]  # read-only leaders see it masked
    assert bad.status_code == 422 and bad.json()["code"] == "empower.invalid"


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_do_not_grow_queries_with_rows(world, setup):
    team, term, _own = setup
    worker = world.user("worker")
    c = client_for(worker)
    with time_machine.travel("2026-09-10T09:00:00+08:00", tick=False):
        s.shifts_generate(actor=worker, term_id=term.pk)
        s.roster_plan(actor=worker, term_id=term.pk)
        urls = ["/empower/volunteers/", f"/empower/teams/{team.pk}/?term={term.pk}&week=2026-09-21"]
        before = [_queries(c, u) for u in urls]
        for i in range(10):
            v = f.volunteer(world, f"新队员{i}")
            s.team_member_add(actor=worker, team_id=team.pk, volunteer_id=v.pk, partner="volunteers")
        s.roster_plan(actor=worker, term_id=term.pk)
        after = [_queries(c, u) for u in urls]
    assert after == before


def test_dashboard_counts_served_hours_against_the_period_before(world, setup):
    _team, term, _own = setup
    worker = world.user("worker")
    with time_machine.travel("2026-09-10T09:00:00+08:00", tick=False):
        s.shifts_generate(actor=worker, term_id=term.pk)
        s.roster_plan(actor=worker, term_id=term.pk)
    rows = Assignment.objects.filter(shift__date=dt.date(2026, 9, 21)).select_related("shift__template")
    with time_machine.travel(dt.datetime(2026, 9, 21, 18, 0, tzinfo=TZ), tick=False):
        for a in rows:
            s.assignment_check_in(actor=worker, assignment_id=a.pk)
            s.assignment_check_out(actor=worker, assignment_id=a.pk)
    served_minutes = sum(Assignment.objects.filter(status="checked_out").values_list("minutes", flat=True))
    c = client_for(world.user("leader"))
    with time_machine.travel("2026-10-01T09:00:00+08:00", tick=False):
        page = c.get("/empower/dashboard/?date_from=2026-09-21&date_to=2026-09-27").content.decode()
        book = c.get("/empower/dashboard/?date_from=2026-09-21&date_to=2026-09-27&format=xlsx")
    assert "金榕社区" in page and f"{round(served_minutes / 60, 1)} (0)" in page
    assert book["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_for(own_user := _own.user).get("/empower/dashboard/").status_code == 403
    assert own_user.role == Role.VOLUNTEER


def test_posting_record_shows_what_other_apps_register(world):
    from linli.empower import report

    instructor = staff_create(
        username="zd", password=PASSWORD, role=Role.INSTRUCTOR, jurisdiction=world.community
    )
    posting = s.posting_create(
        actor=world.user("coord"),
        kind="first_secretary",
        cadre_name="郑砚秋",
        home_unit_id=world.cg.pk,
        community_id=world.community.pk,
        starts_on=dt.date(2026, 3, 1),
        tasks=["校园周边治理"],
        user_id=instructor.pk,
    )
    report.posting_activity_register(
        "test_programs", lambda p, a, b: [{"label": "开办的公益项目", "count": 3}]
    )
    try:
        page = client_for(instructor).get(f"/empower/postings/{posting.pk}/").content.decode()
        other = staff_create(
            username="zd2", password=PASSWORD, role=Role.INSTRUCTOR, jurisdiction=world.community
        )
        assert client_for(other).get(f"/empower/postings/{posting.pk}/").status_code == 404
    finally:
        report.POSTING_ACTIVITY.pop("test_programs")
    assert "郑砚秋" in page and "校园周边治理" in page and "开办的公益项目：3" in page
