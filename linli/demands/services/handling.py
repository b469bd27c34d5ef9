"""Work in a unit: sign, return (with supervisor approval), extension, reply."""

from __future__ import annotations

from django.db import transaction

from linli.core.calendar import add_working_days
from linli.core.text import clean_text
from linli.demands.errors import ExtensionTooLong, ReasonRequired
from linli.demands.models import Assignment, Demand, Extension
from linli.demands.services._base import (
    check_assignment,
    check_assignment_move,
    check_demand,
    lock_assignment,
    lock_demand,
    now,
    policy_for,
    record,
    require_may,
    require_role,
    save_demand,
)
from linli.demands.states import AssignmentRole, AssignmentStatus, EventKind, ExtensionStatus
from linli.org import permissions as org_perms


def _is_lead(assignment: Assignment) -> bool:
    return assignment.role == AssignmentRole.LEAD


@transaction.atomic
def assignment_sign(
    *, actor, demand_id: int, assignment_id: int, expected_version: int | None = None
) -> Assignment:
    """Sign (签收) an assignment. The lead unit's signature starts the handling of the demand."""
    demand = lock_demand(demand_id, expected_version=expected_version)
    assignment = lock_assignment(demand, assignment_id)
    require_may(actor, "sign", demand, assignment)
    target_demand = check_demand("sign_lead" if _is_lead(assignment) else "sign_assisting", demand)
    target = check_assignment_move("sign", assignment)
    at = now()
    assignment.status, assignment.signed_at, assignment.signed_by = target, at, actor
    assignment.signed_on_time = at <= assignment.sign_due
    assignment.save(update_fields=["status", "signed_at", "signed_by", "signed_on_time"])
    old = {"status": demand.status}
    if target_demand:
        demand.status = target_demand
    save_demand(demand, ["status"])
    record(
        demand,
        EventKind.SIGNED,
        actor=actor,
        at=at,
        assignment=assignment,
        old=old,
        new={
            "status": demand.status,
            "unit": assignment.unit.name,
            "role": assignment.role,
            "on_time": assignment.signed_on_time,
        },
    )
    return assignment


def _apply_return(demand: Demand, assignment: Assignment, actor, at, reason: str) -> None:
    target_demand = check_demand("return_lead" if _is_lead(assignment) else "return_assisting", demand)
    old = {"status": demand.status, "assignment_status": assignment.status}
    assignment.status = AssignmentStatus.RETURNED
    assignment.save(update_fields=["status", "return_reason"])
    fields = ["status"]
    if target_demand:
        demand.status, demand.return_count = target_demand, demand.return_count + 1
        demand.lead_unit, demand.sign_due, demand.finish_due = None, None, None
        fields += ["return_count", "lead_unit", "sign_due", "finish_due"]
    save_demand(demand, fields)
    record(
        demand,
        EventKind.RETURNED,
        actor=actor,
        at=at,
        assignment=assignment,
        old=old,
        new={"status": demand.status, "unit": assignment.unit.name, "role": assignment.role},
        note=reason,
    )


@transaction.atomic
def assignment_return(
    *, actor, demand_id: int, assignment_id: int, reason: str, expected_version: int | None = None
) -> Assignment:
    """Return (退单) a wrongly sent assignment with a reason.

    A handler's return waits for the unit supervisor (``assignment_return_decide``);
    a supervisor's return takes effect at once. A returned lead assignment sends
    the demand back to the dispatcher.
    """
    reason = clean_text(reason)
    if not reason:
        raise ReasonRequired("请填写退单理由", "A reason for the return is required")
    demand = lock_demand(demand_id, expected_version=expected_version)
    assignment = lock_assignment(demand, assignment_id)
    require_may(actor, "return", demand, assignment)
    at = now()
    assignment.return_reason = reason
    if org_perms.can_supervise(actor):
        check_assignment("return", assignment)
        _apply_return(demand, assignment, actor, at, reason)
        return assignment
    check_demand("request_return", demand)
    target = check_assignment_move("request_return", assignment)
    old = {"assignment_status": assignment.status}
    assignment.status = target
    assignment.save(update_fields=["status", "return_reason"])
    save_demand(demand, [])
    record(
        demand,
        EventKind.RETURN_REQUESTED,
        actor=actor,
        at=at,
        assignment=assignment,
        old=old,
        new={"assignment_status": target, "unit": assignment.unit.name},
        note=reason,
    )
    return assignment


@transaction.atomic
def assignment_return_decide(
    *,
    actor,
    demand_id: int,
    assignment_id: int,
    approve: bool,
    note: str = "",
    expected_version: int | None = None,
) -> Assignment:
    """The unit supervisor approves or rejects a handler's return request."""
    require_role(actor, "decide_return")
    demand = lock_demand(demand_id, expected_version=expected_version)
    assignment = lock_assignment(demand, assignment_id)
    require_may(actor, "decide_return", demand, assignment)
    at = now()
    if approve:
        check_assignment("approve_return", assignment)
        _apply_return(
            demand, assignment, actor, at, assignment.return_reason + (f"（审核：{note}）" if note else "")
        )
        return assignment
    check_assignment("reject_return", assignment)
    assignment.status = AssignmentStatus.SIGNED if assignment.signed_at else AssignmentStatus.PENDING_SIGN
    assignment.save(update_fields=["status"])
    save_demand(demand, [])
    record(
        demand,
        EventKind.RETURN_REJECTED,
        actor=actor,
        at=at,
        assignment=assignment,
        old={"assignment_status": AssignmentStatus.RETURN_REQUESTED},
        new={"assignment_status": assignment.status},
        note=clean_text(note),
    )
    return assignment


