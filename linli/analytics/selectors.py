"""Reads of the analytics app: metrics from the rollup tables, never from the live demand table.

Every figure is a cohort by registration day: the demands *registered* from
``date_from`` to ``date_to`` (local dates, inclusive) and all of their
assignments and callbacks, whenever those happened. The whole months of the
period are read from the month rows, the days at either end from the day
rows. The rollup is as fresh as its last refresh, returned as ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from linli.analytics.errors import BadPeriod, BadScope
from linli.analytics.metrics import COHORT_EN, COHORT_ZH, rate_definitions, rate_value
from linli.analytics.models import (
    ASSIGNMENT_COUNTERS,
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
from linli.demands.states import Channel, DemandStatus, DemandType
from linli.dispatch.selectors import category_list
from linli.org.selectors import jurisdiction_get, jurisdiction_list, jurisdiction_subtree_ids, unit_get

# Breakdown name -> (day-row field, month-row dimension).
_BREAKDOWNS = {
    "community": ("community_id", Dimension.COMMUNITY),
    "category": ("category_top_id", Dimension.CATEGORY),
    "channel": ("channel", Dimension.CHANNEL),
    "type": ("demand_type", Dimension.TYPE),
    "status": ("status", Dimension.STATUS),
}
_ID_BREAKDOWNS = {"community", "category"}
_DIMENSION_BREAKDOWN = {dimension.value: name for name, (_, dimension) in _BREAKDOWNS.items()}


def split_period(
    date_from: dt.date, date_to: dt.date
) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """The whole months inside the period (first and last month, as first days) and the day ranges left at either end."""
    first_full = date_from if date_from.day == 1 else month_end(date_from) + dt.timedelta(days=1)
    last_full = date_to if date_to == month_end(date_to) else month_of(date_to) - dt.timedelta(days=1)
    if first_full > last_full:
        return None, [(date_from, date_to)]
    edges = []
    if date_from < first_full:
        edges.append((date_from, first_full - dt.timedelta(days=1)))
    if last_full < date_to:
        edges.append((last_full + dt.timedelta(days=1), date_to))
    return (first_full, month_of(last_full)), edges


def _scope(area_id: int | None, unit_id: int | None) -> tuple[dict[str, Any], list[int] | None]:
    """The scope description, and the community ids to filter on (None: no filter)."""
    if area_id is not None and unit_id is not None:
        raise BadScope(details={"area": area_id, "unit": unit_id})
    scope: dict[str, Any] = {"kind": "city", "area": None, "unit": None}
    community_ids: list[int] | None = None
    if area_id is not None:
        area = jurisdiction_get(jurisdiction_id=area_id)
        scope.update(
            kind="area", area={"id": area.pk, "code": area.code, "name": area.name, "level": area.level}
        )
        # The root of the tree is the whole city, demands without a community included.
        if area.parent_id is not None:
            community_ids = jurisdiction_subtree_ids(jurisdiction=area)
    if unit_id is not None:
        unit = unit_get(unit_id=unit_id)
        scope.update(
            kind="unit", unit={"id": unit.pk, "code": unit.code, "name": unit.name, "kind": unit.kind}
        )
    return scope, community_ids


class _Tally:
    """Sums of the counters and the demand counts per breakdown, folded from day rows and month rows."""

    def __init__(self) -> None:
        self.sums = dict.fromkeys((*COUNTERS, *ASSIGNMENT_COUNTERS), 0)
        self.by: dict[str, dict[Any, int]] = {name: {} for name in _BREAKDOWNS}

    def add_counters(self, row: Mapping[str, Any], fields) -> None:
        for c in fields:
            self.sums[c] += row[f"sum_{c}"] or 0

    def count(self, breakdown: str, key: Any, n: int) -> None:
        self.by[breakdown][key] = self.by[breakdown].get(key, 0) + (n or 0)


# values() rows with sums annotated from a dict: django-stubs cannot see the annotated keys
_SummedRows = Iterable[Mapping[str, Any]]


def _read_demands(tally: _Tally, *, months, edges, community_ids, unit_id) -> None:
    """Fold the demand rows of the scope into ``tally``: whole months from month rows, the ends from day rows."""
    sums = {f"sum_{c}": Sum(c) for c in COUNTERS}
    if months:
        rows = DemandMonthStat.objects.filter(month__gte=months[0], month__lte=months[1])
        if unit_id is not None:
            rows = rows.filter(scope=Scope.UNIT, scope_id=unit_id)
        elif community_ids is None:
            rows = rows.filter(scope=Scope.CITY, scope_id=NONE_ID)
        else:
            rows = rows.filter(scope=Scope.COMMUNITY, scope_id__in=community_ids)
        if community_ids is not None:
            # An area: the totals per community, then the other dimensions over all its communities.
            totals = rows.filter(dimension=Dimension.ALL).values("scope_id").annotate(**sums).order_by()
            for total in cast(_SummedRows, totals):
                tally.add_counters(total, COUNTERS)
                tally.count("community", total["scope_id"], total["sum_demands"])
            rows = rows.exclude(dimension=Dimension.ALL)
        for row in cast(_SummedRows, rows.values("dimension", "value").annotate(**sums).order_by()):
            if row["dimension"] == Dimension.ALL:
                tally.add_counters(row, COUNTERS)
                continue
            name = _DIMENSION_BREAKDOWN[row["dimension"]]
            tally.count(
                name, int(row["value"]) if name in _ID_BREAKDOWNS else row["value"], row["sum_demands"]
            )
    if edges:
        days = DemandDayStat.objects.filter(_days(edges))
        if community_ids is not None:
            days = days.filter(community_id__in=community_ids)
        if unit_id is not None:
            days = days.filter(lead_unit_id=unit_id)
        # One small grouping per dimension: grouping by all of them at once returns nearly every row.
        for per_community in cast(_SummedRows, days.values("community_id").annotate(**sums).order_by()):
            tally.add_counters(per_community, COUNTERS)
            tally.count("community", per_community["community_id"], per_community["sum_demands"])
        for name, (field, _) in _BREAKDOWNS.items():
            if name == "community":
                continue
            for grouped in days.values(field).annotate(sum_demands=Sum("demands")).order_by():
                tally.count(name, grouped[field], grouped["sum_demands"])


def _read_assignments(tally: _Tally, *, months, edges, community_ids, unit_id) -> None:
    sums = {f"sum_{c}": Sum(c) for c in ASSIGNMENT_COUNTERS}
    parts: list[QuerySet[Any]] = []
    if months:
        parts.append(AssignmentMonthStat.objects.filter(month__gte=months[0], month__lte=months[1]))
    if edges:
        parts.append(AssignmentDayStat.objects.filter(_days(edges)))
    for rows in parts:
        if community_ids is not None:
            rows = rows.filter(community_id__in=community_ids)
        if unit_id is not None:
            rows = rows.filter(unit_id=unit_id)
        tally.add_counters(rows.aggregate(**sums), ASSIGNMENT_COUNTERS)


def _days(edges: list[tuple[dt.date, dt.date]]) -> Q:
    cond = Q()
    for first, last in edges:
        cond |= Q(day__gte=first, day__lte=last)
    return cond


def _named(counts: dict[int, int], names: dict[int, str], none_label: str) -> list[dict[str, Any]]:
    rows = [
        {
            "id": None if key == NONE_ID else key,
            "name": none_label if key == NONE_ID else names.get(key, str(key)),
            "count": n,
        }
        for key, n in counts.items()
        if n
    ]
    return sorted(rows, key=lambda r: (-r["count"], r["id"] is None, r["name"]))


def _as_of() -> str | None:
    state = RollupState.objects.filter(name=STATE_NAME).only("refreshed_at").first()
    return timezone.localtime(state.refreshed_at).isoformat() if state and state.refreshed_at else None


def metrics_compute(
    *, area_id: int | None = None, unit_id: int | None = None, date_from: dt.date, date_to: dt.date
) -> dict[str, Any]:
    """Every figure for a scope and a period, each with numerator, denominator and formula.

    Scope: ``area_id`` (a jurisdiction: the demands of the communities in its
    subtree; the city root means every demand, with or without a community),
    ``unit_id`` (demand figures by the handling unit: the current lead unit, or the answering worker's unit for a demand resolved at intake; the
    response rate by the unit each assignment went to), or neither (the whole
    city). The period is a cohort by registration day, both ends included.
    Reads rollup rows only: at most 14 queries, however many demands there are.
    """
    if date_from > date_to:
        raise BadPeriod(details={"from": date_from.isoformat(), "to": date_to.isoformat()})
    scope, community_ids = _scope(area_id, unit_id)
    months, edges = split_period(date_from, date_to)
    tally = _Tally()
    _read_demands(tally, months=months, edges=edges, community_ids=community_ids, unit_id=unit_id)
    _read_assignments(tally, months=months, edges=edges, community_ids=community_ids, unit_id=unit_id)
    sums, by = tally.sums, tally.by

    rates = {}
    for key, definition in rate_definitions().items():
        numerator, denominator = sums[definition["numerator"]], sums[definition["denominator"]]
        rates[key] = {
            "value": rate_value(numerator, denominator),
            "numerator": numerator,
            "denominator": denominator,
            **{k: definition[k] for k in ("label", "label_en", "formula", "formula_en")},
        }

    community_keys = [k for k, n in by["community"].items() if k != NONE_ID and n]
    community_names = (
        dict(jurisdiction_list().filter(pk__in=community_keys).values_list("pk", "name"))
        if community_keys
        else {}
    )
    category_keys = [k for k, n in by["category"].items() if k != NONE_ID and n]
    category_names = (
        dict(category_list().filter(pk__in=category_keys).values_list("pk", "name")) if category_keys else {}
    )
    return {
        "period": {
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "days": (date_to - date_from).days + 1,
            "cohort": "registered",
            "cohort_note": f"{COHORT_ZH}及其全部派单和回访",
            "cohort_note_en": f"{COHORT_EN}, with all their assignments and callbacks",
            "timezone": settings.TIME_ZONE,
        },
        "scope": scope,
        "rates": rates,
        "counts": {
            "total": sums["demands"],
            "resolved_at_intake": sums["resolved_at_intake"],
            "assignments_dispatched": sums["dispatched"],
            "assignments_signed": sums["signed"],
            "by_status": {s.value: by["status"].get(s.value, 0) for s in DemandStatus},
            "by_category": _named(by["category"], category_names, "未分类"),
            "by_channel": {c.value: by["channel"].get(c.value, 0) for c in Channel},
            "by_community": _named(by["community"], community_names, "未关联社区"),
            "by_type": {t.value: by["type"].get(t.value, 0) for t in DemandType},
        },
        "as_of": _as_of(),
    }
