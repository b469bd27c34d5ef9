"""The programs part of the demo (金榕社区): a summer day camp with the district trade union that filled up, took
a waitlist and promoted from it when families cancelled; an open harmonica class with a waitlist; a law talk.

Fictional names and phone numbers only, written here. Everything goes through the services at the moments it
happened (``clock.at``), so the events read like the real history.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from linli.core import clock
from linli.programs import services as s
from linli.programs.states import SignUpStatus

SURNAMES = "林陈黄郑王李张吴刘蔡许杨何周谢叶魏游江罗"
GIVEN = [
    "秀英",
    "丽华",
    "建国",
    "晓燕",
    "海峰",
    "美玲",
    "志强",
    "淑芬",
    "春花",
    "文斌",
    "雅琴",
    "国平",
    "宝珠",
    "金凤",
    "明辉",
]
CHILD = ["小雨", "子涵", "浩宇", "欣怡", "梓萱", "一诺", "俊杰", "思远", "可馨", "宇轩", "佳怡", "沐阳"]
DAY = dt.timedelta(days=1)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _person(rng: random.Random, n: int) -> tuple[str, str]:
    return rng.choice(SURNAMES) + rng.choice(GIVEN), f"1395917{n:04d}"


def _weekdays(first: dt.date, count: int) -> list[dt.date]:
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += DAY
    return days


def _signups(program, rng, start: int, count: int, first_day: dt.date, *, children: bool) -> list:
    out = []
    for i in range(count):
        name, phone = _person(rng, start + i)
        with clock.at(_at(first_day + (i // 8) * DAY, 9 + i % 10, (i * 7) % 60)):
            child = (
                (name[0] + rng.choice(CHILD), rng.randint(program.age_min, program.age_max))
                if children
                else ("", None)
            )
            signup, _ = s.signup_create(
                program_id=program.pk, name=name, phone=phone, child_name=child[0], child_age=child[1]
            )
        out.append(signup)
    return out


def programs_demo_load(*, organiser, community_id: int, end: dt.datetime, seed: int = 2026) -> list[str]:
    """Load the three programs; returns the summary lines ``linli demo`` prints."""
    rng = random.Random(seed)
    today = timezone.localdate(end)
    year = today.year if today >= dt.date(today.year, 7, 25) else today.year - 1
    lines = []

    # 1. The summer day camp: 40 seats, 46 families; 3 cancel before it starts and 3 move up from the waitlist.
    with clock.at(_at(dt.date(year, 6, 10), 10)):
        camp = s.program_create(
            actor=organiser,
            community_id=community_id,
            title=f"{year}年暑期爱心托管班",
            kind="camp",
            partners="蕉湾区总工会；第二实验学校；社区志愿者",
            description="为双职工家庭的孩子提供暑期看护：作业辅导、阅读、手工和安全教育。",
            capacity=40,
            for_children=True,
            age_min=6,
            age_max=12,
        )
        days = _weekdays(dt.date(year, 7, 13), 10)
        for day in days:
            s.session_add(
                actor=organiser,
                program_id=camp.pk,
                date=day,
                starts_at=dt.time(8, 30),
                ends_at=dt.time(11, 30),
                place="金榕社区党群服务中心二楼",
            )
        s.program_transition(actor=organiser, program_id=camp.pk, action="open")
    signups = _signups(camp, rng, 1, 46, dt.date(year, 6, 15), children=True)
    promoted = 0
    for k, leaver in enumerate(signups[:3]):
        with clock.at(_at(dt.date(year, 7, 1) + k * 2 * DAY, 20)):
            promoted += len(s.signup_cancel_own(code=leaver.code, phone_last4=leaver.phone[-4:])[1])
    with clock.at(_at(dt.date(year, 7, 10), 18)):
        s.program_transition(actor=organiser, program_id=camp.pk, action="close")
    confirmed = [x for x in signups if _status(x) == SignUpStatus.CONFIRMED]
    present_total = 0
    for session in camp.sessions.all():
        present = [x.pk for x in confirmed if rng.random() < 0.92]
        present_total += len(present)
        with clock.at(_at(session.date, 11, 40)):
            s.attendance_set(actor=organiser, session_id=session.pk, present_ids=present)
    with clock.at(_at(days[-1], 12)):
        s.program_transition(actor=organiser, program_id=camp.pk, action="finish")
    waiting = sum(1 for x in signups if _status(x) == SignUpStatus.WAITLISTED)
    lines.append(
        f"暑期爱心托管班：40 个名额 46 户报名，3 户取消后候补自动递补 {promoted} 户，仍候补 {waiting} 户；"
        f"10 场共签到 {present_total} 人次"
    )

    # 2. The harmonica class: open now, 15 seats, 17 sign-ups, one cancels and the first waiting moves up.
    opened = today - 12 * DAY
    with clock.at(_at(opened, 9)):
        harmonica = s.program_create(
            actor=organiser,
            community_id=community_id,
            title="口琴兴趣班（周六上午）",
            kind="class",
            partners="区老年大学口琴协会",
            description="零基础可报，社区提供口琴。",
            capacity=15,
            for_children=True,
            age_min=8,
            age_max=14,
        )
        first = today + (5 - today.weekday()) % 7 * DAY
        for week in range(6):
            s.session_add(
                actor=organiser,
                program_id=harmonica.pk,
                date=first + week * 7 * DAY,
                starts_at=dt.time(9, 30),
                ends_at=dt.time(11, 0),
                place="社区党群服务中心活动室",
            )
        s.program_transition(actor=organiser, program_id=harmonica.pk, action="open")
    class_signups = _signups(harmonica, rng, 101, 17, opened + DAY, children=True)
    with clock.at(_at(today - DAY, 19)):
        s.signup_cancel_own(code=class_signups[4].code, phone_last4=class_signups[4].phone[-4:])
    lines.append("口琴兴趣班：15 个名额 17 人报名，1 人取消后候补第 1 位自动转正，仍有 1 人候补")

    # 3. The law talk: adults, one evening next week, open.
    with clock.at(_at(today - 5 * DAY, 15)):
        talk = s.program_create(
            actor=organiser,
            community_id=community_id,
            title="普法讲座：婚姻家庭与遗产继承",
            kind="talk",
            partners="蕉湾区司法局；金溪律师事务所",
            capacity=60,
        )
        s.session_add(
            actor=organiser,
            program_id=talk.pk,
            date=today + 6 * DAY,
            starts_at=dt.time(19, 0),
            ends_at=dt.time(20, 30),
            place="社区党群服务中心会议室",
        )
        s.program_transition(actor=organiser, program_id=talk.pk, action="open")
    _signups(talk, rng, 201, 23, today - 4 * DAY, children=False)
    lines.append("普法讲座：60 个名额，已报名 23 人")
    return lines


def _status(signup) -> str:
    signup.refresh_from_db(fields=["status"])
    return signup.status
