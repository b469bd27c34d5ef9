"""Sending a demand to units and joining duplicates: dispatch, re-dispatch, category, merge.

``resolve_units``, ``open_assignments`` and ``cancel_active`` are shared with closing (escalation, reopening)
and ending (invalid, withdrawn)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from linli.core.text import clean_text
from linli.demands.errors import (
    BadAssisting,
    BadMerge,
    CategoryRequired,
    DemandNotFound,
    NoUnit,
    ReasonRequired,
)
from linli.demands.models import Assignment, Demand
from linli.demands.permissions import demand_in_reach
from linli.demands.services._base import (
    assignment_deadlines,
    check_assignment,
    check_demand_move,
    lock_demand,
    now,
    policy_for,
    record,
    require_may,
    require_role,
    save_demand,
)
from linli.demands.states import ACTIVE_ASSIGNMENT_STATUSES, AssignmentRole, AssignmentStatus, EventKind
from linli.dispatch.selectors import category_get, route_unit
from linli.dispatch.services import dispatch_decision_record, signature_update
from linli.org.selectors import unit_get

MERGE_MASTER_STATUSES = ("registered", "dispatched", "in_progress", "returned", "replied", "called_back")


def resolve_units(lead_unit_id: int, assisting_unit_ids: Sequence[int]):
    lead = unit_get(unit_id=lead_unit_id)
    ids = list(assisting_unit_ids or [])
    if lead.pk in ids or len(set(ids)) != len(ids):
        raise BadAssisting(details={"lead": lead.pk, "assisting": ids})
    return lead, [unit_get(unit_id=i) for i in ids]


def apply_category(demand: Demand, category_id: int | None, actor, at) -> None:
    if category_id is None or category_id == demand.category_id:
        return
    category = category_get(category_id=category_id)
    old = demand.category.full_name if demand.category is not None else ""
    demand.category, demand.category_top_id = category, category.top_id
    signature_update(demand_id=demand.pk, category_id=category.pk)
    record(
        demand,
        EventKind.CATEGORY_CHANGED,
        actor=actor,
        at=at,
        old={"category": old},
        new={"category": category.full_name},
    )


def open_assignments(demand: Demand, lead, assisting, actor, at, instructions: str) -> Assignment:
    sign_due, finish_due = assignment_deadlines(policy_for(demand), at)
    created = []
    for unit, role in [(lead, AssignmentRole.LEAD)] + [(u, AssignmentRole.ASSISTING) for u in assisting]:
        created.append(
            Assignment.objects.create(
                demand=demand,
                unit=unit,
                role=role,
                dispatched_at=at,
                dispatched_by=actor if actor and actor.pk else None,
                sign_due=sign_due,
                finish_due=finish_due,
                instructions=instructions,
            )
        )
    demand.lead_unit, demand.dispatched_at, demand.sign_due, demand.finish_due = (
        lead,
        at,
        sign_due,
        finish_due,
    )
    demand.is_overdue = False
    return created[0]


def cancel_active(demand: Demand, actor, at, *, keep_unit_ids: Sequence[int] = (), reason: str = "") -> None:
    for assignment in Assignment.objects.select_for_update().filter(
        demand=demand, status__in=list(ACTIVE_ASSIGNMENT_STATUSES)
    ):
        if assignment.unit_id in keep_unit_ids:
            continue
        check_assignment("cancel", assignment)
        old = assignment.status
        assignment.status = AssignmentStatus.CANCELLED
        assignment.save(update_fields=["status"])
        record(
            demand,
            EventKind.ASSIGNMENT_CANCELLED,
            actor=actor,
            at=at,
            assignment=assignment,
            old={"status": old},
            new={"status": assignment.status, "unit": assignment.unit.name},
            note=reason,
        )


def _dispatch(
    action: str,
    kind: str,
    *,
    actor,
    demand_id,
    lead_unit_id,
    assisting_unit_ids,
    category_id,
    instructions,
    expected_version,
    reason="",
):
    require_role(actor, action)
    demand = lock_demand(demand_id, expected_version=expected_version)
    require_may(actor, action, demand)
    target = check_demand_move(action, demand)
    at = now()
    apply_category(demand, category_id, actor, at)
    category = demand.category
    if category is None:
        raise CategoryRequired()
    if lead_unit_id is None:
        lead_unit_id = route_unit(category=category, community=demand.community)
        if lead_unit_id is None:
            raise NoUnit(details={"category": category.full_name})
    lead, assisting = resolve_units(lead_unit_id, assisting_unit_ids)
    cancel_active(demand, actor, at, reason=reason or "改派")
    old = {
        "status": demand.status,
        "lead_unit": demand.lead_unit.name if demand.lead_unit is not None else "",
    }
    open_assignments(demand, lead, assisting, actor, at, instructions)
    demand.status = target
    save_demand(
        demand,
        [
            "status",
            "category",
            "category_top",
            "lead_unit",
            "dispatched_at",
            "sign_due",
            "finish_due",
            "is_overdue",
        ],
    )
    record(
        demand,
        kind,
        actor=actor,
        at=at,
        old=old,
        note=reason or instructions,
        new={
            "status": target,
            "lead_unit": lead.name,
            "assisting_units": [u.name for u in assisting],
            "sign_due": demand.sign_due,
            "finish_due": demand.finish_due,
        },
    )
    # What the model would have said, next to what the dispatcher chose: corrections train the next model.
    dispatch_decision_record(
        demand_id=demand.pk,
        kind=action,
        text=demand.text,
        title=demand.title,
        community=demand.community,
        final_category=category,
        final_unit_id=lead.pk,
        at=at,
    )
    return demand


@transaction.atomic
def demand_dispatch(
    *,
    actor,
    demand_id: int,
    lead_unit_id: int | None = None,
    assisting_unit_ids: Sequence[int] = (),
    category_id: int | None = None,
    instructions: str = "",
    expected_version: int | None = None,
) -> Demand:
    """Dispatch (派单) to one lead unit and any assisting units; without a lead unit, the dispatch catalogue decides."""
    return _dispatch(
        "dispatch",
        EventKind.DISPATCHED,
        actor=actor,
        demand_id=demand_id,
        lead_unit_id=lead_unit_id,
        assisting_unit_ids=assisting_unit_ids,
        category_id=category_id,
        instructions=clean_text(instructions),
        expected_version=expected_version,
    )


@transaction.atomic
def demand_redispatch(
    *,
    actor,
    demand_id: int,
    lead_unit_id: int | None = None,
    assisting_unit_ids: Sequence[int] = (),
    category_id: int | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Demand:
    """Re-dispatch (改派) a returned or wrongly sent demand; the active assignments are withdrawn first."""
    reason = clean_text(reason)
    if not reason:
        raise ReasonRequired()
    return _dispatch(
        "redispatch",
        EventKind.REDISPATCHED,
        actor=actor,
        demand_id=demand_id,
        lead_unit_id=lead_unit_id,
        assisting_unit_ids=assisting_unit_ids,
        category_id=category_id,
        instructions=reason,
        expected_version=expected_version,
        reason=reason,
    )


@transaction.atomic
def demand_change_category(
    *, actor, demand_id: int, category_id: int, expected_version: int | None = None
) -> Demand:
    require_role(actor, "change_category")
    demand = lock_demand(demand_id, expected_version=expected_version)
    require_may(actor, "change_category", demand)
    apply_category(demand, category_id, actor, now())
    save_demand(demand, ["category", "category_top"])
    return demand


@transaction.atomic
def demand_merge(
    *, actor, demand_id: int, master_id: int, note: str = "", expected_version: int | None = None
) -> Demand:
    """Merge a duplicate into a master demand; the duplicate's assignments are withdrawn and it follows the master."""
    require_role(actor, "merge")
    if master_id == demand_id:
        raise BadMerge(details={"master": "same demand"})
    # Lock both rows in id order so two opposite merges cannot deadlock.
    first, second = sorted([demand_id, master_id])
    locked = {first: lock_demand(first), second: lock_demand(second)}
    demand, master = locked[demand_id], locked[master_id]
    if expected_version is not None and expected_version != demand.version:
        lock_demand(demand_id, expected_version=expected_version)
    require_may(actor, "merge", demand)
    if not demand_in_reach(actor, master):
        raise DemandNotFound(details={"master": master_id})
    if master.master_id is not None or master.status not in MERGE_MASTER_STATUSES:
        raise BadMerge(details={"master": master.code, "master_status": master.status})
    return merge_into(demand, master, actor=actor, note=clean_text(note))


def merge_into(demand: Demand, master: Demand, *, actor, note: str) -> Demand:
    """Both rows locked by the caller; the master checked."""
    target = check_demand_move("merge", demand)
    at = now()
    cancel_active(demand, actor, at, reason=f"并入 {master.code}")
    old = {"status": demand.status}
    demand.status, demand.master, demand.closed_at = target, master, at
    save_demand(demand, ["status", "master", "closed_at"])
    record(
        demand,
        EventKind.MERGED,
        actor=actor,
        at=at,
        old=old,
        new={"status": target, "master": master.code},
        note=note,
    )
    record(master, EventKind.MERGED_IN, actor=actor, at=at, new={"duplicate": demand.code}, note=note)
    save_demand(master, [])
    signature_update(demand_id=demand.pk, is_open=False)
    return demand
