"""Every read of demands that a page, API, export or report uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from linli.core import clock, ratelimit
from linli.core.text import mask_phone
from linli.demands.errors import TrackingLocked, TrackingMismatch
from linli.demands.models import Assignment, Callback, Demand, DemandEvent, Extension
from linli.demands.permissions import visible_demands
from linli.demands.states import ACTIVE_ASSIGNMENT_STATUSES, AssignmentStatus, ExtensionStatus
from linli.org.permissions import can_see_full_phone

# The indexed expression of demands migration 0010, word for word, so PostgreSQL uses the index.
BIGRAM_MATCH = (
    """linli_bigrams(("demands_demand"."text" || ' ' || "demands_demand"."title" || ' ' || """
    """"demands_demand"."address")) @> ARRAY[%s]::text[]"""
)

SORTS = {
    "registered_at": "registered_at",
    "-registered_at": "-registered_at",
    "finish_due": "finish_due",
    "-finish_due": "-finish_due",
    "code": "code",
    "-code": "-code",
    "status": "status",
}


@dataclass
class DemandFilters:
    status: list[str] = field(default_factory=list)
    unit_id: int | None = None
    category_id: int | None = None
    community_id: int | None = None
    area_path: str | None = None
    channel: list[str] = field(default_factory=list)
    demand_type: list[str] = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool | None = None
    q: str = ""
    sort: str = "-registered_at"
    ids: list[int] = field(default_factory=list)  # only these demands (a hot issue's), when given


def demand_list(*, user, filters: DemandFilters) -> QuerySet[Demand]:
    qs = visible_demands(user).select_related("community", "category", "lead_unit", "complainant")
    f = filters
    if f.status:
        qs = qs.filter(status__in=f.status)
    if f.channel:
        qs = qs.filter(channel__in=f.channel)
    if f.demand_type:
        qs = qs.filter(demand_type__in=f.demand_type)
    if f.unit_id is not None:
        qs = qs.filter(pk__in=Assignment.objects.filter(unit_id=f.unit_id).values("demand_id"))
    if f.category_id is not None:
        c = f.category_id
        qs = qs.filter(Q(category_id=c) | Q(category__parent_id=c) | Q(category_top_id=c))
    if f.community_id is not None:
        qs = qs.filter(community_id=f.community_id)
    if f.ids:
        qs = qs.filter(pk__in=f.ids)
    if f.area_path:
        qs = qs.filter(area_path__startswith=f.area_path)
    tz = clock.now().tzinfo
    if f.date_from:
        qs = qs.filter(registered_at__gte=dt.datetime.combine(f.date_from, dt.time.min, tzinfo=tz))
    if f.date_to:
        qs = qs.filter(
            registered_at__lt=dt.datetime.combine(f.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    if f.overdue is not None:
        qs = qs.filter(is_overdue=f.overdue)
    if f.q:
        term = f.q.strip()
        # Three characters or more: case-insensitive, which PostgreSQL answers from the trigram
        # indexes on UPPER(text/title/address). Shorter terms cannot be narrowed by trigrams (the
        # index would hand back every row), so they are matched as typed: Chinese has no case.
        lookup = "icontains" if len(term) >= 3 else "contains"
        matches = (
            Q(**{f"text__{lookup}": term})
            | Q(**{f"title__{lookup}": term})
            | Q(**{f"address__{lookup}": term})
        )
        if len(term) == 2 and connection.vendor == "postgresql":
            # Two characters (路灯): the bigram index of migration 0010 narrows, LIKE rechecks. No code can be
            # two characters long, and leaving the code out keeps the bigram function out of the row filter.
            qs = qs.filter(matches & Q(RawSQL(BIGRAM_MATCH, [term], output_field=BooleanField())))
        else:
            qs = qs.filter(Q(code=term.upper()) | matches)
    return qs.order_by(SORTS.get(f.sort, "-registered_at"), "-id")


def demand_detail(*, demand: Demand) -> Demand:
    """The demand with its assignments, extensions, events and callbacks loaded in a fixed number of queries."""
    return (
        Demand.objects.select_related(
            "community", "category", "lead_unit", "complainant", "master", "registered_by"
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("unit").order_by("dispatched_at", "id"),
            ),
            Prefetch("assignments__extensions", queryset=Extension.objects.order_by("requested_at")),
            Prefetch(
                "events",
                queryset=DemandEvent.objects.select_related("actor", "assignment__unit").order_by("at", "id"),
            ),
            Prefetch("callbacks", queryset=Callback.objects.order_by("at")),
            Prefetch(
                "duplicates",
                queryset=Demand.objects.only("id", "code", "status", "master_id", "registered_at"),
            ),
        )
        .get(pk=demand.pk)
    )


def phone_for(*, user, demand: Demand) -> str:
    phone = demand.complainant.phone if demand.complainant is not None else ""
    return phone if can_see_full_phone(user) else mask_phone(phone)


INBOX_TABS = ("to_sign", "in_progress", "due_soon", "overdue", "returned", "return_requested", "done")


def unit_inbox(*, unit_id: int, tab: str) -> QuerySet[Assignment]:
    """A unit's assignments for one inbox tab, soonest deadline first."""
    at = clock.now()
    qs = Assignment.objects.filter(unit_id=unit_id).select_related(
        "demand", "demand__community", "demand__category", "unit"
    )
    if tab == "to_sign":
        qs = qs.filter(status=AssignmentStatus.PENDING_SIGN)
    elif tab == "in_progress":
        qs = qs.filter(status=AssignmentStatus.SIGNED)
    elif tab == "due_soon":
        qs = qs.filter(
            status__in=list(ACTIVE_ASSIGNMENT_STATUSES),
            finish_due__gte=at,
            finish_due__lt=at + dt.timedelta(hours=24),
        )
    elif tab == "overdue":
        qs = qs.filter(status__in=list(ACTIVE_ASSIGNMENT_STATUSES), finish_due__lt=at)
    elif tab == "returned":
        qs = qs.filter(status=AssignmentStatus.RETURNED)
    elif tab == "return_requested":
        qs = qs.filter(status=AssignmentStatus.RETURN_REQUESTED)
    elif tab == "done":
        qs = qs.filter(status=AssignmentStatus.REPLIED)
        return qs.order_by("-replied_at", "-id")
    return qs.order_by("finish_due", "id")


