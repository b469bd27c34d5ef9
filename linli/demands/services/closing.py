"""After the reply: callback, reopen, close; and escalation (督办) at any open step."""

from __future__ import annotations

from django.db import transaction

from linli.core.text import clean_text
from linli.demands.errors import BadDemand, ReasonRequired, TransitionNotAllowed
from linli.demands.models import Assignment, Callback, Demand
from linli.demands.selectors import demand_track
from linli.demands.services._base import (
    check_demand_move,
    lock_demand,
    now,
    policy_for,
    record,
    require_may,
    require_role,
    save_demand,
)
from linli.demands.services.routing import cancel_active, open_assignments, resolve_units
from linli.demands.states import AssignmentRole, AssignmentStatus, EventKind, Satisfaction
from linli.dispatch.services import signature_update
from linli.org.selectors import unit_get


def _check_rating(resolved, satisfaction: str) -> None:
    if satisfaction and satisfaction not in Satisfaction.values:
        raise BadDemand(details={"satisfaction": satisfaction, "allowed": list(Satisfaction.values)})
    if not isinstance(resolved, bool):
        raise BadDemand(details={"resolved": "must be true or false"})


def _record_callback(
    demand: Demand, *, actor, resolved: bool, satisfaction: str, note: str, event_note: str | None = None
) -> Callback:
    """The callback transition on a locked demand: check the table, store the answer, move the status, record."""
    target = check_demand_move("callback", demand)
    at = now()
    callback = Callback.objects.create(
        demand=demand,
        at=at,
        by=actor if actor is not None and getattr(actor, "pk", None) else None,
        resolved=resolved,
        satisfaction=satisfaction,
        note=clean_text(note),
        on_time=at <= demand.callback_due if demand.callback_due else None,
    )
    old = {"status": demand.status}
    demand.status, demand.called_back_at, demand.resolved, demand.satisfaction = (
        target,
        at,
        resolved,
        satisfaction,
    )
    save_demand(demand, ["status", "called_back_at", "resolved", "satisfaction"])
    record(
        demand,
        EventKind.CALLED_BACK,
        actor=actor,
        at=at,
        old=old,
        new={"status": target, "resolved": resolved, "satisfaction": satisfaction},
        note=callback.note if event_note is None else event_note,
    )
    return callback


