"""The workshop demo on the test world: three firms' orders, and a full month adds 2,000+ yuan per participant."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Q

from linli.org.services import staff_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD
from linli.workshop.demo import FIRMS, workshop_demo_load
from linli.workshop.models import Order, Payment
from linli.workshop.selectors import ledger, monthly_income

pytestmark = pytest.mark.django_db


def test_three_orders_and_two_thousand_yuan_a_month_per_participant(world):
    accounts = {
        username: staff_create(
            username=username, password=PASSWORD, role=Role.PARTNER_FIRM, jurisdiction=world.community
        )
        for username, *_rest in FIRMS
    }
    end = dt.datetime(2026, 12, 2, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    workshop_demo_load(
        organiser=world.user("worker"), community_id=world.community.pk, accounts=accounts, end=end
    )
    assert Order.objects.count() == 3
    november = monthly_income(deliveries=Q(), month="2026-11")
    assert len(november["participants"]) == 20
    assert min(p["fen"] for p in november["participants"]) >= 200_000  # 2,000 yuan, in fen
    # September and October are paid (on the 5th of the next month); November is still owed.
    assert set(Payment.objects.values_list("paid_on", flat=True)) == {
        dt.date(2026, 10, 5),
        dt.date(2026, 11, 5),
    }
    owed = sum(r["owed"] for r in ledger(deliveries=Q(), payments=Q())["participants"])
    november_and_december = (
        november["total_fen"] + monthly_income(deliveries=Q(), month="2026-12")["total_fen"]
    )
    assert owed == november_and_december
