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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, F, Max, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from linli.demands.models import Assignment, Callback, Demand, DemandEvent
from linli.demands.states import SATISFIED_LEVELS, DemandStatus

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


def demand_day_facts(*, days: Iterable[dt.date]) -> list[dict]:
    """Demands registered on ``days`` (local dates), counted per key.

    Counters:

    - ``demands``: every demand, whatever its status;
    - ``finished``: replied by a lead unit and not reopened since (``replied_at`` and
      ``finished_on_time`` set), resolved-at-intake demands excluded;
    - ``finished_on_time``: of those, replied before the finish deadline;
    - ``resolved``: closed with a "resolved" outcome (callback said resolved, or resolved at intake);
    - ``resolved_first_contact``: of those, never reopened;
    - ``resolved_grassroots``: of those, the lead unit is a community/village committee or street office;
    - ``resolved_at_intake``: answered on the spot.
    """
    resolved = Q(status=DemandStatus.CLOSED, resolved=True)
    finished = Q(replied_at__isnull=False, finished_on_time__isnull=False, resolved_at_intake=False)
    counters = {
        "demands": Q(),
        "finished": finished,
        "finished_on_time": finished & Q(finished_on_time=True),
        "resolved": resolved,
        "resolved_first_contact": resolved & Q(reopen_count=0),
        "resolved_grassroots": resolved & Q(resolved_by_grassroots=True),
        "resolved_at_intake": Q(resolved_at_intake=True),
    }
    qs = Demand.objects.filter(_registered_on("", days)).annotate(
        day=TruncDate("registered_at", tzinfo=local_tz())
    )
    return _counted(qs, DEMAND_KEY, counters)


def _counted(qs, key: tuple[str, ...], counters: dict[str, Q]) -> list[dict]:
    """``qs`` grouped by ``key`` with one filtered count per counter.

    The aggregates get an ``n_`` alias while the query is built, because a
    counter named like a model field (``resolved``) would otherwise shadow the
    field in the other counters' filters.
    """
    aggregates = {
        f"n_{name}": Count("id", filter=cond) if cond else Count("id") for name, cond in counters.items()
    }
    rows = qs.values(*key).annotate(**aggregates).order_by()
    return [{**{k: row[k] for k in key}, **{name: row[f"n_{name}"] for name in counters}} for row in rows]


def callback_day_facts(*, days: Iterable[dt.date]) -> list[dict]:
    """Callbacks of the demands registered on ``days``, counted per key of their demand (as it is now).

    ``callbacks`` every callback row; ``callbacks_resolved`` answered "resolved";
    ``callbacks_rated`` with a satisfaction rating; ``callbacks_satisfied``
    rated satisfied or basically satisfied.
    """
    qs = Callback.objects.filter(_registered_on("demand__", days)).annotate(
        day=TruncDate("demand__registered_at", tzinfo=local_tz()),
        community_id=F("demand__community_id"),
        lead_unit_id=F("demand__lead_unit_id"),
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

    ``dispatched`` every assignment row (lead and assisting, including ones
    withdrawn by a re-dispatch); ``signed`` signed at all; ``signed_on_time``
    signed before the sign deadline.
    """
    qs = Assignment.objects.filter(_registered_on("demand__", days)).annotate(
        day=TruncDate("demand__registered_at", tzinfo=local_tz()),
        community_id=F("demand__community_id"),
    )
    counters = {
        "dispatched": Q(),
        "signed": Q(signed_at__isnull=False),
        "signed_on_time": Q(signed_on_time=True),
    }
    return _counted(qs, ASSIGNMENT_KEY, counters)
