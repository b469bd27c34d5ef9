"""Who may see which demand. ``access_demand`` fetches and authorizes in one call; what a user may not see is a 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q

from linli.core.errors import ApplicationError
from linli.demands.errors import (
    ActionForbidden,
    DemandNotFound,
    ExtensionNotPending,
    ExtensionUsed,
    NotYourAssignment,
    TransitionNotAllowed,
)
from linli.demands.models import Assignment, Demand
from linli.demands.states import (
    ASSIGNMENT_TRANSITIONS,
    DEMAND_TRANSITIONS,
    AssignmentRole,
    DemandStatus,
    ExtensionStatus,
)
from linli.org.permissions import (
    can_callback,
    can_dispatch,
    can_escalate,
    can_register,
    can_supervise,
    is_unit_staff,
)
from linli.org.states import Role

AREA_ROLES = (Role.HOTLINE_AGENT, Role.DISPATCHER, Role.COORDINATION_OFFICE, Role.LEADER, Role.ADMIN)


def demand_visibility_q(user) -> Q | None:
    """A filter for the demands this user may see; None means all of them."""
    if not user or not user.is_authenticated:
        return Q(pk__in=[])
    if user.role in AREA_ROLES:
        if user.jurisdiction_id is None:
            return None
        return Q(area_path__startswith=user.jurisdiction.path)
    if is_unit_staff(user) and user.unit_id:
        assigned = Exists(Assignment.objects.filter(demand=OuterRef("pk"), unit_id=user.unit_id))
        q = Q(assigned)
        if (
            user.role == Role.COMMUNITY_WORKER
            and user.unit
            and user.unit.jurisdiction.level in ("community", "village")
        ):
            q |= Q(community_id=user.unit.jurisdiction_id)
        return q
    return Q(pk__in=[])


def visible_demands(user):
    q = demand_visibility_q(user)
    qs = Demand.objects.all()
    return qs if q is None else qs.filter(q)


def access_demand(user, demand_id: int | None = None, *, code: str | None = None) -> Demand:
    """The demand, if this user may see it; otherwise DemandNotFound (404), whether it exists or not."""
    qs = visible_demands(user).select_related(
        "community", "category", "lead_unit", "complainant", "master", "registered_by"
    )
    demand = qs.filter(pk=demand_id).first() if demand_id is not None else qs.filter(code=code).first()
    if demand is None:
        raise DemandNotFound()
    return demand


# Channels whose demands are registered by the person who met the resident, outside the intake roles
# of ``org.permissions.can_register``: the app that owns the channel says who, for which community,
# in its ``AppConfig.ready`` (a higher app registers into a lower one). ``night_visit``: visits.
_CHANNEL_REGISTRARS: dict[str, Callable[..., bool]] = {}


def channel_registrar_set(channel: str, rule: Callable[..., bool]) -> None:
    """``rule(user, community) -> bool``: may this user register a demand of ``channel`` in ``community``."""
    _CHANNEL_REGISTRARS[channel] = rule


# Demands that arise from something of a higher app (``meeting``: an action item of a coordination meeting,
# opened by visits) may be registered by whoever that app says, for that origin only: the rule does not
# open the channel (``walk_in``) to them elsewhere, e.g. on the intake page or the API.
_ORIGIN_REGISTRARS: dict[str, Callable[..., bool]] = {}


def origin_registrar_set(origin: str, rule: Callable[..., bool]) -> None:
    """``rule(user, community) -> bool``: may this user register a demand arising from ``origin`` there."""
    _ORIGIN_REGISTRARS[origin] = rule


def may_register(user, *, channel: str, community, origin: str | None = None) -> bool:
    """Intake roles register on any channel; others only where the channel's owner (or the owner of the
    demand's origin) allows them, in the name of the person who actually did it (so the demand's events name
    who did it)."""
    if not user or not user.is_authenticated:
        return False
    if can_register(user):
        return True
    for rule in (_CHANNEL_REGISTRARS.get(channel), _ORIGIN_REGISTRARS.get(origin) if origin else None):
        if rule is not None and community is not None and rule(user, community):
            return True
    return False


# --- Who may do what to a demand now -------------------------------------------------------------------------
# One rule per action of the demand page (and of the API): the role, the rows of the transition tables in
# ``states.py`` and, for the work of a unit, the assignment's unit. The page offers an action exactly when
# ``may`` says so; the service raises what ``refusal`` returns, under the row lock. Neither keeps its own copy.


def _callback_or_dispatch(user) -> bool:
    return can_callback(user) or can_dispatch(user)


def _anyone(user) -> bool:
    return True


def _lead_or(lead: str, assisting: str) -> Callable[..., str]:
    return lambda user, target: lead if target.role == AssignmentRole.LEAD else assisting


def _by_supervisor(supervisor: Callable[..., str], handler: Callable[..., str]) -> Callable[..., str]:
    """A supervisor's return takes effect at once; a handler's waits for the supervisor."""
    return lambda user, target: (supervisor if can_supervise(user) else handler)(user, target)


@dataclass(frozen=True)
class Rule:
    """``role(user)``; the ``DEMAND_TRANSITIONS`` / ``ASSIGNMENT_TRANSITIONS`` rows (a name, or
    ``(user, assignment) -> name``); ``target``: what the action is done to besides the demand."""

    role: Callable[[Any], bool]
    demand_row: str | Callable[..., str]
    assignment_row: str | Callable[..., str] | None = None
    target: str | None = None  # None, "assignment" or "extension"


RULES: dict[str, Rule] = {
    "resolve_at_intake": Rule(_anyone, "resolve_at_intake"),  # who: ``may_register`` for the demand's channel
    "dispatch": Rule(can_dispatch, "dispatch"),
    "redispatch": Rule(can_dispatch, "redispatch"),
    "change_category": Rule(can_dispatch, "change_category"),
    "merge": Rule(can_dispatch, "merge"),
    "invalid": Rule(can_dispatch, "mark_invalid"),
    "withdraw": Rule(can_dispatch, "withdraw"),
    "callback": Rule(can_callback, "callback"),
    "reopen": Rule(_callback_or_dispatch, "reopen"),
    "close": Rule(_callback_or_dispatch, "close"),
    "escalate": Rule(can_escalate, "escalate"),
    "sign": Rule(_anyone, _lead_or("sign_lead", "sign_assisting"), "sign", "assignment"),
    "reply": Rule(_anyone, _lead_or("reply_lead", "reply_assisting"), "reply", "assignment"),
    "return": Rule(
        _anyone,
        _by_supervisor(_lead_or("return_lead", "return_assisting"), lambda u, t: "request_return"),
        _by_supervisor(lambda u, t: "return", lambda u, t: "request_return"),
        "assignment",
    ),
    "decide_return": Rule(can_supervise, "decide_return", "approve_return", "assignment"),
    "extension": Rule(_anyone, "request_extension", "request_extension", "assignment"),
    "decide_extension": Rule(can_supervise, "decide_extension", "decide_extension", "extension"),
    "progress": Rule(_anyone, "progress", "progress", "assignment"),
    "callback_unreachable": Rule(can_callback, "callback_unreachable"),
}


def demand_in_reach(user, demand: Demand) -> bool:
    """``demand_visibility_q`` for one demand in hand (the page's prefetched assignments serve, if loaded)."""
    if not user or not user.is_authenticated:
        return False
    if user.role in AREA_ROLES:
        return user.jurisdiction_id is None or bool(
            demand.area_path and demand.area_path.startswith(user.jurisdiction.path)
        )
    if is_unit_staff(user) and user.unit_id:
        if (
            user.role == Role.COMMUNITY_WORKER
            and user.unit.jurisdiction.level in ("community", "village")
            and demand.community_id == user.unit.jurisdiction_id
        ):
            return True
        return any(a.unit_id == user.unit_id for a in demand.assignments.all())
    return False


def _row(row, user, target) -> str:
    return row if isinstance(row, str) else row(user, target)


def role_refusal(user, action: str) -> ApplicationError | None:
    """The role alone: what a service can say before it locks anything."""
    if not user or not user.is_authenticated or not RULES[action].role(user):
        return ActionForbidden(details={"action": action})
    return None


def refusal(user, action: str, demand: Demand, target=None) -> ApplicationError | None:
    """Why this person may not do ``action`` to ``demand`` (and its assignment or extension ``target``) now;
    None if they may. In this order: role, unit, reach (404: the jurisdiction), the transition tables, the
    extension's state. (A unit's own assignment is always in its reach.)"""
    rule = RULES[action]
    if (error := role_refusal(user, action)) is not None:
        return error
    if action == "resolve_at_intake" and not may_register(
        user, channel=demand.channel, community=demand.community
    ):
        return ActionForbidden(details={"action": action})
    assignment = None
    if rule.target == "extension":
        assignment = target.assignment
    elif rule.target == "assignment":
        assignment = target
    if assignment is not None:
        if assignment.demand_id != demand.pk:
            return DemandNotFound(details={"assignment": assignment.pk})
        if user.role != Role.ADMIN and not (is_unit_staff(user) and user.unit_id == assignment.unit_id):
            return NotYourAssignment()
    reach = demand_in_reach(user, demand)
    if action == "resolve_at_intake":  # the person who just registered it answers at once, wherever it is
        reach = reach or demand.registered_by_id == user.pk
    if not reach:
        return DemandNotFound()
    if rule.target == "extension" and target.status != ExtensionStatus.PENDING:
        return ExtensionNotPending()
    demand_row = _row(rule.demand_row, user, assignment)
    if demand.status not in DEMAND_TRANSITIONS[demand_row][0]:
        return TransitionNotAllowed(
            details={
                "action": demand_row,
                "status": demand.status,
                "status_label": DemandStatus(demand.status).label,
            }
        )
    if assignment is not None and rule.assignment_row is not None:
        assignment_row = _row(rule.assignment_row, user, assignment)
        if assignment.status not in ASSIGNMENT_TRANSITIONS[assignment_row][0]:
            return TransitionNotAllowed(
                details={"action": assignment_row, "assignment_status": assignment.status}
            )
    if (
        action == "extension"
        and assignment is not None
        and any(
            e.status in (ExtensionStatus.PENDING, ExtensionStatus.APPROVED)
            for e in assignment.extensions.all()
        )
    ):
        return ExtensionUsed()
    return None


def may(user, action: str, demand: Demand, target=None) -> bool:
    """May this person do ``action`` to this demand (and target) now? The demand page asks this."""
    return refusal(user, action, demand, target) is None
