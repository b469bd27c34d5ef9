"""The rollup job: keep the rollup tables equal to a fresh aggregate of the demand tables.

Figures are a cohort by registration day (see ``linli.analytics.models``), so
any change to a demand (a signature, a reply, a late callback) changes the
rows of the day the demand was *registered*. The job reads the demand event
log after its watermark, finds the registration days of the demands those
events touch, and recomputes those days entirely from the demand tables
(rows that changed are replaced, the others left alone). The month rows
follow the difference between the old and the new day rows. Running it
twice changes nothing; running it on two servers at once is serialised by a
lock on the progress row.

``analytics_rollup_refresh`` is a plain function: the embedded scheduler,
Celery beat and ``linli rollup`` all call it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from linli.analytics.models import (
    ASSIGNMENT_COUNTERS,
    CALLBACK_COUNTERS,
    COUNTERS,
    NONE_ID,
    STATE_NAME,
    AssignmentDayStat,
    AssignmentMonthStat,
    DemandDayStat,
    DemandMonthStat,
    Dimension,
    RollupState,
    Scope,
    month_end,
    month_of,
)
from linli.core.daterange import MIN_DATE, max_date
from linli.core.services import job_problem_record
from linli.demands import fact_selectors as facts

logger = logging.getLogger("linli.analytics")

BATCH = 5000
# A missing event id this close below the newest visible one may belong to a
# transaction that has not committed yet; it is looked for again on later runs
# until PENDING_TTL has passed (then it was rolled back or deleted).
PENDING_WINDOW = 1000
PENDING_TTL = dt.timedelta(minutes=30)
# Days recomputed together (one query per fact table, one transaction).
CHUNK_DAYS = 31
INSERT_BATCH = 2000
DELETE_BATCH = 500

_DEMAND_KEY = facts.DEMAND_KEY
_ASSIGNMENT_KEY = facts.ASSIGNMENT_KEY
_ID_FIELDS = {"community_id", "lead_unit_id", "category_top_id", "unit_id"}
_MONTH_KEY = ("month", "scope", "scope_id", "dimension", "value")
_ASSIGNMENT_MONTH_KEY = ("month", "community_id", "unit_id")

# --- watermark --------------------------------------------------------------------------------------


def next_watermark(
    *,
    last_id: int,
    pending: dict[str, str],
    seen_ids: Iterable[int],
    now: dt.datetime,
    window: int = PENDING_WINDOW,
    ttl: dt.timedelta = PENDING_TTL,
) -> tuple[int, dict[str, str]]:
    """The new watermark and pending ids after processing ``seen_ids``.

    ``seen_ids`` must be every visible id above ``last_id`` up to its maximum
    (plus any pending ids that became visible). Ids below the new maximum that
    were not seen are kept as pending, with the time first missed; pending ids
    older than ``ttl`` are dropped.
    """
    seen = set(seen_ids)
    new_last = max([last_id, *seen])
    kept = {
        k: v for k, v in pending.items() if int(k) not in seen and now - dt.datetime.fromisoformat(v) < ttl
    }
    stamp = now.isoformat()
    for missing in range(max(last_id, new_last - window) + 1, new_last):
        if missing not in seen:
            kept.setdefault(str(missing), stamp)
    return new_last, kept


def _lock_state() -> RollupState:
    RollupState.objects.get_or_create(name=STATE_NAME)
    return RollupState.objects.select_for_update().get(name=STATE_NAME)


# --- recompute days ------------------------------------------------------------------------------


def _key(row: dict, fields: tuple[str, ...]) -> tuple:
    return tuple((row[f] if row[f] is not None else NONE_ID) if f in _ID_FIELDS else row[f] for f in fields)


Rows = list[tuple[tuple, tuple]]  # (key, counters)


def _sync(
    model, qs, key_fields: tuple[str, ...], counter_fields: tuple[str, ...], fresh: dict[tuple, tuple]
) -> tuple[Rows, Rows]:
    """Make the rows selected by ``qs`` equal ``fresh`` (key → counters).

    Rows whose counters did not change are left alone, so a run over
    unchanged data writes nothing. Returns the rows removed and the rows
    added, with their counters, so the month rows can follow.
    """
    width = len(key_fields)
    existing = {
        row[1 : width + 1]: (row[0], row[width + 1 :])
        for row in qs.values_list("pk", *key_fields, *counter_fields)
    }
    removed = [(key, values) for key, (_, values) in existing.items() if fresh.get(key) != values]
    added = [
        (key, values) for key, values in fresh.items() if key not in existing or existing[key][1] != values
    ]
    stale = [existing[key][0] for key, _ in removed]
    for i in range(0, len(stale), DELETE_BATCH):
        model.objects.filter(pk__in=stale[i : i + DELETE_BATCH]).delete()
    model.objects.bulk_create(
        [
            model(**dict(zip(key_fields, key, strict=True)), **dict(zip(counter_fields, values, strict=True)))
            for key, values in added
        ],
        batch_size=INSERT_BATCH,
    )
    return removed, added


def _recompute_day_rows(days: list[dt.date]) -> tuple[tuple[Rows, Rows], tuple[Rows, Rows]]:
    """Make the day rows of ``days`` a fresh aggregate of the demand tables.

    Caller holds a transaction. Returns the demand and the assignment day
    rows (removed, added).
    """
    merged: dict[tuple, dict[str, int]] = {}
    for row in facts.demand_day_facts(days=days):
        merged[_key(row, _DEMAND_KEY)] = row
    for row in facts.callback_day_facts(days=days):
        counters = merged.setdefault(_key(row, _DEMAND_KEY), {})
        for c in CALLBACK_COUNTERS:
            counters[c] = counters.get(c, 0) + row[c]
    fresh = {key: tuple(counters.get(c, 0) for c in COUNTERS) for key, counters in merged.items()}
    demand_change = _sync(
        DemandDayStat, DemandDayStat.objects.filter(day__in=days), _DEMAND_KEY, COUNTERS, fresh
    )
    fresh = {
        _key(row, _ASSIGNMENT_KEY): tuple(row[c] for c in ASSIGNMENT_COUNTERS)
        for row in facts.assignment_day_facts(days=days)
    }
    assignment_change = _sync(
        AssignmentDayStat,
        AssignmentDayStat.objects.filter(day__in=days),
        _ASSIGNMENT_KEY,
        ASSIGNMENT_COUNTERS,
        fresh,
    )
    return demand_change, assignment_change


# --- month rows ------------------------------------------------------------------------------------

# Each day row adds to one month row per projection:
# (scope, day-row field holding the scope id or None for the city, dimension, day-row field holding the value).
PROJECTIONS = (
    (Scope.CITY, None, Dimension.ALL, None),
    (Scope.CITY, None, Dimension.STATUS, "status"),
    (Scope.CITY, None, Dimension.CATEGORY, "category_top_id"),
    (Scope.CITY, None, Dimension.CHANNEL, "channel"),
    (Scope.CITY, None, Dimension.TYPE, "demand_type"),
    (Scope.CITY, None, Dimension.COMMUNITY, "community_id"),
    (Scope.COMMUNITY, "community_id", Dimension.ALL, None),
    (Scope.COMMUNITY, "community_id", Dimension.STATUS, "status"),
    (Scope.COMMUNITY, "community_id", Dimension.CATEGORY, "category_top_id"),
    (Scope.COMMUNITY, "community_id", Dimension.CHANNEL, "channel"),
    (Scope.COMMUNITY, "community_id", Dimension.TYPE, "demand_type"),
    (Scope.UNIT, "lead_unit_id", Dimension.ALL, None),
    (Scope.UNIT, "lead_unit_id", Dimension.STATUS, "status"),
    (Scope.UNIT, "lead_unit_id", Dimension.CATEGORY, "category_top_id"),
    (Scope.UNIT, "lead_unit_id", Dimension.CHANNEL, "channel"),
    (Scope.UNIT, "lead_unit_id", Dimension.TYPE, "demand_type"),
    (Scope.UNIT, "lead_unit_id", Dimension.COMMUNITY, "community_id"),
)


def _demand_month_keys(day_key: tuple) -> list[tuple]:
    """The month-row keys a day row adds to, one per projection."""
    row = dict(zip(_DEMAND_KEY, day_key, strict=True))
    month = month_of(row["day"])
    return [
        (
            month,
            str(scope),
            NONE_ID if scope_field is None else row[scope_field],
            str(dimension),
            "" if value_field is None else str(row[value_field]),
        )
        for scope, scope_field, dimension, value_field in PROJECTIONS
    ]


def _assignment_month_keys(day_key: tuple) -> list[tuple]:
    day, community_id, unit_id = day_key
    return [(month_of(day), community_id, unit_id)]


def _add_delta(target: dict[tuple, list[int]], change: tuple[Rows, Rows], project, width: int) -> None:
    removed, added = change
    for sign, rows in ((-1, removed), (1, added)):
        for key, values in rows:
            for month_key in project(key):
                acc = target.setdefault(month_key, [0] * width)
                for i, v in enumerate(values):
                    acc[i] += sign * v


def _apply_delta(model, existing_qs, key_fields, counter_fields, delta: dict[tuple, list[int]]) -> bool:
    """Add ``delta`` to the month rows; False (and nothing written) if a counter would go below zero."""
    width = len(key_fields)
    existing = {
        row[1 : width + 1]: (row[0], row[width + 1 :])
        for row in existing_qs.values_list("pk", *key_fields, *counter_fields)
    }
    stale, create = [], []
    for key, change in delta.items():
        pk, old = existing.get(key, (None, (0,) * len(counter_fields)))
        new = tuple(o + c for o, c in zip(old, change, strict=True))
        if min(new) < 0:
            return False
        if pk is not None:
            stale.append(pk)
        if any(new):
            create.append(
                model(
                    **dict(zip(key_fields, key, strict=True)), **dict(zip(counter_fields, new, strict=True))
                )
            )
    for i in range(0, len(stale), DELETE_BATCH):
        model.objects.filter(pk__in=stale[i : i + DELETE_BATCH]).delete()
    model.objects.bulk_create(create, batch_size=INSERT_BATCH)
    return True


def _follow_months(demand_delta: dict[tuple, list[int]], assignment_delta: dict[tuple, list[int]]) -> None:
    """Carry the change of the day rows into the month rows; recompute a month from its days if they disagree."""
    demand_delta = {k: v for k, v in demand_delta.items() if any(v)}
    assignment_delta = {k: v for k, v in assignment_delta.items() if any(v)}
    ok = True
    if demand_delta:
        cond = Q(scope=Scope.CITY)
        for scope in (Scope.COMMUNITY, Scope.UNIT):
            ids = {key[2] for key in demand_delta if key[1] == scope}
            if ids:
                cond |= Q(scope=scope, scope_id__in=sorted(ids))
        existing = DemandMonthStat.objects.filter(cond, month__in=sorted({key[0] for key in demand_delta}))
        ok = _apply_delta(DemandMonthStat, existing, _MONTH_KEY, COUNTERS, demand_delta)
    if ok and assignment_delta:
        existing_assignments = AssignmentMonthStat.objects.filter(
            month__in=sorted({key[0] for key in assignment_delta}),
            community_id__in=sorted({key[1] for key in assignment_delta}),
            unit_id__in=sorted({key[2] for key in assignment_delta}),
        )
        ok = _apply_delta(
            AssignmentMonthStat,
            existing_assignments,
            _ASSIGNMENT_MONTH_KEY,
            ASSIGNMENT_COUNTERS,
            assignment_delta,
        )
    if not ok:
        months = sorted({key[0] for key in demand_delta} | {key[0] for key in assignment_delta})
        logger.warning("analytics rollup: month rows disagreed with their day rows; recomputing %s", months)
        for month in months:
            _recompute_month(month)


def _recompute_month(month: dt.date) -> None:
    """Make the month rows of ``month`` the sums of its day rows. Caller holds a transaction."""
    days = DemandDayStat.objects.filter(day__gte=month, day__lte=month_end(month))
    fresh: dict[tuple, tuple] = {}
    sums = {f"sum_{c}": Sum(c) for c in COUNTERS}
    for scope, scope_field, dimension, value_field in PROJECTIONS:
        group = [f for f in (scope_field, value_field) if f is not None]
        rows = days.values(*group).annotate(**sums).order_by() if group else [days.aggregate(**sums)]
        for row in rows:
            if row["sum_demands"] is None:  # a month without day rows
                continue
            key = (
                month,
                str(scope),
                NONE_ID if scope_field is None else row[scope_field],
                str(dimension),
                "" if value_field is None else str(row[value_field]),
            )
            fresh[key] = tuple(row[f"sum_{c}"] for c in COUNTERS)
    _sync(DemandMonthStat, DemandMonthStat.objects.filter(month=month), _MONTH_KEY, COUNTERS, fresh)
    assignment_rows: Iterable[Mapping[str, Any]] = (
        AssignmentDayStat.objects.filter(day__gte=month, day__lte=month_end(month))
        .values("community_id", "unit_id")
        .annotate(**{f"sum_{c}": Sum(c) for c in ASSIGNMENT_COUNTERS})
        .order_by()
    )
    fresh = {
        (month, row["community_id"], row["unit_id"]): tuple(row[f"sum_{c}"] for c in ASSIGNMENT_COUNTERS)
        for row in assignment_rows
    }
    _sync(
        AssignmentMonthStat,
        AssignmentMonthStat.objects.filter(month=month),
        _ASSIGNMENT_MONTH_KEY,
        ASSIGNMENT_COUNTERS,
        fresh,
    )


JOB = "analytics_rollup"
# What a day whose data cannot be aggregated raises (a date at the end of the calendar overflows when it is
# turned into a UTC range); anything else is a bug and still stops the run.
_BAD_DAY_ERRORS = (OverflowError, ValueError, ArithmeticError)


def _sane_days(days: Iterable[dt.date]) -> list[dt.date]:
    """``days`` within 1990 … today + 1 year, sorted; each one outside is recorded as a problem and skipped."""
    low, high = MIN_DATE, max_date()
    kept = []
    for day in sorted(set(days)):
        if low <= day <= high:
            kept.append(day)
        else:
            _skip_day(day, "rollup.date_out_of_range", f"登记日期 {day} 超出 {low} 至 {high}，未计入统计")
    return kept


def _skip_day(day: dt.date, code: str, message: str) -> None:
    job_problem_record(job=JOB, item=f"day {day.isoformat()}", code=code, message=message)


def _recompute_chunk(chunk: list[dt.date]) -> list[tuple[tuple[Rows, Rows], tuple[Rows, Rows]]]:
    """The changes of a chunk of days; if the chunk fails, day by day, skipping (and recording) the bad days."""
    try:
        with transaction.atomic():
            return [_recompute_day_rows(chunk)]
    except _BAD_DAY_ERRORS:
        if len(chunk) == 1:
            raise
    changes = []
    for day in chunk:
        try:
            with transaction.atomic():
                changes.append(_recompute_day_rows([day]))
        except _BAD_DAY_ERRORS as exc:
            _skip_day(day, "rollup.day_failed", f"{type(exc).__name__}: {exc}")
    return changes


def _recompute_days(days: Iterable[dt.date]) -> int:
    """Recompute the day rows of ``days`` and carry the difference into their month rows. Caller holds a transaction.

    A day that cannot be computed (out of range, or failing) is skipped and recorded as a ``JobProblem``:
    one bad row must not stop the dashboards from updating.
    """
    ordered = _sane_days(days)
    demand_delta: dict[tuple, list[int]] = {}
    assignment_delta: dict[tuple, list[int]] = {}
    for i in range(0, len(ordered), CHUNK_DAYS):
        chunk = ordered[i : i + CHUNK_DAYS]
        try:
            changes = _recompute_chunk(chunk)
        except _BAD_DAY_ERRORS as exc:
            _skip_day(chunk[0], "rollup.day_failed", f"{type(exc).__name__}: {exc}")
            continue
        for demand_change, assignment_change in changes:
            _add_delta(demand_delta, demand_change, _demand_month_keys, len(COUNTERS))
            _add_delta(assignment_delta, assignment_change, _assignment_month_keys, len(ASSIGNMENT_COUNTERS))
    _follow_months(demand_delta, assignment_delta)
    return len(ordered)


# --- the job ---------------------------------------------------------------------------------------


def analytics_rollup_refresh(*, full: bool = False, batch: int = BATCH) -> dict[str, int]:
    """Bring the rollup tables up to date with the demand event log; idempotent.

    Incremental (default): read the events after the watermark in batches;
    for each batch, in one transaction, recompute every registration day of
    the demands they touch and advance the watermark. ``full=True`` first
    rebuilds every day from the first to the last registration day, a month
    per transaction, then catches up incrementally. Returns what it did:
    ``events`` read, ``days`` recomputed, ``last_event_id``.
    """
    totals = {"events": 0, "days": 0, "last_event_id": 0}
    if full:
        totals["days"] += _rebuild_all()
    while True:
        with transaction.atomic():
            state = _lock_state()
            pending = dict(state.pending_event_ids or {})
            rows = facts.events_after(
                after_id=state.last_event_id, also_ids=[int(k) for k in pending], limit=batch
            )
            if rows:
                totals["days"] += _recompute_days(
                    facts.registration_days(demand_ids={demand_id for _, demand_id in rows})
                )
            now = timezone.now()
            state.last_event_id, state.pending_event_ids = next_watermark(
                last_id=state.last_event_id,
                pending=pending,
                seen_ids=[event_id for event_id, _ in rows],
                now=now,
            )
            state.refreshed_at = now
            state.save(update_fields=["last_event_id", "pending_event_ids", "refreshed_at"])
        totals["events"] += len(rows)
        totals["last_event_id"] = state.last_event_id
        if len(rows) < batch:
            break
    if totals["events"] or full:
        logger.info("analytics rollup: %s", totals)
    return totals


def _sane_span(span: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date] | None:
    """The registration-day range clamped to 1990 … today + 1 year; days cut off are recorded as problems."""
    if span is None:
        return None
    first, last = span
    low, high = MIN_DATE, max_date()
    for day in (first, last):
        if not low <= day <= high:
            _skip_day(day, "rollup.date_out_of_range", f"登记日期 {day} 超出 {low} 至 {high}，未计入统计")
    first, last = max(first, low), min(last, high)
    return (first, last) if first <= last else None


def _rebuild_all() -> int:
    """Recompute every day, a month per transaction, and move the watermark to where the rebuild started.

    Dashboards keep reading complete (if older) months during a long rebuild:
    each month's rows are replaced in one transaction. Events written while it
    runs are caught up by the incremental pass that follows.
    """
    with transaction.atomic():
        _lock_state()
        start_max = facts.event_max_id()
        floor = max(0, start_max - PENDING_WINDOW)
        visible = facts.event_ids_after(after_id=floor)
        try:
            span = _sane_span(facts.registration_day_range())
        except _BAD_DAY_ERRORS as exc:  # a registration time at the end of the calendar cannot be made local
            _skip_day(MIN_DATE, "rollup.day_failed", f"{type(exc).__name__}: {exc}")
            span = (MIN_DATE, max_date())
        # Rows of days that no longer have any demand (demands deleted by hand).
        if span is None:
            for model in (DemandDayStat, AssignmentDayStat, DemandMonthStat, AssignmentMonthStat):
                model.objects.all().delete()
        else:
            first, last = span
            DemandDayStat.objects.exclude(day__gte=first, day__lte=last).delete()
            AssignmentDayStat.objects.exclude(day__gte=first, day__lte=last).delete()
            DemandMonthStat.objects.exclude(month__gte=month_of(first), month__lte=last).delete()
            AssignmentMonthStat.objects.exclude(month__gte=month_of(first), month__lte=last).delete()
    days = 0
    month = month_of(span[0]) if span else None
    while span is not None and month is not None and month <= span[1]:
        in_month = [
            month + dt.timedelta(days=i)
            for i in range((month_end(month) - month).days + 1)
            if span[0] <= month + dt.timedelta(days=i) <= span[1]
        ]
        with transaction.atomic():
            _lock_state()  # one writer at a time: an incremental run waits between two months
            _recompute_day_rows(in_month)
            _recompute_month(month)
        days += len(in_month)
        logger.info("analytics rollup: rebuilt %s", month.strftime("%Y-%m"))
        month = month_end(month) + dt.timedelta(days=1)
    with transaction.atomic():
        state = _lock_state()
        now = timezone.now()
        _, rebuild_pending = next_watermark(last_id=floor, pending={}, seen_ids=visible, now=now)
        state.last_event_id = max(state.last_event_id, start_max)
        state.pending_event_ids = {**rebuild_pending, **(state.pending_event_ids or {})}
        state.rebuilt_at = state.refreshed_at = now
        state.save()
    return days
