"""Taking a demand in (services/intake.py) and sending it on (services/routing.py): register, answer at intake, dispatch, redispatch, merge, invalid, withdraw."""

import pytest
from django.utils import timezone

from linli.core import clock
from linli.core.errors import ApplicationError
from linli.demands import services as s
from linli.demands.models import DemandEvent
from linli.demands.tests import factories as f
from linli.demands.tests.helpers import at, code_of

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


@pytest.mark.parametrize("register", ["submit", "register"])
def test_a_taken_tracking_code_is_drawn_again_in_a_fresh_transaction(world, monkeypatch, register):
    taken = f.registered(world).code
    codes = iter([taken, taken, "LL261120QQQQQQ"])
    monkeypatch.setattr("linli.demands.services.intake.tracking_code", lambda: next(codes))
    fields = {"channel": "hotline", "demand_type": "help", "text": "楼道灯不亮", "phone": "13900002222"}
    if register == "submit":
        demand = s.demand_submit(actor=world.user("agent"), **fields).demand
    else:
        demand = s.demand_register(actor=world.user("agent"), **fields)
    assert demand.code == "LL261120QQQQQQ"
    assert list(demand.events.values_list("kind", flat=True)) == ["registered"]
    assert DemandEvent.objects.filter(demand__text="楼道灯不亮").count() == 1


def test_a_registration_that_keeps_clashing_is_refused_and_leaves_nothing(world, monkeypatch):
    taken = f.registered(world).code
    monkeypatch.setattr("linli.demands.services.intake.tracking_code", lambda: taken)
    with pytest.raises(ApplicationError) as e:
        s.demand_submit(actor=world.user("agent"), channel="hotline", demand_type="help", text="楼道灯不亮")
    assert code_of(e) == "demand.registration_clash" and e.value.status == 409
    assert not DemandEvent.objects.filter(demand__text="楼道灯不亮").exists()


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


# --- redispatch ---------------------------------------------------------------------------------


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


# --- merge, invalid, withdraw -------------------------------------------------------------------


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