@transaction.atomic
def extension_request(
    *, actor, demand_id: int, assignment_id: int, days: int, reason: str, expected_version: int | None = None
) -> Extension:
    """Ask for more time (延期). One extension per assignment, up to the policy's limit in working days."""
    reason = clean_text(reason)
    if not reason:
        raise ReasonRequired("请填写延期理由", "A reason for the extension is required")
    demand = lock_demand(demand_id, expected_version=expected_version)
    assignment = lock_assignment(demand, assignment_id)
    require_may(actor, "extension", demand, assignment)  # the tables, the unit, and no extension yet
    limit = policy_for(demand).max_extension_days
    if not isinstance(days, int) or days < 1 or days > limit:
        raise ExtensionTooLong(details={"days": days, "max_days": limit})
    at = now()
    extension = Extension.objects.create(
        assignment=assignment,
        days=days,
        reason=reason,
        requested_by=actor,
        requested_at=at,
        old_due=assignment.finish_due,
    )
    save_demand(demand, [])
    record(
        demand,
        EventKind.EXTENSION_REQUESTED,
        actor=actor,
        at=at,
        assignment=assignment,
        new={"extension": extension.pk, "days": days, "finish_due": assignment.finish_due},
        note=reason,
    )
    return extension


@transaction.atomic
def extension_decide(
    *, actor, extension_id: int, approve: bool, note: str = "", expected_version: int | None = None
) -> Extension:
    """The unit supervisor approves (the finish deadline moves) or rejects an extension request."""
    require_role(actor, "decide_extension")
    row = Extension.objects.filter(pk=extension_id).values("assignment__demand_id").first()
    if row is None:
        from linli.demands.errors import DemandNotFound

        raise DemandNotFound(details={"extension": extension_id})
    demand = lock_demand(row["assignment__demand_id"], expected_version=expected_version)
    extension = Extension.objects.select_for_update().get(pk=extension_id)
    extension.assignment = assignment = lock_assignment(demand, extension.assignment_id)
    require_may(actor, "decide_extension", demand, extension)
    at = now()
    extension.decided_by, extension.decided_at, extension.decision_note = actor, at, clean_text(note)
    if approve:
        extension.status = ExtensionStatus.APPROVED
        extension.new_due = add_working_days(assignment.finish_due, extension.days)
        assignment.finish_due = extension.new_due
        assignment.save(update_fields=["finish_due"])
        fields = []
        if _is_lead(assignment):
            demand.finish_due = extension.new_due
            fields.append("finish_due")
        save_demand(demand, fields)
        record(
            demand,
            EventKind.EXTENSION_APPROVED,
            actor=actor,
            at=at,
            assignment=assignment,
            old={"finish_due": extension.old_due},
            new={"finish_due": extension.new_due, "days": extension.days},
            note=extension.decision_note,
        )
    else:
        extension.status = ExtensionStatus.REJECTED
        save_demand(demand, [])
        record(
            demand,
            EventKind.EXTENSION_REJECTED,
            actor=actor,
            at=at,
            assignment=assignment,
            new={"extension": extension.pk},
            note=extension.decision_note,
        )
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "new_due"])
    return extension


@transaction.atomic
def assignment_reply(
    *, actor, demand_id: int, assignment_id: int, result: str, expected_version: int | None = None
) -> Assignment:
    """Reply with the result (办结反馈). The lead unit's reply finishes the demand and starts the callback clock."""
    result = clean_text(result)
    if not result:
        raise ReasonRequired("请填写办理结果", "The result is required")
    demand = lock_demand(demand_id, expected_version=expected_version)
    assignment = lock_assignment(demand, assignment_id)
    require_may(actor, "reply", demand, assignment)
    target_demand = check_demand("reply_lead" if _is_lead(assignment) else "reply_assisting", demand)
    target = check_assignment_move("reply", assignment)
    at = now()
    assignment.status, assignment.replied_at, assignment.reply_text = target, at, result
    assignment.save(update_fields=["status", "replied_at", "reply_text"])
    old = {"status": demand.status}
    fields: list[str] = []
    if target_demand:
        demand.status, demand.replied_at, demand.reply_text = target_demand, at, result
        demand.finished_on_time = at <= demand.finish_due if demand.finish_due else None
        demand.callback_due = add_working_days(at, policy_for(demand).callback_days)
        fields = ["status", "replied_at", "reply_text", "finished_on_time", "callback_due"]
    save_demand(demand, fields)
    record(
        demand,
        EventKind.REPLIED,
        actor=actor,
        at=at,
        assignment=assignment,
        old=old,
        new={
            "status": demand.status,
            "unit": assignment.unit.name,
            "role": assignment.role,
            "on_time": at <= assignment.finish_due,
        },
        note=result,
    )
    return assignment
