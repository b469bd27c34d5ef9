"""demand_rate_by_resident: the resident's own rating on the portal counts as the callback."""

from __future__ import annotations

import pytest

from linli.demands import services as s
from linli.demands.errors import BadDemand, TrackingMismatch, TransitionNotAllowed
from linli.demands.models import Callback
from linli.demands.tests import factories as f


def test_demand_rate_by_resident_moves_a_replied_demand_to_called_back(world):
    demand = f.replied(world)
    callback = s.demand_rate_by_resident(
        code=demand.code.lower(), phone_last4="1234", resolved=True, satisfaction="satisfied", note=" 很快 "
    )
    demand.refresh_from_db()
    assert (demand.status, demand.resolved, demand.satisfaction) == ("called_back", True, "satisfied")
    assert demand.called_back_at == callback.at and callback.by is None and callback.note == "很快"
    assert callback.on_time is True
    event = demand.events.get(kind="called_back")
    assert event.actor is None and event.note == "群众自评：很快"
    assert event.old == {"status": "replied"} and event.new["satisfaction"] == "satisfied"


def test_demand_rate_by_resident_needs_the_matching_digits(world):
    demand = f.replied(world)
    with pytest.raises(TrackingMismatch):
        s.demand_rate_by_resident(
            code=demand.code, phone_last4="0000", resolved=True, satisfaction="satisfied"
        )
    assert not Callback.objects.exists()


@pytest.mark.parametrize("factory", [f.in_progress, f.called_back])
def test_demand_rate_by_resident_only_after_the_reply_and_once(world, factory):
    demand = factory(world)
    with pytest.raises(TransitionNotAllowed) as caught:
        s.demand_rate_by_resident(
            code=demand.code, phone_last4="1234", resolved=False, satisfaction="unsatisfied"
        )
    assert caught.value.code == "demand.transition_not_allowed" and caught.value.status == 409
    assert "已评价" in caught.value.message_zh


@pytest.mark.parametrize("satisfaction", ["", "great"])
def test_demand_rate_by_resident_needs_a_known_satisfaction(world, satisfaction):
    demand = f.replied(world)
    with pytest.raises(BadDemand):
        s.demand_rate_by_resident(
            code=demand.code, phone_last4="1234", resolved=True, satisfaction=satisfaction
        )
    demand.refresh_from_db()
    assert demand.status == "replied"