def unit_inbox_counts(*, unit_id: int) -> dict[str, int]:
    return {tab: unit_inbox(unit_id=unit_id, tab=tab).count() for tab in INBOX_TABS if tab != "done"}


def pending_extensions(*, unit_id: int) -> QuerySet[Extension]:
    return Extension.objects.filter(
        assignment__unit_id=unit_id, status=ExtensionStatus.PENDING
    ).select_related("assignment", "assignment__demand", "requested_by")


# Wrong last-four guesses on one existing tracking code, counted across processes (the shared cache):
# at TRACK_GUESS_LIMIT within an hour the code is locked for TRACK_LOCK_SECONDS, even for the right digits.
TRACK_GUESS_LIMIT = 10
TRACK_GUESS_WINDOW = 3600
TRACK_LOCK_SECONDS = 3600


def _phone_on_record(demand: Demand, digits: str) -> bool:
    """The resident who filed it, or one who said "我也遇到", has a phone ending in these digits."""
    if demand.complainant is not None and demand.complainant.phone.endswith(digits):
        return True
    return demand.supporter_rows.filter(resident__phone__endswith=digits).exists()


def demand_track(*, code: str, phone_last4: str) -> Demand:
    """The public view of one demand: the code and the last four phone digits must both match.

    Guessing the digits is bounded per code (``TrackingLocked``, 429), not only per address, so a
    botnet of addresses gets ten tries per code and hour, not ten thousand.
    """
    code = (code or "").strip().upper()
    digits = (phone_last4 or "").strip()
    demand = (
        Demand.objects.select_related("complainant", "community")
        .prefetch_related(Prefetch("events", queryset=DemandEvent.objects.order_by("at", "id")))
        .filter(code=code)
        .first()
    )
    if demand is None:
        raise TrackingMismatch()
    locked = ratelimit.locked_for("track_code", code)
    if locked:
        raise TrackingLocked(details={"retry_after": locked})
    if len(digits) != 4 or not _phone_on_record(demand, digits):
        locked = ratelimit.strike(
            "track_code",
            code,
            limit=TRACK_GUESS_LIMIT,
            window=TRACK_GUESS_WINDOW,
            lock_seconds=TRACK_LOCK_SECONDS,
        )
        if locked:
            raise TrackingLocked(details={"retry_after": locked})
        raise TrackingMismatch()
    return demand


