"""The deadline sweep: mark what is overdue and escalate it, once.

Each overdue fact (an assignment not signed in time, an assignment not
finished in time, a reply not called back in time) is stamped exactly once by
a conditional update, so running the sweep twice, or on two servers at once,
adds nothing the second time.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F

from linli.demands.models import Assignment, Demand
from linli.demands.services._base import lock_demand, now, record, save_demand
from linli.demands.services.closing import escalate_locked
from linli.demands.states import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    DemandStatus,
    EventKind,
)

logger = logging.getLogger("linli.sla")

_LABELS: dict[str, str] = {
    EventKind.SIGN_OVERDUE: "签收超时，系统自动督办",
    EventKind.FINISH_OVERDUE: "办理超期，系统自动督办",
    EventKind.CALLBACK_OVERDUE: "回访超期，系统自动督办",
}


def _assignment_overdue(assignment_id: int, demand_id: int, field: str, kind: str, statuses, at) -> bool:
    with transaction.atomic():
        demand = lock_demand(demand_id)
        won = Assignment.objects.filter(
            pk=assignment_id, status__in=list(statuses), **{f"{field}__isnull": True}
        ).update(**{field: at})
        if not won:
            return False
        assignment = Assignment.objects.select_related("unit").get(pk=assignment_id)
        due = assignment.sign_due if kind == EventKind.SIGN_OVERDUE else assignment.finish_due
        if assignment.role == AssignmentRole.LEAD and kind == EventKind.FINISH_OVERDUE:
            demand.is_overdue = True
            save_demand(demand, ["is_overdue"])
        record(demand, kind, at=at, assignment=assignment, new={"unit": assignment.unit.name, "due": due})
        escalate_locked(
            demand, actor=None, reason=f"{assignment.unit.name}：{_LABELS[kind]}", at=at, source="sla"
        )
        return True


def _callback_overdue(demand_id: int, at) -> bool:
    with transaction.atomic():
        won = Demand.objects.filter(
            pk=demand_id, status=DemandStatus.REPLIED, callback_overdue_at__isnull=True
        ).update(callback_overdue_at=at, version=F("version") + 1)
        if not won:
            return False
        demand = lock_demand(demand_id)
        record(demand, EventKind.CALLBACK_OVERDUE, at=at, new={"due": demand.callback_due})
        escalate_locked(demand, actor=None, reason=_LABELS[EventKind.CALLBACK_OVERDUE], at=at, source="sla")
        return True


def sla_sweep(*, batch: int = 500) -> dict[str, int]:
    """Stamp and escalate everything overdue as of now. Returns how many of each kind were new."""
    at = now()
    counts = {"sign_overdue": 0, "finish_overdue": 0, "callback_overdue": 0}
    sign_rows = Assignment.objects.filter(
        status=AssignmentStatus.PENDING_SIGN, sign_due__lt=at, sign_overdue_at__isnull=True
    ).values_list("pk", "demand_id")[:batch]
    for pk, demand_id in list(sign_rows):
        counts["sign_overdue"] += _assignment_overdue(
            pk, demand_id, "sign_overdue_at", EventKind.SIGN_OVERDUE, [AssignmentStatus.PENDING_SIGN], at
        )
    finish_rows = Assignment.objects.filter(
        status__in=list(ACTIVE_ASSIGNMENT_STATUSES), finish_due__lt=at, finish_overdue_at__isnull=True
    ).values_list("pk", "demand_id")[:batch]
    for pk, demand_id in list(finish_rows):
        counts["finish_overdue"] += _assignment_overdue(
            pk, demand_id, "finish_overdue_at", EventKind.FINISH_OVERDUE, ACTIVE_ASSIGNMENT_STATUSES, at
        )
    callback_rows = Demand.objects.filter(
        status=DemandStatus.REPLIED, callback_due__lt=at, callback_overdue_at__isnull=True
    ).values_list("pk", flat=True)[:batch]
    for demand_id in list(callback_rows):
        counts["callback_overdue"] += _callback_overdue(demand_id, at)
    if any(counts.values()):
        logger.info("sla sweep: %s", counts)
    if any(c == batch for c in counts.values()):
        more = sla_sweep(batch=batch)
        counts = {k: counts[k] + more[k] for k in counts}
    return counts
