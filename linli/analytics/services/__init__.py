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

How the rows are recomputed lives in ``linli.analytics.services.rows``.
``analytics_rollup_refresh`` is a plain function: the embedded scheduler,
Celery beat and ``linli rollup`` all call it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from linli.analytics.models import (
    ASSIGNMENT_COUNTERS,
    COUNTERS,
    STATE_NAME,
    AssignmentDayStat,
    AssignmentMonthStat,
    DemandDayStat,
    DemandMonthStat,
    RollupState,
    month_end,
    month_of,
)
from linli.analytics.services import rows
from linli.analytics.services.rows import Rows
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
            return [rows.recompute_day_rows(chunk)]
    except _BAD_DAY_ERRORS:
        if len(chunk) == 1:
            raise
    changes = []
    for day in chunk:
        try:
            with transaction.atomic():
                changes.append(rows.recompute_day_rows([day]))
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
            rows.add_delta(demand_delta, demand_change, rows.demand_month_keys, len(COUNTERS))
            rows.add_delta(
                assignment_delta, assignment_change, rows.assignment_month_keys, len(ASSIGNMENT_COUNTERS)
            )
    rows.follow_months(demand_delta, assignment_delta)
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
            events = facts.events_after(
                after_id=state.last_event_id, also_ids=[int(k) for k in pending], limit=batch
            )
            if events:
                totals["days"] += _recompute_days(
                    facts.registration_days(demand_ids={demand_id for _, demand_id in events})
                )
            now = timezone.now()
            state.last_event_id, state.pending_event_ids = next_watermark(
                last_id=state.last_event_id,
                pending=pending,
                seen_ids=[event_id for event_id, _ in events],
                now=now,
            )
            state.refreshed_at = now
            state.save(update_fields=["last_event_id", "pending_event_ids", "refreshed_at"])
        totals["events"] += len(events)
        totals["last_event_id"] = state.last_event_id
        if len(events) < batch:
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
            rows.recompute_day_rows(in_month)
            rows.recompute_month(month)
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
