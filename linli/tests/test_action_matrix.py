"""The demand page offers an action exactly when the service accepts it.

For every action of the page × a demand in every status (with its assignments and extensions in the states
they take on the way) × a person of every role, inside and outside the jurisdiction: the page is opened as
that person would open it (``access_demand``, then ``available_actions``), and the same action is sent the
way the page sends it (its form, then its service call). Offered and accepted must agree; a refusal is one
of the typed "not yours / not now" errors, never a validation error of a correctly filled form.

The demands are built once for the module through the services; each case runs in the test's own
transaction, which is rolled back, so one case never sees another's change.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from linli.core.errors import ApplicationError
from linli.demands import services as s
from linli.demands.permissions import RULES, access_demand
from linli.demands.selectors import demand_detail
from linli.demands.states import AssignmentStatus, DemandStatus, ExtensionStatus
from linli.demands.views.actions import ACTIONS, available_actions, targets
from linli.org.services import jurisdiction_create, staff_create, unit_create
from linli.org.states import EMPOWER_ROLES, Role
from linli.org.tests.factories import PASSWORD, make_world

pytestmark = pytest.mark.django_db

# name -> (role, unit key or None, jurisdiction key or None). "far_*" work elsewhere in the city.
PEOPLE = {
    "agent": None,
    "dispatcher": None,
    "cg_handler": None,
    "cg_boss": None,
    "jj_handler": None,
    "jj_boss": (Role.UNIT_SUPERVISOR, "jj", None),
    "worker": None,
    "coord": None,
    "leader": None,
    "admin": None,
    "far_dispatcher": (Role.DISPATCHER, None, "far_district"),
    "far_leader": (Role.LEADER, None, "far_district"),
    "far_worker": (Role.COMMUNITY_WORKER, "far_committee", None),
}

# Each demand, how it got there, and how many assignments and extensions it has (so no loop can be empty).
STATES = {
    "registered": (0, 0),
    "resolved_at_intake": (0, 0),
    "dispatched": (2, 0),
    "in_progress": (2, 0),
    "return_requested": (2, 0),
    "extension_pending": (2, 1),
    "extension_approved": (2, 1),
    "extension_rejected": (2, 1),
    "returned": (2, 0),
    "redispatched": (3, 0),
    "replied": (2, 0),
    "called_back": (2, 0),
    "closed": (2, 0),
    "invalid": (0, 0),
    "withdrawn": (2, 0),
    "merged": (0, 0),
}

# What a person types into each form, filled in correctly.
FORMS = {
    "sign": {},
    "reply": {"result": "已清理占道摊贩，设置护学岗。"},
    "extension": {"days": "3", "reason": "需协调多个部门联合处置"},
    "return": {"reason": "不属于本单位职责"},
    "decide_return": {"decision": "approve", "note": ""},
    "decide_extension": {"decision": "approve", "note": ""},
    "resolve_at_intake": {"answer": "已在电话中解答政策。"},
    "dispatch": {"lead_unit": "cg", "category": "mid", "instructions": ""},
    "redispatch": {"lead_unit": "jj", "category": "mid", "instructions": "派错单位，改派交警"},
    "callback": {"resolved": "yes", "satisfaction": "satisfied", "note": "电话回访"},
    "reopen": {"reason": "群众反映问题仍在"},
    "close": {"note": "多次联系不上群众"},
    "merge": {"master_code": "master", "note": "同一问题"},
    "escalate": {"reason": "群众多次来电"},
    "invalid": {"reason": "骚扰电话"},
    "withdraw": {"reason": "群众要求撤销"},
}

REFUSALS = {
    "demand.not_found",
    "demand.action_forbidden",
    "demand.not_your_assignment",
    "demand.transition_not_allowed",
    "demand.extension_used",
    "demand.extension_not_pending",
}


def _lead(d):
    return d.assignments.get(role="lead", status__in=["pending_sign", "signed", "return_requested"])


def _assisting(d):
    return d.assignments.get(role="assisting")


def _build(w, people) -> dict:
    agent, dispatcher = people["agent"], people["dispatcher"]
    cg_handler, cg_boss, jj_handler = people["cg_handler"], people["cg_boss"], people["jj_handler"]

    def registered(text="学校门口早晚高峰堵车，流动摊贩占道。"):
        return s.demand_register(
            actor=agent,
            channel="hotline",
            demand_type="complaint",
            text=text,
            community_id=w.community.pk,
            phone="13812341234",
        )

    def dispatched():
        d = registered()
        return s.demand_dispatch(
            actor=dispatcher,
            demand_id=d.pk,
            category_id=w.categories["mid"].pk,
            lead_unit_id=w.cg.pk,
            assisting_unit_ids=[w.jj.pk],
        )

    def in_progress():
        d = dispatched()
        s.assignment_sign(actor=cg_handler, demand_id=d.pk, assignment_id=_lead(d).pk)
        return d

    def with_extension(decision):
        d = in_progress()
        e = s.extension_request(
            actor=cg_handler, demand_id=d.pk, assignment_id=_lead(d).pk, days=3, reason="等待配件"
        )
        if decision is not None:
            s.extension_decide(actor=cg_boss, extension_id=e.pk, approve=decision, note="")
        return d

    def replied():
        d = in_progress()
        s.assignment_reply(actor=cg_handler, demand_id=d.pk, assignment_id=_lead(d).pk, result="已处理")
        return d

    def called_back():
        d = replied()
        s.demand_callback(actor=agent, demand_id=d.pk, resolved=True, satisfaction="satisfied")
        return d

    built = {"master": registered("另一件：小区路灯不亮，晚上出行不便。")}
    built["registered"] = registered()
    d = registered()
    built["resolved_at_intake"] = s.demand_resolve_at_intake(actor=agent, demand_id=d.pk, answer="已解答")
    built["dispatched"] = dispatched()
    built["in_progress"] = in_progress()
    d = in_progress()
    s.assignment_sign(actor=jj_handler, demand_id=d.pk, assignment_id=_assisting(d).pk)
    s.assignment_return(actor=cg_handler, demand_id=d.pk, assignment_id=_lead(d).pk, reason="非本单位职责")
    built["return_requested"] = d
    built["extension_pending"] = with_extension(None)
    built["extension_approved"] = with_extension(True)
    built["extension_rejected"] = with_extension(False)
    d = dispatched()
    s.assignment_return(actor=cg_boss, demand_id=d.pk, assignment_id=_lead(d).pk, reason="非本单位职责")
    built["returned"] = d
    d = dispatched()
    s.demand_redispatch(actor=dispatcher, demand_id=d.pk, lead_unit_id=w.jj.pk, reason="改派交警")
    built["redispatched"] = d
    built["replied"] = replied()
    built["called_back"] = called_back()
    d = called_back()
    built["closed"] = s.demand_close(actor=agent, demand_id=d.pk)
    d = registered()
    built["invalid"] = s.demand_mark_invalid(actor=dispatcher, demand_id=d.pk, reason="骚扰电话")
    d = dispatched()
    built["withdrawn"] = s.demand_withdraw(actor=dispatcher, demand_id=d.pk, reason="群众要求撤销")
    d = registered()
    built["merged"] = s.demand_merge(actor=dispatcher, demand_id=d.pk, master_id=built["master"].pk)
    return {name: demand.pk for name, demand in built.items()}


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        w = make_world()
        far_district = jurisdiction_create(code="350903", name="远山区", level="district", parent=w.city)
        far_committee = unit_create(
            code="YS", name="涵江村委会", kind="village_committee", jurisdiction=w.other_community
        )
        units = {"jj": w.jj, "far_committee": far_committee}
        people = {}
        for name, spec in PEOPLE.items():
            if spec is None:
                people[name] = w.user(name)
                continue
            role, unit, area = spec
            people[name] = staff_create(
                username=name,
                password=PASSWORD,
                role=role,
                unit=units.get(unit),
                jurisdiction=far_district if area else None,
            )
        demands = _build(w, people)
        yield w, people, demands
        transaction.set_rollback(True)


def _post(w, demands, action: str) -> dict:
    data = dict(FORMS[action])
    if "lead_unit" in data:
        data["lead_unit"] = getattr(w, data["lead_unit"]).pk
        data["category"] = w.categories[data["category"]].pk
    if action == "merge":
        from linli.demands.models import Demand

        data["master_code"] = Demand.objects.get(pk=demands["master"]).code
    return data


CASES = [(state, action) for state in STATES for action in ACTIONS]
_OFFERS: dict[tuple[str, str], set[tuple[str, int | None]]] = {}  # the page as each person sees it


def test_every_action_and_status_is_a_case_for_every_person():
    assert sorted(FORMS) == sorted(ACTIONS) == sorted(name for name in ACTIONS if name in RULES)
    assert len(CASES) == len(STATES) * len(ACTIONS) == 16 * 16
    assert len(PEOPLE) == 13


def test_the_cases_cover_every_status_and_every_role(city):
    from linli.demands.models import Assignment, Demand, Extension

    _w, people, demands = city
    ids = [demands[n] for n in STATES]
    assert set(Demand.objects.filter(pk__in=ids).values_list("status", flat=True)) == set(DemandStatus.values)
    assignment_statuses = Assignment.objects.filter(demand_id__in=ids).values_list("status", flat=True)
    assert set(assignment_statuses) == set(AssignmentStatus.values)
    extension_statuses = Extension.objects.filter(assignment__demand_id__in=ids).values_list(
        "status", flat=True
    )
    assert set(extension_statuses) == set(ExtensionStatus.values)
    # every governance role (the empowerment accounts get nothing from any demand page: the jurisdiction matrix)
    assert {user.role for user in people.values()} == set(Role.values) - set(EMPOWER_ROLES)


def _offers(user, who: str, state: str, demand_id: int) -> set[tuple[str, int | None]]:
    """What the page offers this person on this demand: nothing if it answers 404. Each case rolls back, so
    the page of a (demand, person) is the same in every case and is worked out once."""
    if (state, who) not in _OFFERS:
        try:
            demand = demand_detail(demand=access_demand(user, demand_id))
        except ApplicationError:
            _OFFERS[state, who] = set()
        else:
            _OFFERS[state, who] = {
                (o.action.name, getattr(o.target, "pk", None)) for o in available_actions(user, demand)
            }
    return _OFFERS[state, who]


@pytest.mark.parametrize(("state", "action"), CASES)
def test_the_page_offers_exactly_what_the_service_accepts(city, state, action):
    w, people, demands = city
    spec = ACTIONS[action]
    demand = demand_detail(demand=access_demand(people["admin"], demands[state]))
    assignments, extensions = STATES[state]
    on = targets(spec, demand)
    assert len(on) == (extensions if spec.per_extension else assignments if spec.per_assignment else 1)
    checked = 0
    for who, user in people.items():
        offered_on = _offers(user, who, state, demand.pk)
        for target in on:
            form = spec.form(_post(w, demands, action))
            assert form.is_valid(), form.errors
            try:
                with transaction.atomic():
                    spec.run(user, demand, target, form.cleaned_data, None)
                    transaction.set_rollback(True)
            except ApplicationError as exc:
                assert exc.code in REFUSALS, (who, exc.code, exc.details)
                accepted, why = False, exc.code
            else:
                accepted, why = True, "ok"
            offered = (action, getattr(target, "pk", None)) in offered_on
            assert offered == accepted, f"{who} on {target}: offered={offered}, the service says {why}"
            checked += 1
    assert checked == len(PEOPLE) * len(on)
