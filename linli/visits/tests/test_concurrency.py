"""The same visit form sent twice at the same moment (a double tap on a bad connection): one visit, one demand.

Run on PostgreSQL; SQLite serialises writers anyway.
"""

import pytest
from django.db import connection

from linli.demands.models import Demand
from linli.demands.tests.test_concurrency import race
from linli.visits import services as s
from linli.visits.models import Visit
from linli.visits.tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.mark.parametrize("attempt", range(3))
def test_two_submits_of_one_visit_form_at_once(world, attempt):
    _c, (first, _s) = f.campaign(world)
    token = f.token()

    def submit():
        return s.visit_record(
            actor=world.user("worker"),
            round_id=first.pk,
            community_id=world.community.pk,
            client_token=token,
            arrived_at=f.evening(),
            issues=[s.IssueInput(text="楼下烧烤摊油烟大")],
        )

    wins, errors = race(submit, submit)
    assert errors == [] and len(wins) == 2
    assert sorted(created for _v, created in wins) == [False, True]
    assert wins[0][0].pk == wins[1][0].pk
    assert Visit.objects.count() == 1 and Demand.objects.filter(channel="night_visit").count() == 1
