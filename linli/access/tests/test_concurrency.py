"""Two coordination-office decisions on the same request at once: one wins, the other gets a 409.

Run on PostgreSQL (row locks are real there); SQLite serialises writers anyway.
"""

import pytest
from django.db import connection

from linli.access import services as s
from linli.access.models import RequestEvent
from linli.access.tests import factories as f
from linli.demands.tests.test_concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.mark.parametrize("attempt", range(3))
def test_two_decisions_on_one_request(world, attempt):
    f.catalogue(world)
    req = f.pending(world)
    coord = world.user("coord")
    wins, errors = race(
        lambda: s.request_decide(actor=coord, request_id=req.pk, decision="approve_once", reason="同意"),
        lambda: s.request_decide(actor=coord, request_id=req.pk, decision="reject", reason="不同意"),
    )
    assert len(wins) == 1 and [e.code for e in errors] == ["access.already_decided"]
    assert errors[0].status == 409
    decided = RequestEvent.objects.filter(request=req, kind__in=["approve_once", "reject"])
    assert decided.count() == 1
    req.refresh_from_db()
    assert req.status == wins[0].status


def test_community_refuses_while_the_office_approves(world):
    f.catalogue(world)
    req = f.pending(world)
    task = req.tasks.get()
    wins, errors = race(
        lambda: s.task_refuse(actor=world.user("worker"), task_id=task.pk),
        lambda: s.request_decide(
            actor=world.user("coord"), request_id=req.pk, decision="approve_once", reason="同意"
        ),
    )
    task.refresh_from_db()
    if task.status == "refused":  # the refusal came first; the approval left the refused task alone
        assert len(wins) == 2 and not errors
    else:  # the approval came first; the task is admitted and may no longer be refused
        assert task.status == "admitted" and [e.code for e in errors] == [
            "access.task_transition_not_allowed"
        ]
