"""Races on PostgreSQL: two checks of one lot at once never accept more than the lot; two payments never pay
more than is owed. SQLite serialises writers anyway."""

import datetime as dt

import pytest
from django.db import connection

from linli.demands.tests.test_concurrency import race
from linli.workshop import services as s
from linli.workshop.models import Delivery, Payment
from linli.workshop.tests.factories import shop

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.mark.parametrize("attempt", range(3))
def test_two_checks_of_one_lot_at_once(world, attempt):
    w = shop(world)
    lot = s.lot_take(
        actor=world.user("worker"), order_id=w.order.pk, participant_id=w.person.pk, quantity=100
    )
    wins, errors = race(
        *(lambda: s.delivery_check(actor=world.user("worker"), lot_id=lot.pk, accepted=60) for _ in range(2))
    )
    assert len(wins) == 1 and [e.code for e in errors] == ["workshop.over_lot"]
    lot.refresh_from_db()
    assert lot.accepted == 60 and Delivery.objects.count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_two_payments_at_once_never_pay_more_than_owed(world, attempt):
    w = shop(world)
    lot = s.lot_take(
        actor=world.user("worker"), order_id=w.order.pk, participant_id=w.person.pk, quantity=100
    )
    s.delivery_check(actor=world.user("worker"), lot_id=lot.pk, accepted=100)  # 3,500 fen owed
    day = dt.date(2026, 11, 20)

    def pay():
        return s.payment_record(
            actor=world.user("worker"),
            firm_id=w.firm.pk,
            participant_id=w.person.pk,
            amount_fen=2000,
            paid_on=day,
        )

    wins, errors = race(pay, pay)
    assert len(wins) == 1 and [e.code for e in errors] == ["workshop.over_balance"]
    assert Payment.objects.count() == 1
