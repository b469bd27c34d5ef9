"""Workshop: lots, delivery checks, payments and income, in integer fen; refused input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from linli.core.errors import AppendOnly
from linli.org.services import staff_create, unit_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD
from linli.workshop import services as s
from linli.workshop.errors import FirmNotFound, NotAllowed, OrderNotOpen, OverBalance, OverLot, OverOrder
from linli.workshop.models import Delivery, Lot, Payment, WorkshopEvent
from linli.workshop.selectors import ledger, monthly_income, yuan
from linli.workshop.tests.factories import shop

pytestmark = pytest.mark.django_db
NOV = dt.date(2026, 11, 18)


def test_a_delivery_earns_accepted_times_unit_price_and_rejected_pieces_stay_in_the_lot(world):
    w = shop(world)
    lot = s.lot_take(
        actor=world.user("worker"),
        order_id=w.order.pk,
        participant_id=w.person.pk,
        quantity=300,
        taken_on=NOV,
    )
    d = s.delivery_check(
        actor=world.user("worker"), lot_id=lot.pk, accepted=180, rejected=20, delivered_on=NOV
    )
    assert d.amount_fen == 180 * 35 == 6300 and yuan(d.amount_fen) == "63.00"
    lot.refresh_from_db()
    assert (lot.accepted, lot.rejected, lot.remaining) == (180, 20, 120)
    with pytest.raises(OverLot) as err:
        s.delivery_check(actor=world.user("worker"), lot_id=lot.pk, accepted=121, delivered_on=NOV)
    assert err.value.code == "workshop.over_lot"
    lot.refresh_from_db()
    assert lot.accepted == 180 and Delivery.objects.count() == 1
    s.delivery_check(actor=world.user("worker"), lot_id=lot.pk, accepted=120, delivered_on=NOV)
    lot.refresh_from_db()
    assert lot.remaining == 0


def test_lots_never_exceed_the_order(world):
    w = shop(world, quantity=500)
    s.lot_take(actor=world.user("worker"), order_id=w.order.pk, participant_id=w.person.pk, quantity=400)
    with pytest.raises(OverOrder):
        s.lot_take(actor=world.user("worker"), order_id=w.order.pk, participant_id=w.person.pk, quantity=101)
    assert Lot.objects.count() == 1
    s.order_transition(actor=world.user("worker"), order_id=w.order.pk, action="close")
    with pytest.raises(OrderNotOpen):
        s.lot_take(actor=world.user("worker"), order_id=w.order.pk, participant_id=w.person.pk, quantity=1)


def test_payments_never_exceed_what_is_owed_and_the_ledger_adds_up(world):
    w = shop(world)
    lot = s.lot_take(
        actor=world.user("worker"),
        order_id=w.order.pk,
        participant_id=w.person.pk,
        quantity=1000,
        taken_on=NOV,
    )
    s.delivery_check(actor=world.user("worker"), lot_id=lot.pk, accepted=900, rejected=0, delivered_on=NOV)
    s.payment_record(
        actor=world.user("worker"),
        firm_id=w.firm.pk,
        participant_id=w.person.pk,
        amount_fen=20000,
        paid_on=NOV,
    )
    with pytest.raises(OverBalance):
        s.payment_record(
            actor=world.user("worker"),
            firm_id=w.firm.pk,
            participant_id=w.person.pk,
            amount_fen=11501,
            paid_on=NOV,
        )
    assert Payment.objects.count() == 1
    book = ledger(deliveries=Q(), payments=Q())
    (row,) = book["participants"]
    assert (row["earned"], row["paid"], row["owed"], row["phone"]) == (31500, 20000, 11500, "138****1234")
    (firm_row,) = book["firms"]
    assert firm_row["owed"] == 11500 and firm_row["people"] == 1


def test_monthly_income_follows_local_calendar_months(world):
    w = shop(world)
    lot = s.lot_take(
        actor=world.user("worker"),
        order_id=w.order.pk,
        participant_id=w.person.pk,
        quantity=1000,
        taken_on=dt.date(2026, 10, 20),
    )
    s.delivery_check(
        actor=world.user("worker"), lot_id=lot.pk, accepted=100, delivered_on=dt.date(2026, 10, 31)
    )
    s.delivery_check(
        actor=world.user("worker"), lot_id=lot.pk, accepted=200, delivered_on=dt.date(2026, 11, 1)
    )
    oct_, nov = (
        monthly_income(deliveries=Q(), month="2026-10"),
        monthly_income(deliveries=Q(), month="2026-11"),
    )
    assert oct_["total_fen"] == 3500 and nov["total_fen"] == 7000
    assert nov["communities"] == [{"community": "金榕社区", "fen": 7000, "people": 1, "average_fen": 7000}]


def test_a_firm_account_posts_only_its_own_orders(world):
    w = shop(world)
    other = shop(world, username="firm2")
    with pytest.raises(FirmNotFound):
        s.order_create(
            actor=w.account,
            firm_id=other.firm.pk,
            item="玩具",
            quantity=10,
            unit_price_fen=50,
            deadline=dt.date(2026, 12, 31),
        )
    with pytest.raises(NotAllowed):
        s.lot_take(actor=w.account, order_id=w.order.pk, participant_id=w.person.pk, quantity=1)


def test_another_communitys_worker_cannot_check_a_delivery(world):
    w = shop(world)
    lot = s.lot_take(actor=world.user("worker"), order_id=w.order.pk, participant_id=w.person.pk, quantity=10)
    committee = unit_create(
        code="HJ", name="涵江村委会", kind="village_committee", jurisdiction=world.other_community
    )
    stranger = staff_create(username="hj", password=PASSWORD, role=Role.COMMUNITY_WORKER, unit=committee)
    with pytest.raises(NotAllowed):
        s.delivery_check(actor=stranger, lot_id=lot.pk, accepted=5)
    assert Delivery.objects.count() == 0


def test_bad_counts_are_refused(world):
    w = shop(world)
    lot = s.lot_take(actor=world.user("worker"), order_id=w.order.pk, participant_id=w.person.pk, quantity=10)
    for bad in (-1, 2.5, "abc", True):
        with pytest.raises(s.BadInput):
            s.delivery_check(actor=world.user("worker"), lot_id=lot.pk, accepted=bad)
    with pytest.raises(s.BadInput):
        s.delivery_check(actor=world.user("worker"), lot_id=lot.pk, accepted=0, rejected=0)


def test_every_change_leaves_an_append_only_event(world):
    w = shop(world)
    lot = s.lot_take(actor=world.user("worker"), order_id=w.order.pk, participant_id=w.person.pk, quantity=10)
    s.delivery_check(actor=world.user("worker"), lot_id=lot.pk, accepted=10)
    kinds = list(WorkshopEvent.objects.values_list("subject_type", "kind"))
    assert kinds == [
        ("firm", "created"),
        ("order", "created"),
        ("participant", "created"),
        ("lot", "lot_taken"),
        ("delivery", "checked"),
    ]
    with pytest.raises(AppendOnly):
        WorkshopEvent.objects.all().delete()


def test_income_figures_for_the_dashboard(world):
    from linli.workshop.selectors import income_figures

    w = shop(world)
    lot = s.lot_take(
        actor=world.user("worker"),
        order_id=w.order.pk,
        participant_id=w.person.pk,
        quantity=100,
        taken_on=NOV,
    )
    s.delivery_check(actor=world.user("worker"), lot_id=lot.pk, accepted=100, delivered_on=NOV)
    figures = income_figures(
        community_ids=[world.community.pk], first=dt.date(2026, 11, 1), last=dt.date(2026, 11, 30)
    )
    assert figures == {"income_fen": 3500, "participants": 1, "per_participant_fen": 3500}
    assert income_figures(community_ids=[world.other_community.pk], first=NOV, last=NOV)["income_fen"] == 0
