"""The services check the jurisdiction themselves, with the same rule the demand page asks (``may``)."""

from __future__ import annotations

import pytest

from linli.core.errors import ApplicationError
from linli.demands import services as s
from linli.demands.permissions import RULES, may
from linli.demands.states import DEMAND_TRANSITIONS
from linli.demands.tests import factories as f
from linli.org.services import jurisdiction_create, staff_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD


def _far(world, role: str):
    far = jurisdiction_create(code="350903", name="远山区", level="district", parent=world.city)
    return staff_create(username=f"far_{role}", password=PASSWORD, role=role, jurisdiction=far)


def test_every_rule_names_rows_of_the_tables():
    assert {rule.demand_row for rule in RULES.values() if isinstance(rule.demand_row, str)} <= set(
        DEMAND_TRANSITIONS
    )


def test_a_dispatcher_of_another_district_is_told_the_demand_does_not_exist(world):
    d = f.registered(world)
    far = _far(world, Role.DISPATCHER)
    assert may(world.user("dispatcher"), "dispatch", d) and not may(far, "dispatch", d)
    with pytest.raises(ApplicationError) as e:
        s.demand_dispatch(
            actor=far, demand_id=d.pk, lead_unit_id=world.cg.pk, category_id=world.categories["mid"].pk
        )
    assert e.value.code == "demand.not_found"
    d.refresh_from_db()
    assert d.status == "registered"


def test_a_leader_escalates_only_inside_the_area(world):
    d = f.dispatched(world)
    with pytest.raises(ApplicationError) as e:
        s.demand_escalate(actor=_far(world, Role.LEADER), demand_id=d.pk, reason="多次来电")
    assert e.value.code == "demand.not_found"
    s.demand_escalate(actor=world.user("leader"), demand_id=d.pk, reason="多次来电")
    d.refresh_from_db()
    assert d.escalation_count == 1


def test_a_merge_into_a_demand_out_of_reach_is_refused(world):
    duplicate = f.registered(world)
    street_dispatcher = staff_create(
        username="street_dispatcher", password=PASSWORD, role=Role.DISPATCHER, jurisdiction=world.community
    )
    master = s.demand_register(
        actor=world.user("agent"),
        channel="hotline",
        demand_type="complaint",
        text="路灯不亮",
        phone="13900001111",
    )  # no community: outside every area but the whole city's
    assert may(street_dispatcher, "merge", duplicate) and not may(street_dispatcher, "merge", master)
    with pytest.raises(ApplicationError) as e:
        s.demand_merge(actor=street_dispatcher, demand_id=duplicate.pk, master_id=master.pk)
    assert e.value.code == "demand.not_found"
    duplicate.refresh_from_db()
    assert duplicate.status == "registered"


def test_an_administrator_may_act_for_a_unit_and_the_page_says_so(world):
    d = f.dispatched(world)
    lead = f.lead_of(d)
    admin = world.user("admin")
    assert may(admin, "sign", d, lead)
    s.assignment_sign(actor=admin, demand_id=d.pk, assignment_id=lead.pk)
    lead.refresh_from_db()
    assert lead.status == "signed"


def test_the_registrant_answers_at_once_even_outside_what_they_may_see(world):
    # a community worker registers a walk-in from the next village, which they do not otherwise see
    worker = world.user("worker")
    d = s.demand_submit(
        actor=worker,
        answer="已当场协调物业修好路灯",
        channel="walk_in",
        demand_type="help",
        text="楼道灯坏了",
        community_id=world.other_community.pk,
    ).demand
    assert d.status == "closed" and d.resolved_at_intake
    other = s.demand_register(
        actor=world.user("agent"),
        channel="hotline",
        demand_type="help",
        text="楼道灯坏了",
        phone="13900001111",
    )  # not theirs, not in their community
    assert not may(worker, "resolve_at_intake", other)
    with pytest.raises(ApplicationError) as e:
        s.demand_resolve_at_intake(actor=worker, demand_id=other.pk, answer="已答复")
    assert e.value.code == "demand.not_found"
