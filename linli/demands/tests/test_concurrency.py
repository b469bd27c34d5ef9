"""Two staff acting on the same demand at the same moment: exactly one wins, the other gets a conflict.

Run on PostgreSQL (row locks are real there); SQLite serialises writers anyway.
"""

import threading

import pytest
from django.db import connection, connections

from linli.core.errors import ApplicationError
from linli.demands import services as s
from linli.demands.tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def race(*calls):
    """Start every call at once in its own thread and connection; return (successes, errors)."""
    barrier = threading.Barrier(len(calls))
    wins, errors = [], []

    def run(call):
        try:
            barrier.wait()
            wins.append(call())
        except ApplicationError as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return wins, errors


@pytest.mark.parametrize("attempt", range(3))
def test_two_dispatchers_dispatch_the_same_demand(world, attempt):
    d = f.registered(world)
    mid = world.categories["mid"].pk
    wins, errors = race(
        lambda: s.demand_dispatch(
            actor=world.user("dispatcher"), demand_id=d.pk, category_id=mid, lead_unit_id=world.cg.pk
        ),
        lambda: s.demand_dispatch(
            actor=world.user("agent"), demand_id=d.pk, category_id=mid, lead_unit_id=world.jj.pk
        ),
    )
    assert len(wins) == 1 and len(errors) == 1
    assert errors[0].code == "demand.transition_not_allowed" and errors[0].status == 409
    d.refresh_from_db()
    assert d.assignments.filter(role="lead").count() == 1
    assert d.lead_unit_id == wins[0].lead_unit_id


def test_sign_and_supervisor_return_at_once(world):
    d = f.dispatched(world)
    lead = f.lead_of(d)
    wins, errors = race(
        lambda: s.assignment_sign(actor=world.user("cg_handler"), demand_id=d.pk, assignment_id=lead.pk),
        lambda: s.assignment_sign(actor=world.user("cg_boss"), demand_id=d.pk, assignment_id=lead.pk),
    )
    assert len(wins) == 1 and [e.code for e in errors] == ["demand.transition_not_allowed"]
    assert d.events.filter(kind="signed").count() == 1


def test_two_callbacks_with_the_same_version(world):
    d = f.replied(world)
    v = d.version
    wins, errors = race(
        lambda: s.demand_callback(
            actor=world.user("agent"),
            demand_id=d.pk,
            resolved=True,
            satisfaction="satisfied",
            expected_version=v,
        ),
        lambda: s.demand_callback(
            actor=world.user("dispatcher"),
            demand_id=d.pk,
            resolved=False,
            satisfaction="unsatisfied",
            expected_version=v,
        ),
    )
    assert len(wins) == 1 and len(errors) == 1
    assert errors[0].code in ("demand.stale", "demand.transition_not_allowed") and errors[0].status == 409
    assert d.callbacks.count() == 1


def test_two_imports_of_the_same_hotline_order_register_it_once(world):
    def register():
        return s.demand_register(
            actor=world.user("agent"),
            channel="import",
            demand_type="complaint",
            text="校门口早高峰拥堵",
            external_ref="RX20260310001",
        )

    wins, errors = race(register, register)
    assert len(wins) == 1 and len(errors) == 1
    assert errors[0].code == "demand.duplicate_external_ref" and errors[0].status == 409
    assert wins[0].__class__.objects.filter(external_ref="RX20260310001").count() == 1