def extension_demand_id(*, extension_id: int) -> int | None:
    """The demand an extension request belongs to, so a caller can authorize through ``access_demand`` first."""
    return Extension.objects.filter(pk=extension_id).values_list("assignment__demand_id", flat=True).first()


def demand_id_for_code(*, user, code: str) -> int | None:
    """The id of the demand with this tracking code, if this user may see it."""
    code = (code or "").strip().upper()
    return visible_demands(user).filter(code=code).values_list("pk", flat=True).first() if code else None


def dispatch_queue(*, user, status: str) -> QuerySet[Demand]:
    """The dispatcher's queue: new demands to dispatch, or returned ones to send again; oldest first."""
    return (
        visible_demands(user)
        .filter(status=status)
        .select_related("community", "category", "lead_unit")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("unit").order_by("role", "id"),
            )
        )
        .order_by("-urgency", "registered_at", "id")  # urgent first
    )


def return_requests(*, unit_id: int) -> QuerySet[Assignment]:
    """Return requests of a unit's handlers, waiting for the unit supervisor."""
    return unit_inbox(unit_id=unit_id, tab="return_requested")


# ---- reads for the visits app (night visits and coordination meetings) ----------------------------


def demand_facts(*, ids) -> dict[int, Mapping[str, Any]]:
    """Status, lead unit and the resolution flags of the given demands, by id (one query)."""
    rows = Demand.objects.filter(pk__in=list(ids)).values(
        "pk",
        "code",
        "title",
        "status",
        "channel",
        "community_id",
        "lead_unit_id",
        "lead_unit__name",
        "resolved",
        "resolved_at_intake",
        "resolved_by_grassroots",
    )
    return {row["pk"]: row for row in rows}


def night_visit_demand_ids(*, community_id: int, start: dt.datetime, end: dt.datetime) -> list[int]:
    """Night-visit demands registered in a community between two times, oldest first."""
    return list(
        Demand.objects.filter(
            channel="night_visit", community_id=community_id, registered_at__gte=start, registered_at__lt=end
        )
        .order_by("registered_at", "pk")
        .values_list("pk", flat=True)
    )


def demand_visible_get(*, user, demand_id: int) -> Demand:
    """The demand if this user may see it, else DemandNotFound (404)."""
    from linli.demands.permissions import access_demand

    return access_demand(user, demand_id)


# What the open interfaces (Open311 GET requests) may list: screened-out junk that nobody has accepted is not public.
OPEN_DATA_HIDDEN = Q(junk=True, status__in=["registered", "invalid"])


def open_data_demands() -> QuerySet[Demand]:
    """Demands for the public Open311 interface; callers read only non-personal fields (no text, no complainant)."""
    return Demand.objects.exclude(OPEN_DATA_HIDDEN).select_related("category", "lead_unit", "community")


def demand_for_transfer(*, demand_id: int) -> Demand:
    """One demand with its complainant, for a transfer to another system that an authorized person chose."""
    return Demand.objects.select_related("category", "complainant", "community").get(pk=demand_id)


def demand_backlog_totals() -> dict[str, int]:
    """Open demands and, among them, the overdue ones, city-wide: for the operators' metrics (``/metrics``)."""
    from django.db.models import Count

    from linli.demands.states import OPEN_STATUSES

    totals = Demand.objects.filter(status__in=OPEN_STATUSES).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(is_overdue=True))
    )
    return {"open": totals["open"] or 0, "overdue": totals["overdue"] or 0}
