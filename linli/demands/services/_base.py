"""Shared steps of every demand transition: lock, check the table, save, record the event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from linli.core import clock
from linli.core.calendar import add_duration
from linli.core.transitions import moving
from linli.demands.errors import (
    ActionForbidden,
    DemandNotFound,
    StaleVersion,
    TransitionNotAllowed,
)
from linli.demands.models import Assignment, DeadlinePolicy, Demand, DemandEvent
from linli.demands.permissions import refusal, role_refusal
from linli.demands.states import ASSIGNMENT_TRANSITIONS, DEMAND_TRANSITIONS, DemandStatus, DemandType, Urgency


def now() -> dt.datetime:
    return clock.now()


def _json(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


def lock_demand(demand_id: int, *, expected_version: int | None = None) -> Demand:
    """The demand row, locked until the transaction ends; checks the client's version if it sent one."""
    try:
        demand = Demand.objects.select_for_update().get(pk=demand_id)
    except Demand.DoesNotExist:
        raise DemandNotFound() from None
    if expected_version is not None and expected_version != demand.version:
        raise StaleVersion(details={"expected_version": expected_version, "current_version": demand.version})
    return demand


def lock_assignment(demand: Demand, assignment_id: int) -> Assignment:
    try:
        assignment = (
            Assignment.objects.select_for_update().select_related("unit").get(pk=assignment_id, demand=demand)
        )
    except Assignment.DoesNotExist:
        raise DemandNotFound(details={"assignment": assignment_id}) from None
    return assignment


def check_demand(action: str, demand: Demand) -> str | None:
    allowed, target = DEMAND_TRANSITIONS[action]
    if demand.status not in allowed:
        raise TransitionNotAllowed(
            details={
                "action": action,
                "status": demand.status,
                "status_label": DemandStatus(demand.status).label,
            }
        )
    return target


def check_assignment(action: str, assignment: Assignment) -> str | None:
    allowed, target = ASSIGNMENT_TRANSITIONS[action]
    if assignment.status not in allowed:
        raise TransitionNotAllowed(details={"action": action, "assignment_status": assignment.status})
    return target


def check_demand_move(action: str, demand: Demand) -> str:
    """``check_demand`` for an action that always changes the demand's status."""
    return moving(check_demand(action, demand), action)


def check_assignment_move(action: str, assignment: Assignment) -> str:
    """``check_assignment`` for an action that always changes the assignment's status."""
    return moving(check_assignment(action, assignment), action)


def require(allowed: bool) -> None:
    if not allowed:
        raise ActionForbidden()


def require_role(actor, action: str) -> None:
    """Before any lock: the role of ``demands.permissions.RULES[action]``."""
    if (error := role_refusal(actor, action)) is not None:
        raise error


def require_may(actor, action: str, demand: Demand, target=None) -> None:
    """Under the lock: everything the demand page asks before it offers ``action`` (``permissions.may``)."""
    if (error := refusal(actor, action, demand, target)) is not None:
        raise error


def save_demand(demand: Demand, fields: list[str]) -> None:
    demand.version += 1
    demand.save(update_fields=[*fields, "version"])


def record(
    demand: Demand,
    kind: str,
    *,
    actor=None,
    at: dt.datetime | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    note: str = "",
    assignment: Assignment | None = None,
) -> DemandEvent:
    return DemandEvent.objects.create(
        demand=demand,
        assignment=assignment,
        kind=kind,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        at=at or now(),
        old={k: _json(v) for k, v in (old or {}).items()},
        new={k: _json(v) for k, v in (new or {}).items()},
        note=note,
    )


def prefetched(demand: Demand, **relations: list) -> Demand:
    """Mark ``demand``'s related lists as already read (Django's prefetch cache), e.g. the one event of a
    demand just registered: ``demand.events.all()`` then answers from memory instead of a query."""
    cache = getattr(demand, "_prefetched_objects_cache", None)
    if cache is None:
        cache = {}
        demand._prefetched_objects_cache = cache  # type: ignore[attr-defined]
    for name, rows in relations.items():
        rows_read = getattr(demand, name).all()  # what ``prefetch_related`` leaves: a queryset already read
        rows_read._result_cache, rows_read._prefetch_done = list(rows), True
        cache[name] = rows_read
    return demand


def policy_for(demand: Demand) -> DeadlinePolicy:
    """The configured row; the brief's default when a city deleted it (never a crash)."""
    policy = DeadlinePolicy.objects.filter(demand_type=demand.demand_type, urgency=demand.urgency).first()
    return policy or default_policy(demand.demand_type, demand.urgency)


def default_policy(demand_type: str, urgency: str) -> DeadlinePolicy:
    """The defaults of the brief, section 3 (the same values the data migration seeds)."""
    if urgency == Urgency.URGENT:
        return DeadlinePolicy(
            demand_type=demand_type,
            urgency=urgency,
            sign_amount=30,
            sign_unit="minutes",
            finish_amount=24,
            finish_unit="hours",
            max_extension_days=15,
            callback_days=2,
        )
    finish_days: dict[str, int] = {
        DemandType.CONSULTATION: 3,
        DemandType.SUGGESTION: 15,
        DemandType.PRAISE: 15,
    }
    finish = finish_days.get(demand_type, 7)
    return DeadlinePolicy(
        demand_type=demand_type,
        urgency=urgency,
        sign_amount=2,
        sign_unit="working_hours",
        finish_amount=finish,
        finish_unit="working_days",
        max_extension_days=15,
        callback_days=2,
    )


def assignment_deadlines(policy: DeadlinePolicy, start: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    sign_due = add_duration(start, policy.sign_amount, policy.sign_unit)
    finish_due = add_duration(start, policy.finish_amount, policy.finish_unit)
    return sign_due, max(sign_due, finish_due)
