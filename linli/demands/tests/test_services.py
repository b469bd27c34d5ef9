"""Every demand transition and its error paths, through the services (given / when / then)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.core import clock
from linli.core.errors import ApplicationError
from linli.demands import services as s
from linli.demands.models import Assignment, DemandEvent
from linli.demands.tests import factories as f

TZ = timezone.get_current_timezone()


def at(*args):
    return dt.datetime(*args, tzinfo=TZ)


def code_of(excinfo):
    return excinfo.value.code


# --- register -----------------------------------------------------------------------------------


def test_demand_register_stores_fields_event_and_one_resident_per_phone(world):
    d1 = f.registered(world, phone="+86 138-1234-1234")
    d2 = f.registered(world, phone="13812341234", name="")
    assert d1.status == "registered" and d1.code.startswith("LL") and len(d1.code) == 14
    assert d1.complainant_id == d2.complainant_id
    assert d1.complainant.phone == "13812341234"
    assert d1.area_path == world.community.path
    assert list(d1.events.values_list("kind", flat=True)) == ["registered"]


@pytest.mark.parametrize(
    "change, code",
    [
        ({"text": "   "}, "demand.invalid"),
        ({"text": "x" * 5001}, "demand.invalid"),
        ({"phone": "12ab"}, "resident.bad_phone"),
        ({"community_id": 999999}, "org.unknown_jurisdiction"),
        ({"demand_type": "rumour"}, "demand.invalid"),
        ({"latitude": "91"}, "demand.invalid"),
        ({"channel": "web", "phone": None}, "demand.invalid"),
        ({"category_id": 424242}, "category.unknown"),
    ],
)
def test_demand_register_refuses_bad_input_with_stable_code(world, change, code):
    with pytest.raises(ApplicationError) as e:
        f.registered(world, **change)
    assert code_of(e) == code
    assert not DemandEvent.objects.exists()


def test_demand_register_is_refused_for_a_leader(world):
    with pytest.raises(ApplicationError) as e:
        s.demand_register(actor=world.user("leader"), channel="hotline", demand_type="help", text="路灯坏了")
    assert code_of(e) == "demand.action_forbidden"


def test_demand_register_from_the_public_portal_needs_no_actor(world):
    d = s.demand_register(channel="web", demand_type="suggestion", text="建议增设公交站", phone="13900001111")
    assert d.registered_by is None and d.channel == "web"


# --- resolve at intake --------------------------------------------------------------------------


def test_demand_resolve_at_intake_closes_a_consultation_as_resolved(world):
    d = f.registered(world, demand_type="consultation")
    d = s.demand_resolve_at_intake(
        actor=world.user("agent"), demand_id=d.pk, answer="社保卡补办请到区政务中心。"
    )
    assert (d.status, d.resolved, d.resolved_at_intake) == ("closed", True, True)
    assert d.resolved_by_grassroots is False  # the hotline answered it, not the community


def test_a_community_worker_answering_a_walk_in_counts_as_resolved_at_the_grassroots(world):
    worker = world.user("worker")
    d = s.demand_register(
        actor=worker,
        channel="walk_in",
        demand_type="consultation",
        text="居住证怎么办理？",
        phone="13800001111",
    )
    d = s.demand_resolve_at_intake(
        actor=worker, demand_id=d.pk, answer="带身份证和租房合同到社区服务站登记。"
    )
    assert (d.status, d.resolved_by_grassroots) == ("closed", True)


def test_demand_resolve_at_intake_after_dispatch_is_a_conflict(world):
    d = f.dispatched(world)
    with pytest.raises(ApplicationError) as e:
        s.demand_resolve_at_intake(actor=world.user("agent"), demand_id=d.pk, answer="已答复")
    assert code_of(e) == "demand.transition_not_allowed" and e.value.status == 409


# --- dispatch -----------------------------------------------------------------------------------


def test_demand_dispatch_uses_the_catalogue_most_specific_rule(world):
    d = f.registered(world)
    d = s.demand_dispatch(
        actor=world.user("dispatcher"), demand_id=d.pk, category_id=world.categories["vendors"].pk
    )
    assert d.lead_unit == world.committee  # community-specific line beats the city-wide 市政管理 line
    other = f.registered(world, community_id=world.other_community.pk)
    other = s.demand_dispatch(
        actor=world.user("dispatcher"), demand_id=other.pk, category_id=world.categories["vendors"].pk
    )
    assert other.lead_unit == world.cg


def test_demand_dispatch_sets_deadlines_from_the_policy_in_working_time(world):
    with clock.at(at(2026, 11, 27, 16, 30)):  # Friday 16:30
        d = f.registered(world)
        d = s.demand_dispatch(
            actor=world.user("dispatcher"), demand_id=d.pk, category_id=world.categories["mid"].pk
        )
    assert timezone.localtime(d.sign_due) == at(2026, 11, 30, 9, 30)  # 1 h Friday + 1 h Monday morning
    assert timezone.localtime(d.finish_due) == at(2026, 12, 8, 17, 30)  # 7 working days, end of day


def test_demand_dispatch_with_assisting_units_opens_one_assignment_each(world):
    d = f.dispatched(world, assisting=[world.jj, world.committee])
    roles = sorted(d.assignments.values_list("unit__code", "role"))
    assert roles == [("CG", "lead"), ("JJ", "assisting"), ("JR", "assisting")]


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"category_id": None}, "demand.category_required"),
        ({"category": "traffic", "lead_unit_id": None, "assisting": "lead"}, "demand.bad_assisting"),
        ({"lead_unit_id": 99999}, "org.unknown_unit"),
    ],
)
def test_demand_dispatch_refuses_bad_choices(world, kwargs, code):
    d = f.registered(world)
    call = {"category_id": world.categories["mid"].pk, "lead_unit_id": world.cg.pk, "assisting_unit_ids": []}
    if kwargs.get("category") == "traffic":
        call["category_id"] = world.categories["traffic"].pk
        call["lead_unit_id"] = world.jj.pk
        call["assisting_unit_ids"] = [world.jj.pk]
    else:
        call.update(kwargs)
    with pytest.raises(ApplicationError) as e:
        s.demand_dispatch(actor=world.user("dispatcher"), demand_id=d.pk, **call)
    assert code_of(e) == code
    d.refresh_from_db()
    assert d.status == "registered" and not d.assignments.exists()


def test_demand_dispatch_without_a_catalogue_line_asks_for_a_unit(world):
    from linli.dispatch.services import category_create

    lonely = category_create(code="C9", name="其他", parent=None)
    d = f.registered(world)
    with pytest.raises(ApplicationError) as e:
        s.demand_dispatch(actor=world.user("dispatcher"), demand_id=d.pk, category_id=lonely.pk)
    assert code_of(e) == "demand.no_unit"


def test_demand_dispatch_twice_is_a_conflict_and_by_a_handler_is_forbidden(world):
    d = f.dispatched(world)
    with pytest.raises(ApplicationError) as e:
        s.demand_dispatch(actor=world.user("dispatcher"), demand_id=d.pk, lead_unit_id=world.jj.pk)
    assert code_of(e) == "demand.transition_not_allowed"
    other = f.registered(world)
    with pytest.raises(ApplicationError) as e:
        s.demand_dispatch(
            actor=world.user("cg_handler"), demand_id=other.pk, category_id=world.categories["mid"].pk
        )
    assert code_of(e) == "demand.action_forbidden"


def test_a_stale_version_is_refused(world):
    d = f.registered(world)
    with pytest.raises(ApplicationError) as e:
        s.demand_dispatch(
            actor=world.user("dispatcher"),
            demand_id=d.pk,
            category_id=world.categories["mid"].pk,
            expected_version=d.version + 5,
        )
    assert code_of(e) == "demand.stale" and e.value.status == 409


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


def test_demand_redispatch_after_return_goes_to_the_new_unit(world):
    d = f.dispatched(world)
    s.assignment_return(
        actor=world.user("cg_boss"), demand_id=d.pk, assignment_id=f.lead_of(d).pk, reason="属交警"
    )
    d = s.demand_redispatch(
        actor=world.user("dispatcher"), demand_id=d.pk, lead_unit_id=world.jj.pk, reason="改派交警"
    )
    assert (d.status, d.lead_unit) == ("dispatched", world.jj)
    assert f.lead_of(d).unit == world.jj
    with pytest.raises(ApplicationError) as e:
        s.demand_redispatch(
            actor=world.user("dispatcher"), demand_id=d.pk, lead_unit_id=world.cg.pk, reason=""
        )
    assert code_of(e) == "demand.reason_required"


def test_redispatch_of_a_dispatched_demand_withdraws_the_old_assignments(world):
    d = f.dispatched(world, assisting=[world.committee])
    s.demand_redispatch(
        actor=world.user("dispatcher"), demand_id=d.pk, lead_unit_id=world.jj.pk, reason="派错单位"
    )
    statuses = dict(d.assignments.values_list("unit__code", "status").order_by("id")[:2])
    assert statuses == {"CG": "cancelled", "JR": "cancelled"}


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


# --- reply, callback, reopen, close ---------------------------------------------------------------


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


# --- merge, invalid, withdraw, escalate ---------------------------------------------------------


def test_demand_merge_moves_a_duplicate_under_its_master(world):
    master = f.dispatched(world)
    dup = f.dispatched(world)
    dup = s.demand_merge(
        actor=world.user("dispatcher"), demand_id=dup.pk, master_id=master.pk, note="同一校门拥堵"
    )
    assert (dup.status, dup.master_id) == ("merged", master.pk)
    assert not dup.assignments.filter(status__in=["pending_sign", "signed"]).exists()
    assert master.events.filter(kind="merged_in").exists()
    with pytest.raises(ApplicationError) as e:
        s.demand_merge(actor=world.user("dispatcher"), demand_id=master.pk, master_id=dup.pk)
    assert code_of(e) in ("demand.bad_merge",)


def test_demand_merge_into_itself_or_a_closed_demand_is_refused(world):
    d = f.registered(world)
    with pytest.raises(ApplicationError) as e:
        s.demand_merge(actor=world.user("dispatcher"), demand_id=d.pk, master_id=d.pk)
    assert code_of(e) == "demand.bad_merge"
    closed = s.demand_resolve_at_intake(
        actor=world.user("agent"), demand_id=f.registered(world).pk, answer="已答复"
    )
    with pytest.raises(ApplicationError) as e:
        s.demand_merge(actor=world.user("dispatcher"), demand_id=d.pk, master_id=closed.pk)
    assert code_of(e) == "demand.bad_merge"


def test_mark_invalid_and_withdraw_end_the_demand_and_its_assignments(world):
    spam = f.registered(world, text="专业办证刻章，加微信")
    spam = s.demand_mark_invalid(actor=world.user("dispatcher"), demand_id=spam.pk, reason="广告")
    assert spam.status == "invalid"
    d = f.in_progress(world)
    with pytest.raises(ApplicationError):
        s.demand_mark_invalid(actor=world.user("dispatcher"), demand_id=d.pk, reason="x")
    d = s.demand_withdraw(actor=world.user("agent"), demand_id=d.pk, reason="市民来电撤销")
    assert d.status == "withdrawn"
    assert set(d.assignments.values_list("status", flat=True)) == {"cancelled"}
    with pytest.raises(ApplicationError) as e:
        s.demand_withdraw(actor=world.user("agent"), demand_id=f.registered(world).pk, reason="")
    assert code_of(e) == "demand.reason_required"


def test_demand_escalate_raises_the_level_without_changing_status(world):
    d = f.in_progress(world)
    d = s.demand_escalate(actor=world.user("leader"), demand_id=d.pk, reason="群众多次反映")
    d = s.demand_escalate(actor=world.user("coord"), demand_id=d.pk, reason="联席会议督办")
    assert (d.status, d.escalation_count) == ("in_progress", 2)
    with pytest.raises(ApplicationError) as e:
        s.demand_escalate(actor=world.user("cg_handler"), demand_id=d.pk, reason="x")
    assert code_of(e) == "demand.action_forbidden"


# --- invariants -------------------------------------------------------------------------------


def test_events_are_append_only(world):
    event = f.registered(world).events.get()
    event.note = "edited"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_the_database_refuses_a_second_active_lead(world):
    d = f.dispatched(world)
    lead = f.lead_of(d)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            demand=d,
            unit=world.jj,
            role="lead",
            dispatched_at=lead.dispatched_at,
            sign_due=lead.sign_due,
            finish_due=lead.finish_due,
        )


def test_every_change_increments_the_version(world):
    d = f.registered(world)
    v = d.version
    d = s.demand_dispatch(
        actor=world.user("dispatcher"), demand_id=d.pk, category_id=world.categories["mid"].pk
    )
    assert d.version == v + 1


def test_a_deleted_policy_row_falls_back_to_the_brief_defaults(world):
    from linli.demands.models import DeadlinePolicy

    DeadlinePolicy.objects.filter(demand_type="complaint", urgency="urgent").delete()
    with clock.at(at(2026, 11, 26, 22, 0)):
        d = f.registered(world, urgency="urgent")
        d = s.demand_dispatch(
            actor=world.user("dispatcher"), demand_id=d.pk, category_id=world.categories["mid"].pk
        )
    assert timezone.localtime(d.sign_due) == at(2026, 11, 26, 22, 30)
    assert timezone.localtime(d.finish_due) == at(2026, 11, 27, 22, 0)


def test_an_external_reference_is_registered_once_per_channel(world):
    agent = world.user("agent")
    first = s.demand_register(
        actor=agent, channel="import", demand_type="help", text="路灯不亮", external_ref="RX-1"
    )
    with pytest.raises(ApplicationError) as e:
        s.demand_register(
            actor=agent, channel="import", demand_type="help", text="路灯不亮", external_ref="RX-1"
        )
    assert code_of(e) == "demand.duplicate_external_ref" and e.value.status == 409
    other_channel = s.demand_register(
        actor=agent, channel="hotline", demand_type="help", text="路灯不亮", external_ref="RX-1"
    )
    assert first.pk != other_channel.pk
