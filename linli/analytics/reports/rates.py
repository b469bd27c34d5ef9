"""The six figures by month and by unit, from the rollup rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum

from linli.analytics.metrics import rate_definitions, rate_value
from linli.analytics.models import (
    ASSIGNMENT_COUNTERS,
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
from linli.analytics.reports.scope import ReportScope
from linli.analytics.selectors import split_period
from linli.org.selectors import unit_list


def _days(edges: list[tuple[dt.date, dt.date]]) -> Q:
    cond = Q()
    for first, last in edges:
        cond |= Q(day__gte=first, day__lte=last)
    return cond


def _rates(sums: dict[str, int], definitions: dict[str, dict[str, str]]) -> dict[str, dict[str, Any]]:
    """Each figure's value, numerator and denominator from counter sums (labels and formulas travel separately)."""
    out = {}
    for key, definition in definitions.items():
        numerator, denominator = sums.get(definition["numerator"], 0), sums.get(definition["denominator"], 0)
        out[key] = {
            "value": rate_value(numerator, denominator),
            "numerator": numerator,
            "denominator": denominator,
        }
    return out


def _add(target: dict[str, int], row: dict[str, Any], fields) -> None:
    for c in fields:
        target[c] = target.get(c, 0) + (row.get(f"sum_{c}") or 0)


_DEMAND_SUMS = {f"sum_{c}": Sum(c) for c in COUNTERS}
_ASSIGNMENT_SUMS = {f"sum_{c}": Sum(c) for c in ASSIGNMENT_COUNTERS}


def _demand_months(scope: ReportScope, months: tuple[dt.date, dt.date]) -> QuerySet:
    rows = DemandMonthStat.objects.filter(month__gte=months[0], month__lte=months[1], dimension=Dimension.ALL)
    if scope.unit_id is not None:
        return rows.filter(scope=Scope.UNIT, scope_id=scope.unit_id)
    if scope.community_ids is None:
        return rows.filter(scope=Scope.CITY, scope_id=NONE_ID)
    return rows.filter(scope=Scope.COMMUNITY, scope_id__in=scope.community_ids)


def _demand_days(scope: ReportScope, edges) -> QuerySet:
    rows = DemandDayStat.objects.filter(_days(edges))
    if scope.community_ids is not None:
        rows = rows.filter(community_id__in=scope.community_ids)
    if scope.unit_id is not None:
        rows = rows.filter(lead_unit_id=scope.unit_id)
    return rows


def _assignments(scope: ReportScope, qs: QuerySet) -> QuerySet:
    if scope.community_ids is not None:
        qs = qs.filter(community_id__in=scope.community_ids)
    if scope.unit_id is not None:
        qs = qs.filter(unit_id=scope.unit_id)
    return qs


# --- assignments per month and unit -------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentGrid:
    """Assignment counters per (month, assigned unit) of one scope and period.

    The trend sums it by month, the ranking by unit: on a page showing both,
    the assignment rollup is read once instead of twice.
    """

    date_from: dt.date
    date_to: dt.date
    cells: dict[tuple[dt.date, int], dict[str, int]]

    def covers(self, date_from: dt.date, date_to: dt.date) -> bool:
        """True for this very period, or for whole months inside it (its own partial end months come earlier or later)."""
        if (date_from, date_to) == (self.date_from, self.date_to):
            return True
        whole = date_from.day == 1 and date_to == month_end(date_to)
        return whole and self.date_from <= date_from and date_to <= self.date_to

    def by_month(self) -> dict[dt.date, dict[str, int]]:
        out: dict[dt.date, dict[str, int]] = {}
        for (month, _), counters in self.cells.items():
            acc = out.setdefault(month, {})
            for c, n in counters.items():
                acc[c] = acc.get(c, 0) + n
        return out

    def by_unit(self, date_from: dt.date, date_to: dt.date) -> dict[int, dict[str, int]]:
        out: dict[int, dict[str, int]] = {}
        for (month, unit_id), counters in self.cells.items():
            if month_of(date_from) <= month <= date_to:
                acc = out.setdefault(unit_id, {})
                for c, n in counters.items():
                    acc[c] = acc.get(c, 0) + n
        return out


def assignment_grid(*, scope: ReportScope, date_from: dt.date, date_to: dt.date) -> AssignmentGrid:
    """At most two queries: whole months from the month rows, the days at either end from the day rows."""
    months, edges = split_period(date_from, date_to)
    cells: dict[tuple[dt.date, int], dict[str, int]] = {}
    if months:
        qs = AssignmentMonthStat.objects.filter(month__gte=months[0], month__lte=months[1])
        for row in _assignments(scope, qs).values("month", "unit_id").annotate(**_ASSIGNMENT_SUMS).order_by():
            _add(cells.setdefault((row["month"], row["unit_id"]), {}), row, ASSIGNMENT_COUNTERS)
    if edges:
        qs = AssignmentDayStat.objects.filter(_days(edges))
        for row in _assignments(scope, qs).values("day", "unit_id").annotate(**_ASSIGNMENT_SUMS).order_by():
            _add(cells.setdefault((month_of(row["day"]), row["unit_id"]), {}), row, ASSIGNMENT_COUNTERS)
    return AssignmentGrid(date_from, date_to, cells)


