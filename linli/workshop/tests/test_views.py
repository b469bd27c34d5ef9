"""Workshop pages: a delivery checked on the order page, the ledger and income; a firm sees only its own."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from linli.workshop import services as s
from linli.workshop.models import Delivery, Payment
from linli.workshop.tests.factories import shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(
        dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False
    ):
        yield


def test_a_worker_records_a_delivery_and_sees_the_income(world, frozen):
    w = shop(world)
    client = Client()
    client.force_login(world.user("worker"))
    client.post(f"/workshop/orders/{w.order.pk}/lots/", {"participant": w.person.pk, "quantity": "500"})
    lot = w.order.lots.get()
    client.post(
        f"/workshop/orders/{w.order.pk}/deliveries/", {"lot": lot.pk, "accepted": "400", "rejected": "10"}
    )
    assert Delivery.objects.get().amount_fen == 14000
    page = client.get(f"/workshop/orders/{w.order.pk}/").content.decode()
    assert "140.00" in page and "138****1234" in page and "13800001234" not in page
    over = client.post(
        f"/workshop/orders/{w.order.pk}/deliveries/", {"lot": lot.pk, "accepted": "101"}, follow=True
    )
    assert "超过了该批次" in over.content.decode() and Delivery.objects.count() == 1
    income = client.get("/workshop/income/?month=2026-11").content.decode()
    assert "140.00" in income and "金榕社区" in income
    client.post("/workshop/ledger/", {"participant": w.person.pk, "firm": w.firm.pk, "amount": "100.5"})
    assert Payment.objects.get().amount_fen == 10050
    assert "39.50" in client.get("/workshop/ledger/").content.decode()


def test_a_firm_sees_its_own_orders_and_statement_only(world, frozen):
    mine, theirs = shop(world), shop(world, username="firm2")
    lot = s.lot_take(
        actor=world.user("worker"), order_id=mine.order.pk, participant_id=mine.person.pk, quantity=100
    )
    s.delivery_check(actor=world.user("worker"), lot_id=lot.pk, accepted=100)
    client = Client()
    client.force_login(mine.account)
    assert client.get(f"/workshop/orders/{mine.order.pk}/").status_code == 200
    assert client.get(f"/workshop/orders/{theirs.order.pk}/").status_code == 404
    assert client.get(f"/workshop/firms/{theirs.firm.pk}/statement.xlsx").status_code == 404
    listing = client.get("/workshop/").content.decode()
    assert mine.firm.name in listing and theirs.firm.name not in listing
    sheet = client.get(f"/workshop/firms/{mine.firm.pk}/statement.xlsx?month=2026-11")
    book = load_workbook(io.BytesIO(sheet.content))
    rows = list(book["交货验收"].values)
    assert rows[2][3] == "138****1234" and rows[-1][-1] == "35.00"
    # a firm cannot check deliveries
    client.post(f"/workshop/orders/{mine.order.pk}/deliveries/", {"lot": lot.pk, "accepted": "1"})
    assert Delivery.objects.count() == 1
