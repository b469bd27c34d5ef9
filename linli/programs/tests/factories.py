"""Programs on the test world: a children's summer camp of 金榕社区 with two seats."""

from __future__ import annotations

import datetime as dt

from linli.programs import services as s


def camp(world, *, capacity: int = 2, open_: bool = True, community=None):
    actor = world.user("worker")
    program = s.program_create(
        actor=actor,
        community_id=(community or world.community).pk,
        title="暑期爱心托管班",
        kind="camp",
        partners="区总工会",
        capacity=capacity,
        for_children=True,
        age_min=6,
        age_max=12,
    )
    s.session_add(
        actor=actor,
        program_id=program.pk,
        date=dt.date(2026, 7, 13),
        starts_at=dt.time(8, 30),
        ends_at=dt.time(11, 30),
        place="金榕社区党群服务中心",
    )
    if open_:
        program = s.program_transition(actor=actor, program_id=program.pk, action="open")
    return program


def sign(program, n: int, *, age: int = 8):
    phone = f"1390000{n:04d}"
    signup, _ = s.signup_create(
        program_id=program.pk, name=f"家长{n}", phone=phone, child_name=f"孩子{n}", child_age=age
    )
    return signup