def _merge(target: dict, source: dict) -> None:
    for key, counters in source.items():
        acc = target.setdefault(key, {})
        for c, n in counters.items():
            acc[c] = acc.get(c, 0) + n


# --- the monthly trend --------------------------------------------------------------------------------


def rate_trend(
    *, scope: ReportScope, date_from: dt.date, date_to: dt.date, assignments: AssignmentGrid | None = None
) -> list[dict[str, Any]]:
    """The six figures per month of registration, every month of the period listed (empty ones too).

    The months at either end count only the days inside the period. At most
    four queries (months and edge days, for demand and assignment rows); two
    when ``assignments`` is the grid of this very period.
    """
    months, edges = split_period(date_from, date_to)
    sums: dict[dt.date, dict[str, int]] = {}
    if months:
        for row in _demand_months(scope, months).values("month").annotate(**_DEMAND_SUMS).order_by():
            _add(sums.setdefault(row["month"], {}), row, COUNTERS)
    if edges:
        for row in _demand_days(scope, edges).values("day").annotate(**_DEMAND_SUMS).order_by():
            _add(sums.setdefault(month_of(row["day"]), {}), row, COUNTERS)
    if assignments is None or (assignments.date_from, assignments.date_to) != (date_from, date_to):
        assignments = assignment_grid(scope=scope, date_from=date_from, date_to=date_to)
    _merge(sums, assignments.by_month())
    out = []
    definitions = rate_definitions()
    month = month_of(date_from)
    while month <= date_to:
        counters = sums.get(month, {})
        out.append(
            {"month": month, "demands": counters.get("demands", 0), "rates": _rates(counters, definitions)}
        )
        month = month_end(month) + dt.timedelta(days=1)
    return out


# --- units --------------------------------------------------------------------------------------------

RANKING_SORTS = ("name", "demands", *rate_definitions().keys())


def unit_ranking(
    *,
    scope: ReportScope,
    date_from: dt.date,
    date_to: dt.date,
    sort: str = "-demands",
    assignments: AssignmentGrid | None = None,
) -> list[dict[str, Any]]:
    """The six figures per unit for the demands of the scope: demand figures by handling unit (lead unit, or the answering unit of a demand resolved at intake), the response rate by assigned unit.

    Each row equals ``metrics_compute(unit_id=…)`` restricted to the scope's
    communities; active units only. The unit ids first (they are needed for
    the names, and they let the month rows be read through their unique
    index instead of a scan), then one grouped query per rollup table and
    grain: at most five queries for any number of units, three with an
    ``assignments`` grid that covers the period. ``sort`` is a key of
    ``RANKING_SORTS``, ``-`` for descending; units without a value go last.
    """
    names = dict(unit_list().values_list("pk", "name"))
    if scope.unit_id is not None:
        names = {k: v for k, v in names.items() if k == scope.unit_id}
    if not names:
        return []
    months, edges = split_period(date_from, date_to)
    sums: dict[int, dict[str, int]] = {}
    if months:
        rows = DemandMonthStat.objects.filter(
            scope=Scope.UNIT, scope_id__in=sorted(names), month__gte=months[0], month__lte=months[1]
        )
        if scope.community_ids is None:
            rows = rows.filter(dimension=Dimension.ALL)
        else:
            rows = rows.filter(dimension=Dimension.COMMUNITY, value__in=[str(i) for i in scope.community_ids])
        for row in rows.values("scope_id").annotate(**_DEMAND_SUMS).order_by():
            _add(sums.setdefault(row["scope_id"], {}), row, COUNTERS)
    if edges:
        for row in _demand_days(scope, edges).values("lead_unit_id").annotate(**_DEMAND_SUMS).order_by():
            _add(sums.setdefault(row["lead_unit_id"], {}), row, COUNTERS)
    if assignments is None or not assignments.covers(date_from, date_to):
        assignments = assignment_grid(scope=scope, date_from=date_from, date_to=date_to)
    _merge(sums, assignments.by_unit(date_from, date_to))
    definitions = rate_definitions()
    rows_out = [
        {
            "id": pk,
            "name": names[pk],
            "demands": counters.get("demands", 0),
            "dispatched": counters.get("dispatched", 0),
            "rates": _rates(counters, definitions),
        }
        for pk, counters in sums.items()
        # Demands no unit handled (never dispatched: merged, invalid, withdrawn) have no row here.
        if pk in names and any(counters.values())
    ]
    return sort_ranking(rows_out, sort)


def sort_ranking(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    key = sort.lstrip("-")
    if key not in RANKING_SORTS:
        key, sort = "demands", "-demands"
    descending = sort.startswith("-")
    rows = sorted(rows, key=lambda r: r["name"])  # stable tie-break by name
    if key == "name":
        return sorted(rows, key=lambda r: r["name"], reverse=descending)

    def value(row):
        return row["demands"] if key == "demands" else row["rates"][key]["value"]

    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    return sorted(present, key=value, reverse=descending) + missing
