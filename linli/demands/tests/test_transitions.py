"""Every row of the transition tables against every status: the allowed ones succeed through the service,
the others are refused with ``demand.transition_not_allowed`` naming the row and the status.

Many pairs cannot be reached through the services alone (no lead assignment to sign on a registered
demand), so each case starts from a demand dispatched to a lead and an assisting unit, prepared through the
services for the row (signed, a return or an extension asked for), and then has its status (or its lead
assignment's status) set to the one under test. Only the table can then tell the service apart.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from linli.core.errors import ApplicationError
from linli.demands import services as s
from linli.demands.models import Assignment, Demand, Extension
from linli.demands.states import (
    ACTIVE_ASSIGNMENT_STATUSES,
    ASSIGNMENT_TRANSITIONS,
    DEMAND_TRANSITIONS,
    AssignmentStatus,
    DemandStatus,
    ExtensionStatus,
)
from linli.org.services import staff_create
from linli.org.states import Role
from linli.org.tests.factories import PASSWORD, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = make_world()
        world.users["jj_boss"] = staff_create(
            username="jj_boss", password=PASSWORD, role=Role.UNIT_SUPERVISOR, unit=world.jj
        )
        yield world
        transaction.set_rollback(True)


def _base(w) -> Demand:
    d = s.demand_register(
        actor=w.user("agent"),
        channel="hotline",
        demand_type="complaint",
        text="学校门口早晚高峰堵车，流动摊贩占道。",
        community_id=w.community.pk,
        phone="13812341234",
    )
    return s.demand_dispatch(
        actor=w.user("dispatcher"),
        demand_id=d.pk,
        category_id=w.categories["mid"].pk,
        lead_unit_id=w.cg.pk,
        assisting_unit_ids=[w.jj.pk],
    )


def _lead(d) -> Assignment:
    return d.assignments.get(role="lead")


def _assisting(d) -> Assignment:
    return d.assignments.get(role="assisting")


def _master(w) -> Demand:
    return s.demand_register(
        actor=w.user("agent"),
        channel="hotline",
        demand_type="complaint",
        text="另一件：小区路灯不亮，晚上出行不便。",
        community_id=w.community.pk,
        phone="13900001111",
    )


def _sign_lead(w, d):
    s.assignment_sign(actor=w.user("cg_handler"), demand_id=d.pk, assignment_id=_lead(d).pk)


def _extension(w, d) -> Extension:
    _sign_lead(w, d)
    return s.extension_request(
        actor=w.user("cg_handler"), demand_id=d.pk, assignment_id=_lead(d).pk, days=3, reason="等待配件"
    )


def _request_return(w, d):
    s.assignment_return(
        actor=w.user("cg_handler"), demand_id=d.pk, assignment_id=_lead(d).pk, reason="非本单位"
    )


# Each row of DEMAND_TRANSITIONS: (prepare the base demand through the services, the service call of the row).
DEMAND_ROWS = {
    "resolve_at_intake": (
        None,
        lambda w, d: s.demand_resolve_at_intake(actor=w.user("agent"), demand_id=d.pk, answer="已解答"),
    ),
    "dispatch": (
        None,
        lambda w, d: s.demand_dispatch(
            actor=w.user("dispatcher"),
            demand_id=d.pk,
            lead_unit_id=w.cg.pk,
            category_id=w.categories["mid"].pk,
        ),
    ),
    "redispatch": (
        None,
        lambda w, d: s.demand_redispatch(
            actor=w.user("dispatcher"), demand_id=d.pk, lead_unit_id=w.jj.pk, reason="派错单位"
        ),
    ),
    "sign_lead": (
        None,
        lambda w, d: s.assignment_sign(actor=w.user("cg_handler"), demand_id=d.pk, assignment_id=_lead(d).pk),
    ),
    "sign_assisting": (
        None,
        lambda w, d: s.assignment_sign(
            actor=w.user("jj_handler"), demand_id=d.pk, assignment_id=_assisting(d).pk
        ),
    ),
    "return_lead": (
        None,
        lambda w, d: s.assignment_return(
            actor=w.user("cg_boss"), demand_id=d.pk, assignment_id=_lead(d).pk, reason="非本单位职责"
        ),
    ),
    "return_assisting": (
        None,
        lambda w, d: s.assignment_return(
            actor=w.user("jj_boss"), demand_id=d.pk, assignment_id=_assisting(d).pk, reason="非本单位职责"
        ),
    ),
    "request_return": (
        None,
        lambda w, d: s.assignment_return(
            actor=w.user("cg_handler"), demand_id=d.pk, assignment_id=_lead(d).pk, reason="非本单位职责"
        ),
    ),
    "decide_return": (
        _request_return,
        lambda w, d: s.assignment_return_decide(
            actor=w.user("cg_boss"),
            demand_id=d.pk,
            assignment_id=_lead(d).pk,
            approve=False,
            note="请继续办理",
        ),
    ),
    "request_extension": (
        _sign_lead,
        lambda w, d: s.extension_request(
            actor=w.user("cg_handler"), demand_id=d.pk, assignment_id=_lead(d).pk, days=3, reason="等待配件"
        ),
    ),
    "decide_extension": (
        _extension,
        lambda w, d: s.extension_decide(
            actor=w.user("cg_boss"), extension_id=Extension.objects.get(assignment__demand=d).pk, approve=True
        ),
    ),
    "reply_lead": (
        _sign_lead,
        lambda w, d: s.assignment_reply(
            actor=w.user("cg_handler"), demand_id=d.pk, assignment_id=_lead(d).pk, result="已处理"
        ),
    ),
    "reply_assisting": (
        lambda w, d: s.assignment_sign(
            actor=w.user("jj_handler"), demand_id=d.pk, assignment_id=_assisting(d).pk
        ),
        lambda w, d: s.assignment_reply(
            actor=w.user("jj_handler"), demand_id=d.pk, assignment_id=_assisting(d).pk, result="已配合"
        ),
    ),
    "callback": (
        None,
        lambda w, d: s.demand_callback(
            actor=w.user("agent"), demand_id=d.pk, resolved=True, satisfaction="satisfied"
        ),
    ),
    "reopen": (None, lambda w, d: s.demand_reopen(actor=w.user("agent"), demand_id=d.pk, reason="问题仍在")),
    "close": (None, lambda w, d: s.demand_close(actor=w.user("agent"), demand_id=d.pk, note="联系不上群众")),
    "merge": (
        None,
        lambda w, d: s.demand_merge(actor=w.user("dispatcher"), demand_id=d.pk, master_id=_master(w).pk),
    ),
    "mark_invalid": (
        None,
        lambda w, d: s.demand_mark_invalid(actor=w.user("dispatcher"), demand_id=d.pk, reason="骚扰电话"),
    ),
    "withdraw": (
        None,
        lambda w, d: s.demand_withdraw(actor=w.user("dispatcher"), demand_id=d.pk, reason="群众要求撤销"),
    ),
    "escalate": (
        None,
        lambda w, d: s.demand_escalate(actor=w.user("leader"), demand_id=d.pk, reason="多次来电"),
    ),
    "change_category": (
        None,
        lambda w, d: s.demand_change_category(
            actor=w.user("dispatcher"), demand_id=d.pk, category_id=w.categories["traffic"].pk
        ),
    ),
}

DEMAND_ROWS.update(
    {
        "progress": (
            _sign_lead,
            lambda w, d: s.assignment_progress(
                actor=w.user("cg_handler"), demand_id=d.pk, assignment_id=_lead(d).pk, note="已到现场查看"
            ),
        ),
        "callback_unreachable": (
            None,
            lambda w, d: s.demand_callback_unreachable(
                actor=w.user("agent"), demand_id=d.pk, note="无人接听"
            ),
        ),
        "me_too": (None, lambda w, d: s.demand_me_too(demand_id=d.pk, phone="13911110000")),
    }
)

DEMAND_CASES = [(row, status) for row in DEMAND_TRANSITIONS for status in DemandStatus.values]


def test_every_row_of_the_demand_table_has_a_service_call():
    assert sorted(DEMAND_ROWS) == sorted(DEMAND_TRANSITIONS)
    assert len(DEMAND_CASES) == 24 * 10


@pytest.mark.parametrize(("row", "status"), DEMAND_CASES)
def test_the_demand_table_decides(w, row, status):
    prepare, call = DEMAND_ROWS[row]
    d = _base(w)
    if prepare is not None:
        prepare(w, d)
    # a merged demand always names its master (a database constraint)
    master = _master(w) if status == DemandStatus.MERGED else None
    Demand.objects.filter(pk=d.pk).update(status=status, master=master)
    allowed, target = DEMAND_TRANSITIONS[row]
    if status in allowed:
        call(w, d)
        d.refresh_from_db()
        assert d.status == (target or status)
    else:
        with pytest.raises(ApplicationError) as e:
            call(w, d)
        assert e.value.code == "demand.transition_not_allowed", e.value.details
        assert e.value.details["status"] == status
        assert Demand.objects.get(pk=d.pk).status == status


# Each row of ASSIGNMENT_TRANSITIONS, done to the lead assignment of a demand in progress (signed first where
# the row needs an extension asked for): (prepare, the service call).
ASSIGNMENT_ROWS = {
    "sign": (None, DEMAND_ROWS["sign_lead"][1]),
    "request_return": (None, DEMAND_ROWS["request_return"][1]),
    "return": (None, DEMAND_ROWS["return_lead"][1]),
    "approve_return": (
        None,
        lambda w, d: s.assignment_return_decide(
            actor=w.user("cg_boss"), demand_id=d.pk, assignment_id=_lead(d).pk, approve=True
        ),
    ),
    "reject_return": (None, DEMAND_ROWS["decide_return"][1]),
    "request_extension": (None, DEMAND_ROWS["request_extension"][1]),
    "decide_extension": (_extension, DEMAND_ROWS["decide_extension"][1]),
    "reply": (None, DEMAND_ROWS["reply_lead"][1]),
    "progress": (None, DEMAND_ROWS["progress"][1]),
}
# The demand status each row is tried in (one its demand row allows), so only the assignment's status differs.
DEMAND_STATUS_FOR = {"sign": DemandStatus.DISPATCHED}

ASSIGNMENT_CASES = [(row, status) for row in ASSIGNMENT_ROWS for status in AssignmentStatus.values]


def test_every_row_of_the_assignment_table_has_a_case():
    # "cancel" has no service of its own: it is what withdrawing, merging, re-dispatching … do to the
    # active assignments, tested below.
    assert sorted([*ASSIGNMENT_ROWS, "cancel"]) == sorted(ASSIGNMENT_TRANSITIONS)
    assert len(ASSIGNMENT_CASES) == 9 * 6


@pytest.mark.parametrize(("row", "status"), ASSIGNMENT_CASES)
def test_the_assignment_table_decides(w, row, status):
    prepare, call = ASSIGNMENT_ROWS[row]
    d = _base(w)
    if prepare is not None:
        prepare(w, d)
    lead = _lead(d)
    Assignment.objects.filter(pk=lead.pk).update(
        status=status, signed_at=None if status == "pending_sign" else lead.signed_at
    )
    Demand.objects.filter(pk=d.pk).update(status=DEMAND_STATUS_FOR.get(row, DemandStatus.IN_PROGRESS))
    allowed, target = ASSIGNMENT_TRANSITIONS[row]
    if status in allowed:
        call(w, d)
        lead.refresh_from_db()
        if target is not None:
            assert lead.status == target
        else:  # a rejected return goes back to where it was; an extension leaves the status alone
            assert lead.status in (AssignmentStatus.SIGNED, AssignmentStatus.PENDING_SIGN)
    else:
        with pytest.raises(ApplicationError) as e:
            call(w, d)
        assert e.value.code == "demand.transition_not_allowed", e.value.details
        assert e.value.details["assignment_status"] == status
        assert Assignment.objects.get(pk=lead.pk).status == status


@pytest.mark.parametrize("status", AssignmentStatus.values)
def test_ending_a_demand_cancels_exactly_the_active_assignments(w, status):
    d = _base(w)
    lead = _lead(d)
    Assignment.objects.filter(pk=lead.pk).update(status=status)
    s.demand_withdraw(actor=w.user("dispatcher"), demand_id=d.pk, reason="群众要求撤销")
    lead.refresh_from_db()
    assert lead.status == (AssignmentStatus.CANCELLED if status in ACTIVE_ASSIGNMENT_STATUSES else status)
    assert _assisting(d).status == AssignmentStatus.CANCELLED  # it was pending


@pytest.mark.parametrize("status", ExtensionStatus.values)
def test_only_a_pending_extension_is_decided(w, status):
    d = _base(w)
    extension = _extension(w, d)
    Extension.objects.filter(pk=extension.pk).update(status=status)
    if status == ExtensionStatus.PENDING:
        s.extension_decide(actor=w.user("cg_boss"), extension_id=extension.pk, approve=False, note="不予延期")
        extension.refresh_from_db()
        assert extension.status == ExtensionStatus.REJECTED
    else:
        with pytest.raises(ApplicationError) as e:
            s.extension_decide(actor=w.user("cg_boss"), extension_id=extension.pk, approve=True)
        assert e.value.code == "demand.extension_not_pending"
        assert Extension.objects.get(pk=extension.pk).status == status
