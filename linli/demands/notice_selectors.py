"""Reads of demands for notifications: what happened since a cursor, and which deadlines come up.

The notify app may not import demand models; it reads plain values here. The resident's full phone number
leaves this module only to be handed to a message channel, never to a page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max

from linli.demands.models import Assignment, DemandEvent, DemandSupporter
from linli.demands.states import ACTIVE_ASSIGNMENT_STATUSES


@dataclass(frozen=True)
class EventNotice:
    event_id: int
    kind: str
    at: dt.datetime
    demand_id: int
    code: str
    status: str
    resident_phone: str
    lead_unit_id: int | None
    assignment_unit_id: int | None
    note: str
    new: dict = field(default_factory=dict)
    # residents who said "我也遇到": the one who just did (me_too), or all of them (a reply)
    supporter_phones: tuple[str, ...] = ()


@dataclass(frozen=True)
class DueNotice:
    assignment_id: int
    demand_id: int
    code: str
    unit_id: int
    finish_due: dt.datetime


def last_event_id() -> int:
    return DemandEvent.objects.aggregate(m=Max("id"))["m"] or 0


def events_after(*, after_id: int, kinds: list[str], limit: int = 500) -> tuple[list[EventNotice], int]:
    """Events of the given kinds after ``after_id`` (oldest first), and the id the cursor may move to.

    The cursor moves past events of other kinds too, so a quiet kind does not hold it back.
    """
    ids = list(
        DemandEvent.objects.filter(id__gt=after_id).order_by("id").values_list("id", flat=True)[:limit]
    )
    if not ids:
        return [], after_id
    rows = (
        DemandEvent.objects.filter(id__in=ids, kind__in=kinds)
        .select_related("demand", "demand__complainant", "assignment")
        .order_by("id")
    )
    phones: dict[int, tuple[str, ...]] = {}
    for e in rows:
        if e.kind == "me_too":
            supporter = DemandSupporter.objects.filter(pk=(e.new or {}).get("supporter_id")).select_related(
                "resident"
            )
            phones[e.pk] = tuple(s.resident.phone for s in supporter)
        elif e.kind == "replied" and e.demand.supporters:
            rows_ = (
                DemandSupporter.objects.filter(demand_id=e.demand_id)
                .select_related("resident")
                .order_by("id")
            )
            phones[e.pk] = tuple(s.resident.phone for s in rows_)
    notices = [
        EventNotice(
            event_id=e.pk,
            kind=e.kind,
            at=e.at,
            demand_id=e.demand_id,
            code=e.demand.code,
            status=e.demand.status,
            resident_phone=e.demand.complainant.phone if e.demand.complainant_id else "",
            lead_unit_id=e.demand.lead_unit_id,
            assignment_unit_id=e.assignment.unit_id if e.assignment_id else None,
            note=e.note,
            new=e.new or {},
            supporter_phones=phones.get(e.pk, ()),
        )
        for e in rows
    ]
    return notices, ids[-1]


def assignments_due_between(*, start: dt.datetime, end: dt.datetime, limit: int = 2000) -> list[DueNotice]:
    """Active assignments whose finish deadline falls in [start, end): the "due within 24 h" reminders."""
    rows = (
        Assignment.objects.filter(
            status__in=ACTIVE_ASSIGNMENT_STATUSES,
            finish_due__gte=start,
            finish_due__lt=end,
            replied_at__isnull=True,
        )
        .select_related("demand")
        .order_by("finish_due", "id")[:limit]
    )
    return [
        DueNotice(
            assignment_id=a.pk,
            demand_id=a.demand_id,
            code=a.demand.code,
            unit_id=a.unit_id,
            finish_due=a.finish_due,
        )
        for a in rows
    ]
