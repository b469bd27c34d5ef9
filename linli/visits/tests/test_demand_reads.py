"""The reads appended to linli.demands.selectors for the visits app."""

import datetime as dt

import pytest

from linli.core import clock
from linli.demands import services as ds
from linli.demands.selectors import demand_facts, night_visit_demand_ids
from linli.visits.tests import factories as f

pytestmark = pytest.mark.django_db


def test_night_visit_demands_of_a_community_between_two_times(world):
    def register(at, channel="night_visit", community=None):
        with clock.at(at):
            return ds.demand_register(
                channel=channel,
                demand_type="help",
                text="问题",
                actor=world.user("agent"),
                community_id=(community or world.community).pk,
            ).pk

    inside = register(f.evening(hour=20))
    register(f.evening(hour=20), channel="hotline")
    register(f.evening(hour=20), community=world.other_community)
    register(f.evening(f.EVENING + dt.timedelta(days=7), hour=20))
    found = night_visit_demand_ids(
        community_id=world.community.pk, start=f.evening(hour=18), end=f.evening(hour=23, minute=59)
    )
    assert found == [inside]
    facts = demand_facts(ids=[inside])[inside]
    assert (
        facts["status"] == "registered"
        and facts["resolved_at_intake"] is False
        and facts["lead_unit__name"] is None
    )
