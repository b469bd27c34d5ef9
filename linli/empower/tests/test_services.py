"""Services of the empowerment app: the calendar, the roster, the day's duty, the hours ledger, events."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from linli.core.errors import AppendOnly
from linli.empower import services as s
from linli.empower.errors import (
    AssignmentNotFound,
    DoubleBooked,
    NotInTeam,
    NotSchoolDay,
    TeamNotFound,
    TransitionNotAllowed,
)
from linli.empower.models import Assignment, EmpowerEvent, Shift
from linli.empower.permissions import access_team
from linli.empower.report import hours_certificate
from linli.empower.selectors import level_for, school_days, volunteer_minutes
from linli.empower.states import AssignmentStatus
from linli.empower.tests import factories as f
from linli.org.services import staff_create, unit_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
BEFORE_TERM = "2026-09-10T09:00:00+08:00"


@pytest.fixture
def planned(world):
    with time_machine.travel(BEFORE_TERM, tick=False):
        team, term = f.team(world)
        s.shifts_generate(actor=world.user("worker"), term_id=term.pk)
        result = s.roster_plan(actor=world.user("worker"), term_id=term.pk)
    return team, term, result


def test_school_days_skip_weekends_national_day_and_breaks(world):
    with time_machine.travel(BEFORE_TERM, tick=False):
        _team, term = f.team(world)
        s.term_break_add(
            actor=world.user("worker"),
            term_id=term.pk,
            name="运动会",
            starts_on=dt.date(2026, 10, 15),
            ends_on=dt.date(2026, 10, 16),
        )
    days = school_days(term)
    assert dt.date(2026, 10, 1) not in days and dt.date(2026, 10, 5) not in days  # 国庆
    assert dt.date(2026, 9, 26) not in days  # a plain Saturday
    assert dt.date(2026, 10, 15) not in days and dt.date(2026, 10, 14) in days
    assert dt.date(2026, 9, 21) in days


def test_a_shift_outside_school_days_is_refused(world):
    with time_machine.travel(BEFORE_TERM, tick=False):
        team, term = f.team(world)
        template = team.templates.first()
        with pytest.raises(NotSchoolDay):
            s.shift_add(
                actor=world.user("worker"),
                term_id=term.pk,
                template_id=template.pk,
                date=dt.date(2026, 10, 2),
            )
        assert not Shift.objects.filter(date=dt.date(2026, 10, 2)).exists()
        shift = s.shift_add(
            actor=world.user("worker"), term_id=term.pk, template_id=template.pk, date=dt.date(2026, 9, 22)
        )
        assert shift.date == dt.date(2026, 9, 22)


def test_plan_fills_the_term_with_minimums_and_explains_nothing(planned):
    _team, term, result = planned
    shifts = Shift.objects.filter(term=term)
    assert shifts.count() == 2 * len(school_days(term))
    assert result.gaps == [] and not shifts.exclude(gaps=[]).exists()
    for shift in shifts:
        units = list(shift.assignments.values_list("partner", flat=True))
        assert len(units) == 4 and "police" in units and "city_management" in units
    assert EmpowerEvent.objects.filter(subject_type="term", subject_id=term.pk, kind="planned").exists()


def test_replan_keeps_locks_and_manual_assignment_refuses_double_booking(world, planned):
    team, term, _ = planned
    worker = world.user("worker")
    with time_machine.travel(BEFORE_TERM, tick=False):
        shift = Shift.objects.filter(term=term).order_by("date", "template__start").first()
        extra = f.volunteer(world, "候补志愿者")
        s.team_member_add(actor=worker, team_id=team.pk, volunteer_id=extra.pk, partner="volunteers")
        mine = s.assignment_add(actor=worker, shift_id=shift.pk, volunteer_id=extra.pk)
        assert mine.locked
        with pytest.raises(DoubleBooked):  # the same morning again
            s.assignment_add(actor=worker, shift_id=shift.pk, volunteer_id=extra.pk)
        outsider = f.volunteer(world, "外队志愿者")
        with pytest.raises(NotInTeam):
            s.assignment_add(actor=worker, shift_id=shift.pk, volunteer_id=outsider.pk)
        s.roster_plan(actor=worker, term_id=term.pk)
    assert Assignment.objects.filter(pk=mine.pk, locked=True).exists()
    assert shift.assignments.filter(status="assigned").count() == 4  # the lock takes one of the four places


def test_check_in_twice_changes_nothing_and_check_out_counts_hours(world, planned):
    _team, term, _ = planned
    worker = world.user("worker")
    row = (
        Assignment.objects.filter(shift__term=term).order_by("shift__date", "shift__template__start").first()
    )
    with time_machine.travel(
        dt.datetime(2026, 9, 21, 7, 15, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False
    ):
        first, changed = s.assignment_check_in(actor=worker, assignment_id=row.pk)
        again, changed_again = s.assignment_check_in(actor=worker, assignment_id=row.pk)
        assert changed and not changed_again and again.checked_in_at == first.checked_in_at
        events = EmpowerEvent.objects.filter(subject_id=row.pk, kind="checked_in").count()
        assert events == 1
        out, _ = s.assignment_check_out(actor=worker, assignment_id=row.pk)
    assert out.status == AssignmentStatus.CHECKED_OUT and out.minutes == 40
    assert volunteer_minutes(volunteer=out.volunteer) == 40


def test_check_in_on_another_day_is_refused(world, planned):
    _team, term, _ = planned
    row = Assignment.objects.filter(shift__term=term).order_by("shift__date").first()
    with time_machine.travel(BEFORE_TERM, tick=False):
        with pytest.raises(Exception) as exc:
            s.assignment_check_in(actor=world.user("worker"), assignment_id=row.pk)
    assert exc.value.code == "empower.not_shift_day"
    assert Assignment.objects.get(pk=row.pk).status == "assigned"


def test_volunteer_swap_request_then_worker_swaps_and_no_show_gets_cover(world, planned):
    team, term, _ = planned
    worker = world.user("worker")
    with time_machine.travel(BEFORE_TERM, tick=False):
        own = f.volunteer(world, "林晓燕", account="v_lin")
        s.team_member_add(actor=worker, team_id=team.pk, volunteer_id=own.pk, partner="volunteers")
        late = Shift.objects.filter(term=term).order_by("-date", "-template__start").first()
        mine = s.assignment_add(actor=worker, shift_id=late.pk, volunteer_id=own.pk)
        req = s.swap_request(actor=own.user, assignment_id=mine.pk, reason="孩子生病")
        assert (
            s.swap_request(actor=own.user, assignment_id=mine.pk).pk == req.pk
        )  # asking twice: the same one
        other = f.volunteer(world, "陈美玲")
        s.team_member_add(actor=worker, team_id=team.pk, volunteer_id=other.pk, partner="volunteers")
        new = s.assignment_swap(actor=worker, assignment_id=mine.pk, to_volunteer_id=other.pk)
        assert new.volunteer_id == other.pk and new.cover_for_id == mine.pk
        assert Assignment.objects.get(pk=mine.pk).status == "swapped"
        req.refresh_from_db()
        assert req.status == "done"
        with pytest.raises(AssignmentNotFound):  # a volunteer cannot touch another volunteer.s shift
            s.assignment_swap(actor=own.user, assignment_id=new.pk, to_volunteer_id=own.pk)
        cover = s.assignment_no_show(actor=worker, assignment_id=new.pk, cover_volunteer_id=own.pk)
        assert cover.cover_for_id == new.pk and Assignment.objects.get(pk=new.pk).status == "no_show"
        with pytest.raises(TransitionNotAllowed):
            s.assignment_no_show(actor=worker, assignment_id=new.pk)


def test_another_communitys_worker_sees_no_team(world, planned):
    team, _term, _ = planned
    committee = unit_create(
        code="JX", name="金溪社区居委会", kind="community_committee", jurisdiction=world.other_community
    )
    other = staff_create(username="jx_worker", password=PASSWORD, role=Role.COMMUNITY_WORKER, unit=committee)
    with pytest.raises(TeamNotFound):
        access_team(other, team.pk)


def test_levels_and_certificate(world, planned):
    assert level_for(19 * 60)["level"] == "" and level_for(20 * 60)["level"] == "铜牌志愿者"
    assert level_for(120 * 60)["level"] == "金牌志愿者" and level_for(60 * 60)["next"] == "金牌志愿者"
    _team, term, _ = planned
    row = (
        Assignment.objects.filter(shift__term=term).order_by("shift__date", "shift__template__start").first()
    )
    with time_machine.travel(
        dt.datetime(2026, 9, 21, 7, 15, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False
    ):
        s.assignment_check_in(actor=world.user("worker"), assignment_id=row.pk)
        s.assignment_check_out(actor=world.user("worker"), assignment_id=row.pk)
    book = load_workbook(io.BytesIO(hours_certificate(volunteer=row.volunteer)))
    cells = [c for r in book.active.iter_rows(values_only=True) for c in r if c is not None]
    assert row.volunteer.name in cells and "2026-09-21" in cells and 40 in cells


def test_events_are_append_only(planned):
    event = EmpowerEvent.objects.first()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        EmpowerEvent.objects.update(note="x")


def test_postgresql_refuses_raw_changes_to_events(planned):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only; SQLite has the ORM guard")
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE empower_empowerevent SET note = 'x'")


def test_patrol_weeks_count_the_gate_demands_before_and_after_the_patrol(world):
    from linli.demands.tests import factories as df
    from linli.empower.report import patrol_weeks

    with time_machine.travel(BEFORE_TERM, tick=False):
        team, _term = f.team(world)  # patrol began 2026-09-01 (a Tuesday); keywords 校门, 接送
    for moment, text in (
        ("2026-08-18T08:00:00+08:00", "金榕小学校门口早上堵车"),
        ("2026-08-19T08:00:00+08:00", "校门外摊贩占道"),
        ("2026-08-26T17:00:00+08:00", "放学接送车辆乱停"),
        ("2026-08-27T17:00:00+08:00", "小区路灯不亮"),  # not about the gate
        ("2026-09-08T08:00:00+08:00", "校门口仍有一辆车乱停"),
    ):
        with time_machine.travel(moment, tick=False):
            df.registered(world, text=text)
    with time_machine.travel(
        dt.datetime(2026, 8, 19, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False
    ):
        df.registered(world, text="校门口堵车", community_id=world.other_community.pk)  # another community
    with time_machine.travel("2026-09-20T09:00:00+08:00", tick=False):
        weeks = patrol_weeks(user=world.user("coord"), team=team)
        hidden = patrol_weeks(user=f.volunteer(world, "甲", account="v_jia").user, team=team)
    by_week = {r["week"]: r["count"] for r in weeks["rows"]}
    assert by_week[dt.date(2026, 8, 17)] == 2 and by_week[dt.date(2026, 8, 24)] == 1
    assert by_week[dt.date(2026, 9, 7)] == 1 and by_week[dt.date(2026, 8, 31)] == 0
    assert sum(r["count"] for r in weeks["rows"] if r["after"]) == 1
    assert weeks["before"] > weeks["after"]
    assert hidden.get("hidden") and hidden["rows"] == []
