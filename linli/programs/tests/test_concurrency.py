"""Races on PostgreSQL: never over capacity, one promotion per freed seat, one sign-up per phone.

SQLite serialises writers anyway; these need PostgreSQL row locks.
"""

import pytest
from django.db import connection

from linli.demands.tests.test_concurrency import race
from linli.programs import services as s
from linli.programs.models import ProgramsEvent, SignUp
from linli.programs.tests.factories import camp, sign

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _signup(program, n):
    return lambda: s.signup_create(
        program_id=program.pk, name=f"家长{n}", phone=f"1390000{n:04d}", child_name="孩子", child_age=8
    )


@pytest.mark.parametrize("attempt", range(3))
def test_four_families_race_for_the_last_seat(world, attempt):
    program = camp(world, capacity=2)
    sign(program, 1)
    wins, errors = race(*(_signup(program, n) for n in (2, 3, 4, 5)))
    assert errors == [] and len(wins) == 4
    statuses = sorted(x.status for x in SignUp.objects.filter(program=program))
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"]
    assert sorted(SignUp.objects.filter(program=program).values_list("queue", flat=True)) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("attempt", range(3))
def test_two_cancellations_at_once_promote_two_in_queue_order(world, attempt):
    program = camp(world, capacity=2)
    a, b, c, d = (sign(program, n) for n in (1, 2, 3, 4))
    wins, errors = race(
        lambda: s.signup_cancel_own(code=a.code, phone_last4=a.phone[-4:]),
        lambda: s.signup_cancel_own(code=b.code, phone_last4=b.phone[-4:]),
    )
    assert errors == []
    confirmed = set(SignUp.objects.filter(program=program, status="confirmed").values_list("pk", flat=True))
    assert confirmed == {c.pk, d.pk}
    assert ProgramsEvent.objects.filter(kind="promoted").count() == 2


def test_the_same_phone_twice_at_once_is_one_sign_up(world):
    program = camp(world, capacity=5)
    wins, errors = race(_signup(program, 7), _signup(program, 7))
    assert errors == [] and sorted(created for _x, created in wins) == [False, True]
    assert SignUp.objects.filter(program=program).count() == 1
