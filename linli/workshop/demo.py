"""The workshop part of the demo (金榕社区工坊): three fictional partner firms' piecework orders — data cables,
plush toys, hand-painted crafts — taken by 20 residents (most of them homemakers) in weekly lots, checked twice a
week (a few pieces back for rework), and paid on the 5th of the next month. A full month's work adds 2,000+ yuan
to a participant's income.

Fictional names, firms and phone numbers only, written here. Everything goes through the services at the
moments it happened (``clock.at``).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Q
from django.utils import timezone

from linli.core import clock
from linli.workshop import services as s
from linli.workshop.selectors import balance, monthly_income, yuan

DAY = dt.timedelta(days=1)
# (account username, firm, contact, item, unit price in fen, quality standard, pieces a participant does a week, people)
FIRMS = [
    (
        "firm_rongxing",
        "榕兴电子配件厂",
        "黄经理",
        "数据线绕线扎带",
        35,
        "线圈整齐无打结，扎带居中、松紧适度",
        1500,
        7,
    ),
    (
        "firm_tongqu",
        "童趣玩具有限公司",
        "郑主管",
        "毛绒玩具缝制填充",
        120,
        "针脚均匀不露线，填充饱满，眼鼻牢固",
        450,
        7,
    ),
    (
        "firm_danqing",
        "丹青工艺品厂",
        "许师傅",
        "工艺品手绘上色",
        250,
        "色块不出界，无漏涂，晾干后无粘连",
        220,
        6,
    ),
]
SURNAMES = "林陈黄郑王李张吴刘蔡许杨何周谢叶魏游江罗"
GIVEN = [
    "秀兰",
    "美华",
    "玉珍",
    "桂英",
    "丽清",
    "雪梅",
    "惠芳",
    "春燕",
    "月娥",
    "素珍",
    "碧霞",
    "金花",
    "宝琴",
    "爱玉",
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _month_start(day: dt.date, back: int) -> dt.date:
    month = day.month - back
    year = day.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


def workshop_demo_load(
    *, organiser, community_id: int, accounts: dict, end: dt.datetime, seed: int = 2026
) -> list[str]:
    """Load three months and the current one of workshop work; returns the summary lines ``linli demo`` prints."""
    rng = random.Random(seed)
    today = timezone.localdate(end)
    start = _month_start(today, 3)
    first_monday = start + (7 - start.weekday()) % 7 * DAY
    mondays = []
    day = first_monday
    while day <= today:
        mondays.append(day)
        day += 7 * DAY
    crews = []
    n = 0
    with clock.at(_at(start, 9)):
        for username, name, contact, item, price, quality, weekly, people in FIRMS:
            firm = s.firm_create(
                actor=organiser,
                name=name,
                community_id=community_id,
                contact=contact,
                account_id=accounts[username].pk,
            )
            order = s.order_create(
                actor=accounts[username],
                firm_id=firm.pk,
                item=item,
                quantity=int(weekly * people * 1.3 * (len(mondays) + 1)),
                unit_price_fen=price,
                quality_standard=quality,
                deadline=today + 45 * DAY,
            )
            members = []
            for _ in range(people):
                n += 1
                members.append(
                    s.participant_register(
                        actor=organiser,
                        name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                        phone=f"1375918{n:04d}",
                        community_id=community_id,
                    )
                )
            crews.append((firm, order, weekly, members))
    deliveries = 0
    for monday in mondays:
        for _firm, order, weekly, members in crews:
            for person in members:
                pieces = int(weekly * rng.uniform(0.9, 1.25))
                with clock.at(_at(monday, 8, 30)):
                    lot = s.lot_take(
                        actor=organiser,
                        order_id=order.pk,
                        participant_id=person.pk,
                        quantity=pieces,
                        taken_on=monday,
                    )
                # Thursday: about half, a few sent back for rework; Saturday: the rest, reworked pieces included.
                thursday, saturday = monday + 3 * DAY, monday + 5 * DAY
                first = pieces // 2
                rejected = rng.randint(0, max(1, first // 50))
                if thursday <= today:
                    with clock.at(_at(thursday, 17)):
                        s.delivery_check(
                            actor=organiser,
                            lot_id=lot.pk,
                            accepted=first - rejected,
                            rejected=rejected,
                            delivered_on=thursday,
                        )
                    deliveries += 1
                if saturday <= today:
                    with clock.at(_at(saturday, 16)):
                        s.delivery_check(
                            actor=organiser,
                            lot_id=lot.pk,
                            accepted=pieces - first + rejected,
                            delivered_on=saturday,
                        )
                    deliveries += 1
    # Paid on the 5th for the month before: everything owed at the end of that month.
    paid_months = 0
    month = start
    while True:
        following = _month_start(month, -1)
        payday = following + 4 * DAY
        if payday > today:
            break
        for firm, _order, _weekly, members in crews:
            for person in members:
                earned, paid = balance(firm_id=firm.pk, participant_id=person.pk, until=following - DAY)
                owed = earned - paid
                if owed > 0:
                    with clock.at(_at(payday, 10)):
                        s.payment_record(
                            actor=organiser,
                            firm_id=firm.pk,
                            participant_id=person.pk,
                            amount_fen=owed,
                            paid_on=payday,
                            note=f"{month:%Y年%m月}计件工资",
                        )
        paid_months += 1
        month = following
    last_full = _month_start(today, 1).strftime("%Y-%m")
    income = monthly_income(deliveries=Q(lot__participant__community_id=community_id), month=last_full)
    people = len(income["participants"])
    average = income["total_fen"] // people if people else 0
    lowest = min((p["fen"] for p in income["participants"]), default=0)
    return [
        f"社区工坊：3 家合作企业 3 张订单（数据线、毛绒玩具、手绘工艺品），{n} 名群众每周领料、周四周六验收，共 {deliveries} 次验收，"
        f"{paid_months} 个月已结算付款",
        f"{last_full} 工坊收入 {yuan(income['total_fen'])} 元，人均 {yuan(average)} 元（最少 {yuan(lowest)} 元）",
    ]
