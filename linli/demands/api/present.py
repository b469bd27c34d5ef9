"""Demands as the API shows them: plain dicts shaped like ``linli.demands.schemas``.

Times are given in local time (Asia/Shanghai by default). The phone number
always goes through ``phone_for``, which masks it for roles that do not need it.
"""

from __future__ import annotations

from django.utils import timezone

from linli.demands.schemas import DemandDetailOut
from linli.demands.selectors import demand_detail, phone_for
from linli.demands.states import (
    AssignmentRole,
    AssignmentStatus,
    DemandStatus,
    DemandType,
    EventKind,
    ExtensionStatus,
    Satisfaction,
)
from linli.dispatch.schemas import suggestion_out
from linli.dispatch.selectors import dispatch_suggest

# What a resident sees of the history: the steps of the loop, not internal housekeeping
# (who asked whom for what, overdue stamps, category edits).
PUBLIC_EVENT_KINDS = frozenset(
    {
        EventKind.REGISTERED,
        EventKind.RESOLVED_AT_INTAKE,
        EventKind.DISPATCHED,
        EventKind.REDISPATCHED,
        EventKind.SIGNED,
        EventKind.EXTENSION_APPROVED,
        EventKind.REPLIED,
        EventKind.CALLED_BACK,
        EventKind.REOPENED,
        EventKind.CLOSED,
        EventKind.MERGED,
        EventKind.INVALID,
        EventKind.WITHDRAWN,
    }
)
# The suggestion is worked out for demands waiting for a dispatcher; later it would only cost queries.
SUGGEST_STATUSES = frozenset({DemandStatus.REGISTERED, DemandStatus.RETURNED})
# The reply is shown to the resident once the demand has one that stands.
REPLY_VISIBLE_STATUSES = frozenset({DemandStatus.REPLIED, DemandStatus.CALLED_BACK, DemandStatus.CLOSED})


def _t(value):
    return timezone.localtime(value) if value is not None else None


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _demand_head(d) -> dict:
    """What every listing of a demand starts with: identity, version, status, type and where."""
    return {
        "id": d.pk,
        "code": d.code,
        "version": d.version,
        "status": d.status,
        "status_label": DemandStatus(d.status).label,
        "demand_type": d.demand_type,
        "type_label": DemandType(d.demand_type).label,
        "urgency": d.urgency,
        "title": d.title,
        "address": d.address,
        "registered_at": _t(d.registered_at),
    }


def demand_item(user, d) -> dict:
    return {
        **_demand_head(d),
        "channel": d.channel,
        "community": _ref(d.community),
        "category": {"id": d.category.pk, "full_name": d.category.full_name} if d.category_id else None,
        "lead_unit": _ref(d.lead_unit),
        "finish_due": _t(d.finish_due),
        "is_overdue": d.is_overdue,
        "escalation_count": d.escalation_count,
        "complainant_name": d.complainant.name if d.complainant_id else "",
        "phone": phone_for(user=user, demand=d),
    }


def _extension(e) -> dict:
    return {
        "id": e.pk,
        "days": e.days,
        "reason": e.reason,
        "status": e.status,
        "status_label": ExtensionStatus(e.status).label,
        "requested_at": _t(e.requested_at),
        "requested_by_id": e.requested_by_id,
        "decided_at": _t(e.decided_at),
        "decided_by_id": e.decided_by_id,
        "decision_note": e.decision_note,
        "old_due": _t(e.old_due),
        "new_due": _t(e.new_due),
    }


def _assignment(a) -> dict:
    return {
        "id": a.pk,
        "unit": _ref(a.unit),
        "role": a.role,
        "role_label": AssignmentRole(a.role).label,
        "status": a.status,
        "status_label": AssignmentStatus(a.status).label,
        "instructions": a.instructions,
        "dispatched_at": _t(a.dispatched_at),
        "sign_due": _t(a.sign_due),
        "finish_due": _t(a.finish_due),
        "signed_at": _t(a.signed_at),
        "signed_on_time": a.signed_on_time,
        "replied_at": _t(a.replied_at),
        "reply_text": a.reply_text,
        "return_reason": a.return_reason,
        "sign_overdue_at": _t(a.sign_overdue_at),
        "finish_overdue_at": _t(a.finish_overdue_at),
        "extensions": [_extension(e) for e in a.extensions.all()],
    }


def _event(e) -> dict:
    return {
        "id": e.pk,
        "kind": e.kind,
        "label": EventKind(e.kind).label,
        "at": _t(e.at),
        "actor": str(e.actor) if e.actor_id else None,
        "unit": e.assignment.unit.name if e.assignment_id else None,
        "assignment_id": e.assignment_id,
        "old": e.old,
        "new": e.new,
        "note": e.note,
    }