@transaction.atomic
def demand_callback(
    *,
    actor,
    demand_id: int,
    resolved: bool,
    satisfaction: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Callback:
    """Record the callback (回访): resolved or not, and the resident's satisfaction (empty if they declined to rate)."""
    require_role(actor, "callback")
    _check_rating(resolved, satisfaction)
    demand = lock_demand(demand_id, expected_version=expected_version)
    require_may(actor, "callback", demand)
    return _record_callback(demand, actor=actor, resolved=resolved, satisfaction=satisfaction, note=note)


RESIDENT_RATING_NOTE = "群众自评"
MAX_RATING_NOTE = 1000


def demand_rate_by_resident(
    *, code: str, phone_last4: str, resolved: bool, satisfaction: str, note: str = ""
) -> Callback:
    """The resident rates the reply on the portal (群众自评); it counts as the callback, with no staff actor.

    The tracking code and the last four phone digits must match (the same
    neutral ``TrackingMismatch`` as tracking); a demand already called back,
    or not yet replied, is refused with ``demand.transition_not_allowed``.
    """
    if not satisfaction:
        raise BadDemand(
            "请选择满意程度", "Choose how satisfied you are", details={"satisfaction": "required"}
        )
    _check_rating(resolved, satisfaction)
    note = clean_text(note)
    if len(note) > MAX_RATING_NOTE:
        raise BadDemand(
            f"评价内容不能超过{MAX_RATING_NOTE}字",
            f"The comment is longer than {MAX_RATING_NOTE} characters",
            details={"note": "too long"},
        )
    # Outside the transaction: a wrong guess of the digits is counted against the code (demand_track) even
    # though nothing is saved; inside, the rollback would take the count with it.
    demand_id = demand_track(code=code, phone_last4=phone_last4).pk
    return _rate(demand_id, resolved=resolved, satisfaction=satisfaction, note=note)


@transaction.atomic
def _rate(demand_id: int, *, resolved: bool, satisfaction: str, note: str) -> Callback:
    demand = lock_demand(demand_id)
    try:
        return _record_callback(
            demand,
            actor=None,
            resolved=resolved,
            satisfaction=satisfaction,
            note=note,
            event_note=f"{RESIDENT_RATING_NOTE}：{note}" if note else RESIDENT_RATING_NOTE,
        )
    except TransitionNotAllowed as exc:
        raise TransitionNotAllowed(
            "该诉求已评价过，或当前还不能评价",
            "This demand has already been rated, or cannot be rated yet",
            details=exc.details,
        ) from None


@transaction.atomic
def demand_reopen(
    *,
    actor,
    demand_id: int,
    reason: str,
    lead_unit_id: int | None = None,
    expected_version: int | None = None,
) -> Demand:
    """Reopen (重办) after an unresolved or unsatisfied callback: a new lead assignment, to the same unit unless another is named."""
    require_role(actor, "reopen")
    reason = clean_text(reason)
    if not reason:
        raise ReasonRequired("请填写重办理由", "A reason for reopening is required")
    demand = lock_demand(demand_id, expected_version=expected_version)
    require_may(actor, "reopen", demand)
    target = check_demand_move("reopen", demand)
    at = now()
    if lead_unit_id is None:
        last = (
            Assignment.objects.filter(
                demand=demand, role=AssignmentRole.LEAD, status=AssignmentStatus.REPLIED
            )
            .order_by("-replied_at")
            .first()
        )
        lead = last.unit if last else unit_get(unit_id=demand.lead_unit_id)
    else:
        lead, _ = resolve_units(lead_unit_id, [])
    cancel_active(demand, actor, at, reason=reason)
    old = {"status": demand.status, "resolved": demand.resolved, "satisfaction": demand.satisfaction}
    open_assignments(demand, lead, [], actor, at, reason)
    demand.status, demand.reopen_count = target, demand.reopen_count + 1
    demand.resolved, demand.satisfaction, demand.finished_on_time, demand.callback_due = None, "", None, None
    demand.callback_overdue_at = None
    save_demand(
        demand,
        [
            "status",
            "reopen_count",
            "resolved",
            "satisfaction",
            "finished_on_time",
            "callback_due",
            "callback_overdue_at",
            "lead_unit",
            "dispatched_at",
            "sign_due",
            "finish_due",
            "is_overdue",
        ],
    )
    record(
        demand,
        EventKind.REOPENED,
        actor=actor,
        at=at,
        old=old,
        new={
            "status": target,
            "lead_unit": lead.name,
            "reopen_count": demand.reopen_count,
            "finish_due": demand.finish_due,
        },
        note=reason,
    )
    signature_update(demand_id=demand.pk, is_open=True)  # open again: offered as a duplicate
    return demand


@transaction.atomic
def demand_close(*, actor, demand_id: int, note: str = "", expected_version: int | None = None) -> Demand:
    """Archive (归档). Without a callback (the resident could not be reached) a note is required."""
    require_role(actor, "close")
    demand = lock_demand(demand_id, expected_version=expected_version)
    require_may(actor, "close", demand)
    target = check_demand_move("close", demand)
    note = clean_text(note)
    if demand.status == "replied" and not note:
        raise ReasonRequired("未回访归档须说明原因", "Closing without a callback needs a note")
    at = now()
    cancel_active(demand, actor, at, reason="归档")
    old = {"status": demand.status}
    demand.status, demand.closed_at = target, at
    lead = unit_get(unit_id=demand.lead_unit_id) if demand.lead_unit_id else None
    demand.resolved_by_grassroots = bool(demand.resolved and lead and lead.is_grassroots)
    save_demand(demand, ["status", "closed_at", "resolved_by_grassroots"])
    record(
        demand,
        EventKind.CLOSED,
        actor=actor,
        at=at,
        old=old,
        new={"status": target, "resolved": demand.resolved, "reopen_count": demand.reopen_count},
        note=note,
    )
    signature_update(demand_id=demand.pk, is_open=False)  # no longer offered as a duplicate
    return demand


def escalate_locked(demand: Demand, *, actor, reason: str, at, source: str) -> None:
    """Escalate a demand that the caller has locked."""
    demand.escalation_count += 1
    demand.escalated_at = at
    save_demand(demand, ["escalation_count", "escalated_at"])
    record(
        demand,
        EventKind.ESCALATED,
        actor=actor,
        at=at,
        new={"level": demand.escalation_count, "source": source},
        note=reason,
    )


@transaction.atomic
def demand_escalate(*, actor, demand_id: int, reason: str, expected_version: int | None = None) -> Demand:
    """Escalate (督办) an open demand by hand; the status does not change, the escalation level goes up."""
    require_role(actor, "escalate")
    reason = clean_text(reason)
    if not reason:
        raise ReasonRequired("请填写督办事由", "A reason for the escalation is required")
    demand = lock_demand(demand_id, expected_version=expected_version)
    require_may(actor, "escalate", demand)
    escalate_locked(demand, actor=actor, reason=reason, at=now(), source="manual")
    return demand


__all__ = [
    "demand_callback",
    "demand_rate_by_resident",
    "demand_reopen",
    "demand_close",
    "demand_escalate",
    "escalate_locked",
    "policy_for",
]
