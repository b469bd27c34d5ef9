"""The empowerment part of the demo: 金榕社区's first secretary, 420 volunteers (generated fictional names),
the 护学队 of its school with partner units, the autumn term planned, and the shifts already served.

Called from ``linli.demo`` with the demo's accounts (this app does not import the demo). Everything goes
through the services at past instants (``clock.at``), so every row has its event.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from linli.core import clock
from linli.core.errors import ApplicationError
from linli.empower import services as s
from linli.empower.models import Assignment, Shift
from linli.empower.report import patrol_weeks
from linli.empower.selectors import roster_summary, school_days
from linli.empower.states import AssignmentStatus

SURNAMES = "陈林黄郑王李张吴刘蔡杨许叶周徐何曾苏潘罗谢魏卓阮游薛"
GIVEN = "秀丽美玲淑芬春燕晓梅雅琴海燕丽华桂英玉兰建国志明文杰家豪静怡欣然慧敏宇航"
SKILLS = ("", "", "急救证", "交通劝导", "摄影", "心理疏导", "文艺", "手工", "退休教师", "法律咨询")
# Partner unit -> how many of the team stand for it.
PARTNERS = (("city_management", 12), ("police", 10), ("school", 40))


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def _availability(rng: random.Random) -> list[str]:
    # Many volunteers are homemakers: free on school mornings and afternoons on some days of the week.
    return [f"{d}:{b}" for d in range(5) for b in ("am", "pm") if rng.random() < 0.5] or ["0:am"]


def _term_dates(end: dt.date) -> tuple[dt.date, dt.date]:
    year = end.year if end.month >= 9 else end.year - 1
    return dt.date(year, 9, 1), dt.date(year + 1, 1, 22)


def empower_demo_load(
    *,
    worker,
    coord,
    instructor,
    volunteer_account,
    community_id: int,
    home_unit_id: int,
    school: str,
    patrol_began_on: dt.date,
    end: dt.datetime,
    rng: random.Random,
) -> list[str]:
    today = clock.local_date(end)
    starts_on, ends_on = _term_dates(today)
    with clock.at(_at(min(patrol_began_on, starts_on) - dt.timedelta(days=20), 10)):
        posting = s.posting_create(
            actor=coord,
            kind="first_secretary",
            cadre_name=instructor.display_name.split(" ")[-1] or "郑砚秋",
            rank="四级调研员",
            home_unit_id=home_unit_id,
            community_id=community_id,
            starts_on=min(patrol_began_on, starts_on) - dt.timedelta(days=20),
            tasks=["校园周边治理", "护学队组建", "志愿者队伍建设"],
            user_id=instructor.pk,
        )
        team = s.team_create(
            actor=worker,
            name=f"{school}护学队",
            community_id=community_id,
            school=school,
            keywords=f"{school},校门",
            patrol_began_on=patrol_began_on,
            min_gap_minutes=120,
            max_shifts_per_week=3,
        )
        volunteers = []
        for i in range(420):
            v = s.volunteer_create(
                actor=worker,
                name=_name(rng),
                phone_number=f"170{59000000 + i:08d}",
                community_id=community_id,
                consent_on=patrol_began_on - dt.timedelta(days=rng.randint(1, 60)),
                skills=rng.choice(SKILLS),
                availability=_availability(rng),
            )
            volunteers.append(v)
        own = s.volunteer_create(
            actor=worker,
            name=volunteer_account.display_name.split(" ")[-1] or "林晓燕",
            phone_number="17059099999",
            community_id=community_id,
            consent_on=patrol_began_on - dt.timedelta(days=3),
            skills="交通劝导",
            availability=[f"{d}:{b}" for d in range(5) for b in ("am", "pm")],
            user_id=volunteer_account.pk,
        )
        units = [u for u, n in PARTNERS for _ in range(n)]
        for v, unit in zip(volunteers, units + ["volunteers"] * (len(volunteers) - len(units)), strict=True):
            s.team_member_add(actor=worker, team_id=team.pk, volunteer_id=v.pk, partner=unit)
        s.team_member_add(actor=worker, team_id=team.pk, volunteer_id=own.pk, partner="volunteers")
        for gate in ("南门", "北门"):
            for (h0, m0), (h1, m1) in (((7, 20), (8, 0)), ((16, 30), (17, 30))):
                s.shift_template_add(
                    actor=worker,
                    team_id=team.pk,
                    gate=f"{school}{gate}",
                    start=dt.time(h0, m0),
                    end=dt.time(h1, m1),
                    size=5,
                    minimums={"city_management": 1, "police": 1, "school": 1},
                )
    with clock.at(_at(starts_on - dt.timedelta(days=10), 9)):
        term = s.term_create(
            actor=worker,
            team_id=team.pk,
            name=f"{starts_on.year}年秋季学期",
            starts_on=starts_on,
            ends_on=ends_on,
        )
        s.term_break_add(
            actor=worker,
            term_id=term.pk,
            name="校运会",
            starts_on=dt.date(starts_on.year, 11, 12),
            ends_on=dt.date(starts_on.year, 11, 13),
        )
        s.shifts_generate(actor=worker, term_id=term.pk)
        days = school_days(term)
        # Her two mornings a week at the south gate, set by hand: locked, kept by the plan.
        south = team.templates.filter(gate=f"{school}南门").order_by("start").first()
        for day in days:
            if day.weekday() in (1, 3):
                shift = Shift.objects.get(term=term, template=south, date=day)
                s.assignment_add(actor=worker, shift_id=shift.pk, volunteer_id=own.pk)
        s.roster_plan(actor=worker, term_id=term.pk)
    served, no_shows, covered = _serve(worker, own, term, days, today, rng)
    summary = roster_summary(term=term)
    hot = patrol_weeks(user=worker, team=team)
    return [
        f"赋能：{posting.cadre_name}（驻{posting.community.name}第一书记），{len(volunteers) + 1} 名志愿者，"
        f"{team.name} {summary.shifts} 个班次已排 {summary.filled}/{summary.places} 人次"
        f"（未排满 {summary.unfilled_shifts} 个），已服务 {served} 人次，缺勤 {no_shows} 次（顶班 {covered} 次）",
        f"护学岗与热点诉求：上岗前平均每周 {hot['before']} 件，上岗后平均每周 {hot['after']} 件",
    ]


def _serve(worker, own, term, days, today, rng) -> tuple[int, int, int]:
    """The shifts of the last three weeks before today are served (her own all term); one in 25 a no-show,
    covered by a team member who is free. One of her next shifts has a swap request open."""
    recent = {d for d in days if today - dt.timedelta(days=21) <= d < today}
    rows = (
        Assignment.objects.filter(shift__term=term, shift__date__lt=today, status=AssignmentStatus.ASSIGNED)
        .select_related("shift__template", "volunteer")
        .order_by("shift__date", "shift__template__start", "pk")
    )
    served = no_shows = covered = 0
    members = list(term.team.members.values_list("volunteer_id", flat=True))
    for a in rows:
        if a.shift.date not in recent and a.volunteer_id != own.pk:
            continue
        t = a.shift.template
        start = _at(a.shift.date, t.start.hour, t.start.minute)
        if a.volunteer_id != own.pk and rng.random() < 0.04:
            with clock.at(start + dt.timedelta(minutes=10)):
                no_shows += 1
                for candidate in rng.sample(members, 8):
                    try:
                        s.assignment_no_show(actor=worker, assignment_id=a.pk, cover_volunteer_id=candidate)
                        covered += 1
                        break
                    except ApplicationError:
                        continue
                else:
                    s.assignment_no_show(actor=worker, assignment_id=a.pk)
            continue
        with clock.at(start - dt.timedelta(minutes=5)):
            s.assignment_check_in(actor=worker, assignment_id=a.pk)
        with clock.at(_at(a.shift.date, t.end.hour, t.end.minute) + dt.timedelta(minutes=3)):
            s.assignment_check_out(actor=worker, assignment_id=a.pk)
        served += 1
    upcoming = (
        Assignment.objects.filter(volunteer=own, shift__date__gt=today, status=AssignmentStatus.ASSIGNED)
        .order_by("shift__date")
        .first()
    )
    if upcoming is not None:
        with clock.at(_at(today, 8)):
            s.swap_request(actor=own.user, assignment_id=upcoming.pk, reason="孩子学校开家长会")
    return served, no_shows, covered
