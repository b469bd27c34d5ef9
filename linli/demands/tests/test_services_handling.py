"""A unit handling its assignment (services/handling.py): sign, return, extension, reply."""

import pytest
from django.utils import timezone

from linli.core import clock
from linli.core.errors import ApplicationError
from linli.demands import services as s
from linli.demands.tests import factories as f
from linli.demands.tests.helpers import at, code_of

# --- sign ---------------------------------------------------------------------------------------


def test_assignment_sign_by_lead_starts_handling_and_records_on_time(world):
    d = f.dispatched(world, assisting=[world.jj])
    lead = f.lead_of(d)
    s.assignment_sign(actor=world.user("cg_handler"), demand_id=d.pk, assignment_id=lead.pk)
    lead.refresh_from_db()
    d.refresh_from_db()
    assert (d.status, lead.status, lead.signed_on_time) == ("in_progress", "signed", True)


def test_assignment_sign_late_is_recorded_as_late(world):
    with clock.at(at(2026, 11, 23, 9, 0)):
        d = f.dispatched(world)
    with clock.at(at(2026, 11, 23, 15, 0)):
        a = s.assignment_sign(actor=world.user("cg_handler"), demand_id=d.pk, assignment_id=f.lead_of(d).pk)
    assert a.signed_on_time is False


def test_assignment_sign_by_another_unit_or_twice_is_refused(world):
    d = f.dispatched(world)
    lead = f.lead_of(d)
    with pytest.raises(ApplicationError) as e:
        s.assignment_sign(actor=world.user("jj_handler"), demand_id=d.pk, assignment_id=lead.pk)
    assert code_of(e) == "demand.not_your_assignment"
    s.assignment_sign(actor=world.user("cg_handler"), demand_id=d.pk, assignment_id=lead.pk)
    with pytest.raises(ApplicationError) as e:
        s.assignment_sign(actor=world.user("cg_boss"), demand_id=d.pk, assignment_id=lead.pk)
    assert code_of(e) == "demand.transition_not_allowed"


def test_assisting_sign_keeps_the_demand_waiting_for_the_lead(world):
    d = f.dispatched(world, assisting=[world.jj])
    helper = d.assignments.get(role="assisting")
    s.assignment_sign(actor=world.user("jj_handler"), demand_id=d.pk, assignment_id=helper.pk)
    d.refresh_from_db()
    assert d.status == "dispatched"


# --- return -------------------------------------------------------------------------------------


def test_handler_return_waits_for_the_supervisor_then_goes_back_to_dispatch(world):
    d = f.dispatched(world)
    lead = f.lead_of(d)
    s.assignment_return(
        actor=world.user("cg_handler"), demand_id=d.pk, assignment_id=lead.pk, reason="属交警职责"
    )
    d.refresh_from_db()
    lead.refresh_from_db()
    assert (d.status, lead.status) == ("dispatched", "return_requested")
    s.assignment_return_decide(
        actor=world.user("cg_boss"), demand_id=d.pk, assignment_id=lead.pk, approve=True
    )
    d.refresh_from_db()
    assert (d.status, d.return_count, d.lead_unit_id) == ("returned", 1, None)
    kinds = list(d.events.values_list("kind", flat=True))
    assert kinds[-2:] == ["return_requested", "returned"]


def test_rejected_return_goes_back_to_where_it_was(world):
    d = f.in_progress(world)
    lead = f.lead_of(d)
    s.assignment_return(
        actor=world.user("cg_handler"), demand_id=d.pk, assignment_id=lead.pk, reason="不归我们管"
    )
    s.assignment_return_decide(
        actor=world.user("cg_boss"),
        demand_id=d.pk,
        assignment_id=lead.pk,
        approve=False,
        note="属于本单位职责",
    )
    lead.refresh_from_db()
    assert lead.status == "signed"