def _callback(c) -> dict:
    return {
        "id": c.pk,
        "at": _t(c.at),
        "resolved": c.resolved,
        "satisfaction": c.satisfaction,
        "satisfaction_label": Satisfaction(c.satisfaction).label if c.satisfaction else "",
        "note": c.note,
        "on_time": c.on_time,
    }


def _demand_ref(d) -> dict:
    return {"id": d.pk, "code": d.code, "status": d.status, "registered_at": _t(d.registered_at)}


def demand_full(user, demand, *, suggest: bool = True) -> dict:
    """The detail of one demand (already authorized), loaded with its history in a fixed number of queries."""
    return _full(user, demand_detail(demand=demand), suggest=suggest)


def demand_registered(user, demand) -> dict:
    """The detail of a demand its service has just registered, from the object in hand.

    The register service leaves the new demand's one event, and its empty assignments, callbacks and
    duplicates, in hand: reading them back would cost five queries on the busiest endpoint. A demand
    answered at intake comes back from its second service without them and is read in full.

    No dispatch suggestion: working it out again (classifier, catalogue, similar demands) would double the
    cost of a registration, and whoever dispatches reads it with the demand (``GET /demands/{id}``).
    """
    if "events" not in getattr(demand, "_prefetched_objects_cache", {}):
        return demand_full(user, demand, suggest=False)
    return _full(user, demand, suggest=False)


def _full(user, d, *, suggest: bool = True) -> dict:
    """``d`` with its relations prefetched (``demand_detail``) or in hand (a demand just registered)."""
    assignments, events, callbacks = d.assignments.all(), d.events.all(), d.callbacks.all()
    duplicates = d.duplicates.all()
    return {
        **demand_item(user, d),
        "text": d.text,
        "latitude": float(d.latitude) if d.latitude is not None else None,
        "longitude": float(d.longitude) if d.longitude is not None else None,
        "external_ref": d.external_ref,
        "registered_by": str(d.registered_by) if d.registered_by_id else None,
        "dispatched_at": _t(d.dispatched_at),
        "sign_due": _t(d.sign_due),
        "replied_at": _t(d.replied_at),
        "reply_text": d.reply_text,
        "finished_on_time": d.finished_on_time,
        "callback_due": _t(d.callback_due),
        "called_back_at": _t(d.called_back_at),
        "closed_at": _t(d.closed_at),
        "resolved": d.resolved,
        "resolved_at_intake": d.resolved_at_intake,
        "satisfaction": d.satisfaction,
        "reopen_count": d.reopen_count,
        "return_count": d.return_count,
        "escalated_at": _t(d.escalated_at),
        "master": _demand_ref(d.master) if d.master_id else None,
        "assignments": [_assignment(a) for a in assignments],
        "events": [_event(e) for e in events],
        "callbacks": [_callback(c) for c in callbacks],
        "duplicates": [_demand_ref(x) for x in duplicates],
        "junk": d.junk,
        "junk_reason": d.junk_reason,
        "suggestion": _suggestion(d) if suggest else None,
    }


def _suggestion(d) -> dict | None:
    if d.status not in SUGGEST_STATUSES:
        return None
    return suggestion_out(
        dispatch_suggest(text=d.text, title=d.title, jurisdiction_id=d.community_id, exclude_demand_id=d.pk)
    )


def as_json(detail: dict) -> dict:
    """A detail as JSON-ready values, for storing an idempotent answer."""
    return DemandDetailOut.model_validate(detail).model_dump(mode="json")


def inbox_item(a) -> dict:
    d = a.demand
    return {
        "assignment_id": a.pk,
        "role": a.role,
        "status": a.status,
        "status_label": AssignmentStatus(a.status).label,
        "dispatched_at": _t(a.dispatched_at),
        "sign_due": _t(a.sign_due),
        "finish_due": _t(a.finish_due),
        "signed_at": _t(a.signed_at),
        "demand": {
            **_demand_head(d),
            "community": d.community.name if d.community_id else None,
            "category": d.category.full_name if d.category_id else None,
        },
    }


def public_receipt(d) -> dict:
    return {
        "code": d.code,
        "status": d.status,
        "status_label": DemandStatus(d.status).label,
        "registered_at": _t(d.registered_at),
    }


def public_track(d) -> dict:
    """Only what the resident may see: status, type, times of the public steps and the reply. No names, no notes."""
    show_reply = d.status in REPLY_VISIBLE_STATUSES and bool(d.reply_text)
    return {
        "code": d.code,
        "status": d.status,
        "status_label": DemandStatus(d.status).label,
        "demand_type": d.demand_type,
        "type_label": DemandType(d.demand_type).label,
        "registered_at": _t(d.registered_at),
        "timeline": [
            {"kind": e.kind, "label": EventKind(e.kind).label, "at": _t(e.at)}
            for e in d.events.all()
            if e.kind in PUBLIC_EVENT_KINDS
        ],
        "reply_text": d.reply_text if show_reply else None,
        "replied_at": _t(d.replied_at) if show_reply else None,
    }
