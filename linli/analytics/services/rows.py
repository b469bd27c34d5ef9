"""The rollup rows: day rows recomputed from the demand tables, month rows following them.

A day row is a fresh aggregate of the demands registered that day
(``linli.demands.fact_selectors``); ``recompute_day_rows`` replaces the rows
that changed and returns what it removed and added, so the month rows can
follow the difference (``add_delta``, ``follow_months``) instead of being
summed again. A month whose rows disagree with its days is recomputed
from them (``recompute_month``). Callers hold a transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q, Sum

from linli.analytics.models import (
    ASSIGNMENT_COUNTERS,
    CALLBACK_COUNTERS,
    COUNTERS,
    NONE_ID,
    AssignmentDayStat,
    AssignmentMonthStat,
    DemandDayStat,
    DemandMonthStat,
    Dimension,
    Scope,
    month_end,
    month_of,
)
from linli.demands import fact_selectors as facts

logger = logging.getLogger("linli.analytics")

INSERT_BATCH = 2000
DELETE_BATCH = 500

_DEMAND_KEY = facts.DEMAND_KEY
_ASSIGNMENT_KEY = facts.ASSIGNMENT_KEY
_ID_FIELDS = {"community_id", "lead_unit_id", "category_top_id", "unit_id"}
_MONTH_KEY = ("month", "scope", "scope_id", "dimension", "value")
_ASSIGNMENT_MONTH_KEY = ("month", "community_id", "unit_id")


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


def recompute_day_rows(days: list[dt.date]) -> tuple[tuple[Rows, Rows], tuple[Rows, Rows]]:
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


def demand_month_keys(day_key: tuple) -> list[tuple]:
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


def assignment_month_keys(day_key: tuple) -> list[tuple]:
    day, community_id, unit_id = day_key
    return [(month_of(day), community_id, unit_id)]


def add_delta(target: dict[tuple, list[int]], change: tuple[Rows, Rows], project, width: int) -> None:
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


def follow_months(demand_delta: dict[tuple, list[int]], assignment_delta: dict[tuple, list[int]]) -> None:
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
            recompute_month(month)


def recompute_month(month: dt.date) -> None:
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
