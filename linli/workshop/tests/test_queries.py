"""List pages and endpoints do not make more queries with more rows (10 more orders, lots and deliveries)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from linli.core import clock
from linli.workshop import services as s
from linli.workshop.tests.factories import shop

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _work(world, w, n: int) -> None:
    worker = world.user("worker")
    for i in range(n):
        person = s.participant_register(
            actor=worker, name=f"参与者{i}", phone=f"1370000{i:04d}", community_id=world.community.pk
        )
        lot = s.lot_take(actor=worker, order_id=w.order.pk, participant_id=person.pk, quantity=10)
        s.delivery_check(actor=worker, lot_id=lot.pk, accepted=8, rejected=1)


@pytest.mark.parametrize(
    "url",
    [
        "/workshop/",
        "/workshop/orders/{order}/",
        "/workshop/ledger/",
        "/workshop/income/",
        "/api/v1/empower/workshop/orders",
        "/api/v1/empower/workshop/orders/{order}",
        "/api/v1/empower/workshop/ledger",
    ],
)
def test_workshop_pages_with_more_rows(world, url):
    w = shop(world)
    client = Client()
    client.force_login(world.user("worker"))
    _work(world, w, 1)
    before = _count(client, url.format(order=w.order.pk))
    _work_more(world, w)
    assert _count(client, url.format(order=w.order.pk)) == before


def _work_more(world, w) -> None:
    worker = world.user("worker")
    for i in range(10):
        person = s.participant_register(
            actor=worker, name=f"新人{i}", phone=f"1371111{i:04d}", community_id=world.community.pk
        )
        lot = s.lot_take(actor=worker, order_id=w.order.pk, participant_id=person.pk, quantity=10)
        s.delivery_check(actor=worker, lot_id=lot.pk, accepted=8, rejected=1)
        s.order_create(
            actor=w.account,
            firm_id=w.firm.pk,
            item=f"订单{i}",
            quantity=5,
            unit_price_fen=10,
            deadline=clock.today() + dt.timedelta(days=40),
        )