def test_supervisor_return_is_immediate_and_a_handler_cannot_decide(world):
    d = f.dispatched(world)
    lead = f.lead_of(d)
    s.assignment_return(actor=world.user("cg_handler"), demand_id=d.pk, assignment_id=lead.pk, reason="错派")
    with pytest.raises(ApplicationError) as e:
        s.assignment_return_decide(
            actor=world.user("cg_handler"), demand_id=d.pk, assignment_id=lead.pk, approve=True
        )
    assert code_of(e) == "demand.action_forbidden"
    d2 = f.dispatched(world)
    s.assignment_return(
        actor=world.user("cg_boss"), demand_id=d2.pk, assignment_id=f.lead_of(d2).pk, reason="错派"
    )
    d2.refresh_from_db()
    assert d2.status == "returned"


def test_return_without_reason_is_refused(world):
    d = f.dispatched(world)
    with pytest.raises(ApplicationError) as e:
        s.assignment_return(
            actor=world.user("cg_boss"), demand_id=d.pk, assignment_id=f.lead_of(d).pk, reason=" "
        )
    assert code_of(e) == "demand.reason_required"


# --- extension ----------------------------------------------------------------------------------


def test_extension_request_and_approval_moves_the_finish_deadline_by_working_days(world):
    with clock.at(at(2026, 11, 23, 9, 0)):
        d = f.in_progress(world)
        lead = f.lead_of(d)
        ext = s.extension_request(
            actor=world.user("cg_handler"),
            demand_id=d.pk,
            assignment_id=lead.pk,
            days=5,
            reason="需住建部门鉴定",
        )
        ext = s.extension_decide(actor=world.user("cg_boss"), extension_id=ext.pk, approve=True)
    d.refresh_from_db()
    assert timezone.localtime(ext.old_due) == at(2026, 12, 2, 17, 30)
    assert timezone.localtime(d.finish_due) == at(2026, 12, 9, 17, 30)
    with pytest.raises(ApplicationError) as e:
        s.extension_request(
            actor=world.user("cg_handler"), demand_id=d.pk, assignment_id=lead.pk, days=2, reason="再延"
        )
    assert code_of(e) == "demand.extension_used"


def test_extension_rejected_keeps_the_deadline_and_limits_apply(world):
    d = f.in_progress(world)
    lead = f.lead_of(d)
    with pytest.raises(ApplicationError) as e:
        s.extension_request(
            actor=world.user("cg_handler"), demand_id=d.pk, assignment_id=lead.pk, days=16, reason="太复杂"
        )
    assert code_of(e) == "demand.extension_too_long"
    ext = s.extension_request(
        actor=world.user("cg_handler"), demand_id=d.pk, assignment_id=lead.pk, days=3, reason="等材料"
    )
    s.extension_decide(actor=world.user("cg_boss"), extension_id=ext.pk, approve=False, note="时限内可完成")
    d.refresh_from_db()
    assert d.finish_due == lead.finish_due
    with pytest.raises(ApplicationError) as e:
        s.extension_decide(actor=world.user("cg_boss"), extension_id=ext.pk, approve=True)
    assert code_of(e) == "demand.extension_not_pending"


# --- reply --------------------------------------------------------------------------------------


def test_lead_reply_finishes_the_demand_and_sets_the_callback_deadline(world):
    with clock.at(at(2026, 11, 24, 10, 0)):
        d = f.replied(world)
    assert d.status == "replied" and d.finished_on_time is True
    assert timezone.localtime(d.callback_due) == at(2026, 11, 26, 17, 30)


def test_assisting_reply_does_not_finish_the_demand(world):
    d = f.in_progress(world, assisting=[world.jj])
    helper = d.assignments.get(role="assisting")
    s.assignment_sign(actor=world.user("jj_handler"), demand_id=d.pk, assignment_id=helper.pk)
    s.assignment_reply(
        actor=world.user("jj_handler"), demand_id=d.pk, assignment_id=helper.pk, result="已加派警力"
    )
    d.refresh_from_db()
    assert d.status == "in_progress"


def test_reply_before_signing_is_refused(world):
    d = f.dispatched(world)
    with pytest.raises(ApplicationError) as e:
        s.assignment_reply(
            actor=world.user("cg_handler"), demand_id=d.pk, assignment_id=f.lead_of(d).pk, result="已办"
        )
    assert code_of(e) == "demand.transition_not_allowed"
