"""Workshop API: a delivery above the lot is refused with workshop.over_lot; a firm sees its own only."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.test import Client

from linli.workshop.models import Delivery
from linli.workshop.tests.factories import shop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _november_night():
    """These tests speak of November 2026 (payments on the 20th, an order due 20 December): they run at
    00:30 Beijing on 21 November, a night when the UTC date is still the 20th."""
    with time_machine.travel("2026-11-21T00:30:00+08:00", tick=True):
        yield


BASE = "/api/v1/empower/workshop"


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_lot_delivery_payment_ledger_and_income(world):
    w = shop(world)
    client = Client()
    client.force_login(world.user("worker"))
    lot = _post(
        client,
        f"{BASE}/orders/{w.order.pk}/lots",
        {"quantity": 600, "name": "郑大姐", "phone": "13700005678"},
    )
    assert lot.status_code == 201 and lot.json()["phone"] == "137****5678"
    lot_id = lot.json()["id"]
    over = _post(client, f"{BASE}/lots/{lot_id}/deliveries", {"accepted": 601})
    assert over.status_code == 422 and over.json()["code"] == "workshop.over_lot"
    assert Delivery.objects.count() == 0
    done = _post(client, f"{BASE}/lots/{lot_id}/deliveries", {"accepted": 590, "rejected": 10})
    assert done.json()["amount_fen"] == 590 * 35
    person = lot.json()["participant_id"]
    too_much = _post(
        client,
        f"{BASE}/payments",
        {"firm_id": w.firm.pk, "participant_id": person, "amount_fen": 20651, "paid_on": "2026-11-20"},
    )
    assert too_much.status_code == 422 and too_much.json()["code"] == "workshop.over_balance"
    paid = _post(
        client,
        f"{BASE}/payments",
        {"firm_id": w.firm.pk, "participant_id": person, "amount_fen": 20000, "paid_on": "2026-11-20"},
    )
    assert paid.status_code == 201
    ledger = client.get(f"{BASE}/ledger").json()
    assert ledger["participants"][0]["owed_fen"] == 650
    income = client.get(f"{BASE}/income?month=2026-11").json()
    assert income["total_fen"] == 20650 and income["communities"][0]["people"] == 1
    assert client.get(f"{BASE}/income?month=2026-13").json()["code"] == "workshop.invalid"


def test_a_firm_account_sees_only_its_own_orders(world):
    mine, theirs = shop(world), shop(world, username="firm2")
    client = Client()
    client.force_login(mine.account)
    listed = [o["id"] for o in client.get(f"{BASE}/orders").json()]
    assert listed == [mine.order.pk]
    assert client.get(f"{BASE}/orders/{theirs.order.pk}").status_code == 404
    created = _post(
        client,
        f"{BASE}/orders",
        {
            "firm_id": mine.firm.pk,
            "item": "毛绒玩具缝制",
            "quantity": 200,
            "unit_price_fen": 120,
            "deadline": "2026-12-20",
        },
    )
    assert created.status_code == 201 and created.json()["community_id"] == world.community.pk
    refused = _post(
        client,
        f"{BASE}/orders",
        {
            "firm_id": theirs.firm.pk,
            "item": "冒名订单",
            "quantity": 1,
            "unit_price_fen": 1,
            "deadline": "2026-12-20",
        },
    )
    assert refused.status_code == 404
