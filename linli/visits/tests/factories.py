"""A small night-visit setting on the test world: a campaign on 金涵乡 with cadres of three levels."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from linli.visits import services as s

TZ = ZoneInfo("Asia/Shanghai")
EVENING = dt.date(2026, 6, 3)


def evening(date: dt.date = EVENING, hour: int = 19, minute: int = 30) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=TZ)


def campaign(world, *, actor=None, dates=(EVENING, dt.date(2026, 6, 10))):
    actor = actor or world.user("coord")
    c = s.campaign_create(
        actor=actor,
        name="金涵乡夏季夜访",
        area_id=world.street.pk,
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 8, 31),
    )
    rounds = [s.round_add(actor=actor, campaign_id=c.pk, date=d) for d in dates]
    return c, rounds


def cadres(world, *, city=1, district=1, street=2, actor=None):
    actor = actor or world.user("coord")
    out = []
    for level, n, unit in (
        ("city", city, None),
        ("district", district, world.cg),
        ("street", street, world.street_office),
    ):
        for i in range(n):
            out.append(
                s.cadre_create(
                    actor=actor, name=f"{level}{i + 1}", level=level, unit_id=unit.pk if unit else None
                )
            )
    return out


def token() -> str:
    return str(uuid.uuid4())
