"""Read-side facts about demands for the analytics rollup job.

Analytics never imports ``linli.demands.models``; it reads through these
functions. Every figure is bucketed by the demand's *registration day*: the
local date (``settings.TIME_ZONE``, Asia/Shanghai by default) of
``Demand.registered_at``. Assignments and callbacks count in the registration
day of their demand, whenever they happened, so a late callback on an old
demand changes that old day's figures (cohort by registration day).

The aggregates return one dict per key; counters are plain integers. None
ids (no community, no lead unit, no category) come back as None; the caller
decides how to store them.

The unit of a demand row (``lead_unit_id`` in the key) is the unit that
handled it: the lead unit of a dispatched demand, or, for a demand resolved at
intake (which has no lead unit), the unit of the worker who answered it. The
city's counters are therefore the sum of the units' counters plus the row of
demands no unit handled (answered by staff without a unit, or never
dispatched).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import BigIntegerField, Count, Exists, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from linli.demands.models import Assignment, Callback, Demand, DemandEvent
from linli.demands.states import (
    SATISFIED_LEVELS,
    AssignmentRole,
    AssignmentStatus,
    DemandStatus,
    EventKind,
)

# Key of a demand-level fact row, in this order.
DEMAND_KEY = ("day", "community_id", "lead_unit_id", "category_top_id", "channel", "demand_type", "status")
ASSIGNMENT_KEY = ("day", "community_id", "unit_id")

_IN_CHUNK = 500


def local_tz() -> dt.tzinfo:
    return timezone.get_default_timezone()


def day_runs(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days grouped into runs of consecutive days, as inclusive (first, last) pairs."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _registered_on(prefix: str, days: Iterable[dt.date]) -> Q:
    """Registered on one of ``days`` (local dates): one time range per run of consecutive days."""
    tz = local_tz()
    cond = Q(pk__in=[])
    for first, last in day_runs(days):
        start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        cond |= Q(**{f"{prefix}registered_at__gte": start, f"{prefix}registered_at__lt": end})
    return cond


# --- progress: events ---------------------------------------------------------------------------


def event_max_id() -> int:
    return DemandEvent.objects.aggregate(m=Max("id"))["m"] or 0


def event_ids_after(*, after_id: int) -> list[int]:
    """Ids of the visible events above ``after_id`` (used to find ids still in flight)."""
    return list(DemandEvent.objects.filter(id__gt=after_id).order_by("id").values_list("id", flat=True))


def events_after(*, after_id: int, also_ids: Iterable[int] = (), limit: int = 5000) -> list[tuple[int, int]]:
    """(event id, demand id) of events above ``after_id`` plus any of ``also_ids``, lowest id first."""
    also = sorted(set(also_ids))
    cond = Q(id__gt=after_id)
    if also:
        cond |= Q(id__in=also)
    return list(DemandEvent.objects.filter(cond).order_by("id").values_list("id", "demand_id")[:limit])


# --- registration days ----------------------------------------------------------------------------


def registration_days(*, demand_ids: Iterable[int]) -> set[dt.date]:
    """The local registration days of these demands."""
    ids = sorted(set(demand_ids))
    days: set[dt.date] = set()
    for i in range(0, len(ids), _IN_CHUNK):
        chunk = ids[i : i + _IN_CHUNK]
        days.update(
            Demand.objects.filter(pk__in=chunk)
            .annotate(day=TruncDate("registered_at", tzinfo=local_tz()))
            .values_list("day", flat=True)
            .distinct()
        )
    return days


def registration_day_range() -> tuple[dt.date, dt.date] | None:
    """The first and last local registration day of any demand, or None when there is none."""
    row = Demand.objects.aggregate(first=Min("registered_at"), last=Max("registered_at"))
    if row["first"] is None:
        return None
    tz = local_tz()
    return timezone.localtime(row["first"], tz).date(), timezone.localtime(row["last"], tz).date()


# --- facts ------------------------------------------------------------------------------------------


def _intake_unit(demand_ref: str):
    """The unit of the worker who resolved the demand at intake (None when not resolved at intake)."""
    return Subquery(
        DemandEvent.objects.filter(demand_id=OuterRef(demand_ref), kind=EventKind.RESOLVED_AT_INTAKE)
        .order_by("id")
        .values("actor__unit_id")[:1]
    )


def _lead_replies(**extra) -> Exists:
    return Exists(
        Assignment.objects.filter(
            demand_id=OuterRef("pk"), role=AssignmentRole.LEAD, replied_at__isnull=False, **extra
        )
    )


def demand_day_facts(*, days: Iterable[dt.date]) -> list[dict]:
    """Demands registered on ``days`` (local dates), counted per key (the unit is the handling unit, see above).

    Counters:

    - ``demands``: every demand, whatever its status;
    - ``finished``: a lead unit replied at least once (resolved-at-intake demands excluded);
      a reopen does not take a demand out again;
    - ``finished_on_time``: of those, every lead reply came before the finish deadline in force
      at that moment (approved extensions included); one late reply makes the demand late for good;
    - ``resolved``: closed with a "resolved" outcome (callback said resolved, or resolved at intake);
    - ``resolved_first_contact``: of those, never reopened;
    - ``resolved_grassroots``: of those, handled by a community/village committee or a street office
      (the lead unit, or the answering worker's unit for a demand resolved at intake);
    - ``resolved_at_intake``: answered on the spot.
    """
    resolved = Q(status=DemandStatus.CLOSED, resolved=True)
    finished = Q(has_lead_reply=True, resolved_at_intake=False)
    counters = {
        "demands": Q(),
        "finished": finished,
        "finished_on_time": finished & Q(has_late_lead_reply=False),
        "resolved": resolved,
        "resolved_first_contact": resolved & Q(reopen_count=0),
        "resolved_grassroots": resolved & Q(resolved_by_grassroots=True),
        "resolved_at_intake": Q(resolved_at_intake=True),
    }
    qs = Demand.objects.filter(_registered_on("", days)).annotate(
        day=TruncDate("registered_at", tzinfo=local_tz()),
        handling_unit_id=Coalesce("lead_unit_id", _intake_unit("pk"), output_field=BigIntegerField()),
        has_lead_reply=_lead_replies(),
        has_late_lead_reply=_lead_replies(replied_at__gt=F("finish_due")),
    )
    return _counted(qs, DEMAND_KEY, counters, rename={"lead_unit_id": "handling_unit_id"})


def _counted(
    qs, key: tuple[str, ...], counters: dict[str, Q], rename: dict[str, str] | None = None
) -> list[dict]:
    """``qs`` grouped by ``key`` with one filtered count per counter (``rename``: key field → annotation read for it).

    The aggregates get an ``n_`` alias while the query is built, because a
    counter named like a model field (``resolved``) would otherwise shadow the
    field in the other counters' filters.
    """
    aggregates = {
        f"n_{name}": Count("id", filter=cond) if cond else Count("id") for name, cond in counters.items()
    }
    source = {k: (rename or {}).get(k, k) for k in key}
    rows = qs.values(*source.values()).annotate(**aggregates).order_by()
    return [
        {**{k: row[source[k]] for k in key}, **{name: row[f"n_{name}"] for name in counters}} for row in rows
    ]


def callback_day_facts(*, days: Iterable[dt.date]) -> list[dict]:
    """Callbacks of the demands registered on ``days``, counted per key of their demand (as it is now).

    ``callbacks`` every callback row; ``callbacks_resolved`` answered "resolved";
    ``callbacks_rated`` with a satisfaction rating; ``callbacks_satisfied``
    rated satisfied or basically satisfied.
    """
    qs = Callback.objects.filter(_registered_on("demand__", days)).annotate(
        day=TruncDate("demand__registered_at", tzinfo=local_tz()),
        community_id=F("demand__community_id"),
        lead_unit_id=Coalesce(
            F("demand__lead_unit_id"), _intake_unit("demand_id"), output_field=BigIntegerField()
        ),
        category_top_id=F("demand__category_top_id"),
        channel=F("demand__channel"),
        demand_type=F("demand__demand_type"),
        status=F("demand__status"),
    )
    counters = {
        "callbacks": Q(),
        "callbacks_resolved": Q(resolved=True),
        "callbacks_rated": ~Q(satisfaction=""),
        "callbacks_satisfied": Q(satisfaction__in=list(SATISFIED_LEVELS)),
    }
    return _counted(qs, DEMAND_KEY, counters)


def assignment_day_facts(*, days: Iterable[dt.date]) -> list[dict]:
    """Assignments of the demands registered on ``days``, per (day, community of the demand, unit).

    ``dispatched`` the assignments that are due for a response: signed, or
    still unsigned when the sign deadline passed (stamped by the SLA sweep), or
    returned, lead and assisting alike. Left out: an assignment still waiting
    for its signature before its deadline (or for the decision on a return
    asked before it), and one withdrawn (re-dispatch, archive, merge) before
    its deadline without a signature. ``signed`` signed
    at all; ``signed_on_time`` signed before the sign deadline.
    """
    qs = Assignment.objects.filter(_registered_on("demand__", days)).annotate(
        day=TruncDate("demand__registered_at", tzinfo=local_tz()),
        community_id=F("demand__community_id"),
    )
    counters = {
        "dispatched": Q(signed_at__isnull=False)
        | Q(sign_overdue_at__isnull=False)
        | Q(status=AssignmentStatus.RETURNED),
        "signed": Q(signed_at__isnull=False),
        "signed_on_time": Q(signed_on_time=True),
    }
    # A unit whose only assignments are not yet due has nothing to count: no row (as if it had no assignment).
    return [row for row in _counted(qs, ASSIGNMENT_KEY, counters) if any(row[c] for c in counters)]
