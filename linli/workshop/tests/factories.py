"""A workshop on the test world: a firm with an account, an order of data cables, one participant."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from linli.core import clock
from linli.org.services import staff_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD
from linli.workshop import services as s


@dataclass
class Shop:
    firm: object
    order: object
    person: object
    account: object


def shop(world, *, quantity: int = 1000, price_fen: int = 35, username: str = "firm") -> Shop:
    worker = world.user("worker")
    account = staff_create(
        username=username, password=PASSWORD, role=Role.PARTNER_FIRM, jurisdiction=world.community
    )
    world.users[username] = account
    firm = s.firm_create(
        actor=worker,
        name=f"榕兴电子{username}",
        community_id=world.community.pk,
        contact="黄经理",
        account_id=account.pk,
    )
    order = s.order_create(
        actor=account,
        firm_id=firm.pk,
        item="数据线绕线扎带",
        quantity=quantity,
        unit_price_fen=price_fen,
        quality_standard="线圈整齐，扎带居中",
        deadline=clock.today() + dt.timedelta(days=40),  # ahead of whatever instant the suite runs at
    )
    person = s.participant_register(
        actor=worker, name="陈阿姨", phone="13800001234", community_id=world.community.pk
    )
    return Shop(firm, order, person, account)
