"""The end of a demand's loop (services/closing.py): callback, reopen, close, escalate."""

import pytest

from linli.core.errors import ApplicationError
from linli.demands import services as s
from linli.demands.tests import factories as f
from linli.demands.tests.helpers import code_of

# --- callback, reopen, close --------------------------------------------------------------------


def test_callback_records_resolution_and_satisfaction(world):
    d = f.called_back(world, resolved=False, satisfaction="unsatisfied")
    assert (d.status, d.resolved, d.satisfaction) == ("called_back", False, "unsatisfied")
    assert d.callbacks.get().on_time is True
    with pytest.raises(ApplicationError) as e:
        s.demand_callback(
            actor=world.user("agent"), demand_id=f.replied(world).pk, resolved=True, satisfaction="meh"
        )
    assert code_of(e) == "demand.invalid"


def test_reopen_after_unsatisfied_callback_sends_it_back_to_the_same_unit(world):
    d = f.called_back(world, resolved=False, satisfaction="unsatisfied")
    d = s.demand_reopen(actor=world.user("agent"), demand_id=d.pk, reason="群众反映摊贩仍在")
    assert (d.status, d.reopen_count, d.resolved, d.satisfaction) == ("dispatched", 1, None, "")
    assert f.lead_of(d).unit == world.cg
    assert d.assignments.filter(role="lead").count() == 2


def test_close_after_callback_and_the_grassroots_flag(world):
    d = f.called_back(world)
    d = s.demand_close(actor=world.user("agent"), demand_id=d.pk)
    assert (d.status, d.resolved_by_grassroots) == ("closed", False)
    g = f.registered(world)
    s.demand_dispatch(
        actor=world.user("dispatcher"), demand_id=g.pk, category_id=world.categories["vendors"].pk
    )
    lead = f.lead_of(g)
    s.assignment_sign(actor=world.user("worker"), demand_id=g.pk, assignment_id=lead.pk)
    s.assignment_reply(
        actor=world.user("worker"), demand_id=g.pk, assignment_id=lead.pk, result="社区劝离摊贩"
    )
    s.demand_callback(actor=world.user("agent"), demand_id=g.pk, resolved=True, satisfaction="basically")
    g = s.demand_close(actor=world.user("agent"), demand_id=g.pk)
    assert g.resolved_by_grassroots is True


def test_close_without_callback_needs_a_note(world):
    d = f.replied(world)
    with pytest.raises(ApplicationError) as e:
        s.demand_close(actor=world.user("agent"), demand_id=d.pk)
    assert code_of(e) == "demand.reason_required"
    d = s.demand_close(actor=world.user("agent"), demand_id=d.pk, note="三次回访均未接通")
    assert d.status == "closed" and d.resolved is None


# --- escalate -----------------------------------------------------------------------------------


def test_demand_escalate_raises_the_level_without_changing_status(world):
    d = f.in_progress(world)
    d = s.demand_escalate(actor=world.user("leader"), demand_id=d.pk, reason="群众多次反映")
    d = s.demand_escalate(actor=world.user("coord"), demand_id=d.pk, reason="联席会议督办")
    assert (d.status, d.escalation_count) == ("in_progress", 2)
    with pytest.raises(ApplicationError) as e:
        s.demand_escalate(actor=world.user("cg_handler"), demand_id=d.pk, reason="x")
    assert code_of(e) == "demand.action_forbidden"
