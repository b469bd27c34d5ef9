"""A 护学队 of 金榕社区 for the tests: members of every partner unit, a term, two shifts a school day."""

from __future__ import annotations

import datetime as dt
import itertools

from linli.empower import services as s
from linli.empower.models import Team, Term
from linli.org.services import staff_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD

_phones = itertools.count(13900000000)
ALL_WEEK = [f"{d}:{b}" for d in range(7) for b in ("am", "pm")]


def volunteer(w, name: str, *, availability=ALL_WEEK, community=None, account: str = ""):
    user = None
    if account:
        user = staff_create(
            username=account, password=PASSWORD, role=Role.VOLUNTEER, jurisdiction=w.community
        )
    return s.volunteer_create(
        actor=w.user("worker"),
        name=name,
        phone_number=str(next(_phones)),
        community_id=(community or w.community).pk,
        consent_on=dt.date(2026, 8, 20),
        availability=availability,
        user_id=user.pk if user else None,
    )


def team(
    w,
    *,
    per_unit: dict[str, int] | None = None,
    size: int = 4,
    minimums=None,
    term_dates: tuple[dt.date, dt.date] = (dt.date(2026, 9, 21), dt.date(2026, 10, 16)),
) -> tuple[Team, Term]:
    worker = w.user("worker")
    t = s.team_create(
        actor=worker,
        name="金榕小学护学队",
        community_id=w.community.pk,
        school="金榕小学",
        keywords="校门,接送",
        patrol_began_on=dt.date(2026, 9, 1),
        min_gap_minutes=120,
        max_shifts_per_week=5,
    )
    per_unit = per_unit or {"city_management": 2, "police": 2, "school": 2, "volunteers": 6}
    n = 0
    for unit, count in per_unit.items():
        for _ in range(count):
            n += 1
            v = volunteer(w, f"队员{n:02d}")
            s.team_member_add(actor=worker, team_id=t.pk, volunteer_id=v.pk, partner=unit)
    minimums = {"city_management": 1, "police": 1} if minimums is None else minimums
    for gate, (a, b) in (("金榕小学东门", ((7, 20), (8, 0))), ("金榕小学东门", ((16, 30), (17, 30)))):
        s.shift_template_add(
            actor=worker,
            team_id=t.pk,
            gate=gate,
            start=dt.time(*a),
            end=dt.time(*b),
            size=size,
            minimums=minimums,
        )
    term = s.term_create(
        actor=worker,
        team_id=t.pk,
        name="2026年秋季学期",
        starts_on=term_dates[0],
        ends_on=term_dates[1],
    )
    return t, term
