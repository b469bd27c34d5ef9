"""Reads behind the dashboard: who sees which scope, the monthly trend, a ranking of units, hotspots, overdue demands.

Like ``metrics_compute``, the figures read the rollup rows only (a cohort by
registration day: see ``linli.analytics.models``): whole months from the month
rows, the days at either end of a period from the day rows. The overdue list
is the one live read: a short, indexed page of open demands.

``read_period`` widens a period that ends today to the end of the month. No
demand is registered after today, so the month row of the current month *is*
the month to date, and the default views (this year, the last twelve months)
read month rows only instead of every day row of the current month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum

from linli.analytics.errors import BadPeriod
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
from linli.analytics.selectors import split_period
from linli.core import clock
from linli.core.errors import NotFound, PermissionDenied
from linli.demands.selectors import DemandFilters, demand_list, unit_inbox
from linli.demands.states import DemandStatus
from linli.dispatch.selectors import area_hotspots, category_list
from linli.org.permissions import is_unit_staff
from linli.org.selectors import jurisdiction_get, jurisdiction_list, jurisdiction_subtree_ids, unit_list
from linli.org.states import LEVEL_DEPTH

MAX_YEARS = 3
OVERDUE_LIMIT = 20
HOTSPOT_LIMIT = 10
# Demands still with a unit: the ones an overdue mark still asks something of. At scale the list
# wants a partial index on Demand(finish_due) INCLUDE (area_path) WHERE is_overdue AND status IN
# these three (see the dashboard notes in bench/web_pages.py); keep the two lists equal.
OVERDUE_STATUSES = (DemandStatus.DISPATCHED, DemandStatus.IN_PROGRESS, DemandStatus.RETURNED)


class AreaNotVisible(NotFound):
    code = "analytics.area_not_visible"
    message_zh = "该区域不存在，或不在您的管辖范围内"
    message_en = "No such area, or it is outside your jurisdiction"


class OwnUnitOnly(PermissionDenied):
    # The same code as the metrics endpoint gives unit staff.
    code = "metrics.own_unit_only"
    message_zh = "单位工作人员只能查看本单位的统计"
    message_en = "Unit staff may only see their own unit's figures"


# --- scope --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: the whole city, an area (its communities), or one lead unit."""

    kind: str  # "city", "area" or "unit"
    area_id: int | None = None
    area_name: str = ""
    area_path: str | None = None  # None for the city root: no filter on the live table
    unit_id: int | None = None
    unit_name: str = ""
    community_ids: tuple[int, ...] | None = None  # None: no community filter

    @property
    def metrics_kwargs(self) -> dict[str, int | None]:
        return {"area_id": self.area_id, "unit_id": self.unit_id}


def _area_scope(area) -> ReportScope:
    if area.parent_id is None:  # the root of the tree is the whole city, demands without a community included
        return ReportScope(kind="area", area_id=area.pk, area_name=area.name)
    return ReportScope(
        kind="area",
        area_id=area.pk,
        area_name=area.name,
        area_path=area.path,
        community_ids=tuple(jurisdiction_subtree_ids(jurisdiction=area)),
    )


def report_scope_for(user, *, area_id: int | None = None) -> ReportScope:
    """The scope this user asks for: unit staff their own unit, the others their jurisdiction or an area inside it.

    An area outside the user's jurisdiction answers like one that does not
    exist (404); unit staff asking for any area get a 403.
    """
    if is_unit_staff(user):
        if area_id is not None:
            raise OwnUnitOnly(details={"area": area_id})
        return ReportScope(kind="unit", unit_id=user.unit_id, unit_name=user.unit.name if user.unit else "")
    home = jurisdiction_get(jurisdiction_id=user.jurisdiction_id) if user.jurisdiction_id else None
    if area_id is None:
        return _area_scope(home) if home else ReportScope(kind="city")
    area = jurisdiction_list().filter(pk=area_id).first()
    if area is None or (home is not None and not area.path.startswith(home.path)):
        raise AreaNotVisible(details={"area": area_id})
    return _area_scope(area)


def area_choices(user) -> list[tuple[int, str]]:
    """The areas this user may pick, in tree order, indented by level; empty for unit staff."""
    if is_unit_staff(user):
        return []
    qs = jurisdiction_list().only("id", "name", "level", "path").order_by("path")
    if user.jurisdiction_id:
        home = user.jurisdiction
        qs = qs.filter(path__startswith=home.path)
        top = LEVEL_DEPTH.get(home.level, 0)
    else:
        top = 0
    return [(j.pk, "\u3000" * max(LEVEL_DEPTH.get(j.level, 0) - top, 0) + j.name) for j in qs]


# --- periods ------------------------------------------------------------------------------------------


def check_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_from > date_to:
        raise BadPeriod(details={"from": date_from.isoformat(), "to": date_to.isoformat()})
    try:
        limit = date_from.replace(year=date_from.year + MAX_YEARS)
    except ValueError:  # 29 February
        limit = date_from.replace(year=date_from.year + MAX_YEARS, day=28)
    if date_to >= limit:
        raise BadPeriod(
            f"统计期不能超过 {MAX_YEARS} 年",
            f"The period may not be longer than {MAX_YEARS} years",
            code="analytics.period_too_long",
            details={"from": date_from.isoformat(), "to": date_to.isoformat()},
        )


def read_period(date_from: dt.date, date_to: dt.date, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """The same cohort, ending at a month's end when it reaches today, so the current month is read as one month row."""
    if date_to >= today:
        return date_from, max(date_to, month_end(today))
    return date_from, date_to


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
    """The six figures per unit for the demands of the scope: demand figures by lead unit, the response rate by assigned unit.

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
        # Demands without a lead unit (resolved at intake, merged, invalid) have no row here.
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


# --- hotspots -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HotspotWindow:
    """The recent window (three calendar months to today) and the three months before it."""

    recent_from: dt.date
    recent_to: dt.date
    previous_from: dt.date
    previous_to: dt.date

    @property
    def recent_days(self) -> int:
        return (self.recent_to - self.recent_from).days + 1

    @property
    def previous_days(self) -> int:
        return (self.previous_to - self.previous_from).days + 1


def _months_back(month: dt.date, n: int) -> dt.date:
    for _ in range(n):
        month = month_of(month - dt.timedelta(days=1))
    return month


def hotspot_window(today: dt.date) -> HotspotWindow:
    recent_from = _months_back(month_of(today), 2)
    previous_from = _months_back(recent_from, 3)
    return HotspotWindow(recent_from, today, previous_from, recent_from - dt.timedelta(days=1))


def rollup_hotspots(*, scope: ReportScope, today: dt.date, limit: int = HOTSPOT_LIMIT) -> dict[str, Any]:
    """(top category, community) pairs with the most demands in the recent window, their share and growth.

    Windows are whole calendar months (the current one to date), so the city
    and an area read month rows only: one query. Growth compares the daily
    average of the recent window with that of the three months before (None:
    nothing before). A unit's pairs come from its day rows.
    """
    window = hotspot_window(today)
    recent = Q(month__gte=window.recent_from) if scope.unit_id is None else Q(day__gte=window.recent_from)
    previous = ~recent
    if scope.unit_id is None:
        qs = DemandMonthStat.objects.filter(
            scope=Scope.COMMUNITY,
            dimension=Dimension.CATEGORY,
            month__gte=window.previous_from,
            month__lte=month_of(today),
        )
        if scope.community_ids is not None:
            qs = qs.filter(scope_id__in=scope.community_ids)
        rows = qs.values("scope_id", "value").annotate(
            recent=Sum("demands", filter=recent), previous=Sum("demands", filter=previous)
        )
        pairs = [(r["scope_id"], int(r["value"]), r["recent"] or 0, r["previous"] or 0) for r in rows]
    else:
        qs = DemandDayStat.objects.filter(
            lead_unit_id=scope.unit_id, day__gte=window.previous_from, day__lte=window.recent_to
        )
        rows = qs.values("community_id", "category_top_id").annotate(
            recent=Sum("demands", filter=recent), previous=Sum("demands", filter=previous)
        )
        pairs = [
            (r["community_id"], r["category_top_id"], r["recent"] or 0, r["previous"] or 0) for r in rows
        ]
    total = sum(p[2] for p in pairs)
    # A hotspot is a kind of problem at a place: pairs without a community or a category are no hotspot.
    pairs = [p for p in pairs if p[0] != NONE_ID and p[1] != NONE_ID and p[2]]
    pairs.sort(key=lambda p: (-p[2], -p[3], p[0], p[1]))
    pairs = pairs[:limit]
    communities = dict(
        jurisdiction_list().filter(pk__in={p[0] for p in pairs}).values_list("pk", "name") if pairs else []
    )
    categories = dict(
        category_list().filter(pk__in={p[1] for p in pairs}).values_list("pk", "name") if pairs else []
    )
    out = []
    for community_id, category_id, n, before in pairs:
        growth = None
        if before:
            growth = round((n / window.recent_days) / (before / window.previous_days) - 1, 4)
        out.append(
            {
                "community_id": community_id,
                "community": communities.get(community_id, f"#{community_id}"),
                "category_id": category_id,
                "category": categories.get(category_id, f"#{category_id}"),
                "count": n,
                "previous": before,
                "share": rate_value(n, total),
                "growth": growth,
            }
        )
    return {"window": window, "total": total, "rows": out}


DISPATCH_HOTSPOT_DAYS = 90


def dispatch_hotspots(*, scope: ReportScope, today: dt.date, limit: int = HOTSPOT_LIMIT) -> dict[str, Any]:
    """The text-clustering hotspots of ``linli.dispatch.selectors.area_hotspots`` in the dashboard's shape.

    A hotspot is then a topic at a place (its label and key terms), not a
    category; ``growth`` compares the later half of the 90 days with the
    earlier half. It clusters every demand of the window on each call, so it
    is not the default for pages at city scale. A unit has no area: its
    hotspots stay those of the rollup.
    """
    if scope.unit_id is not None:
        return rollup_hotspots(scope=scope, today=today, limit=limit)
    start = today - dt.timedelta(days=DISPATCH_HOTSPOT_DAYS - 1)
    found = area_hotspots(jurisdiction_id=scope.area_id, days=DISPATCH_HOTSPOT_DAYS, top=limit)
    rows = [
        {
            "community": h.place,
            "category": "、".join(h.terms) or h.label,
            "count": h.size,
            "share": round(h.share, 4),
            "previous": None,
            "growth": round(h.growth - 1, 4),
        }
        for h in found
    ]
    window = HotspotWindow(start, today, start, start - dt.timedelta(days=1))
    return {"window": window, "total": None, "rows": rows}


# Which hotspots the dashboard shows: the rollup pairs (one indexed query at any scale), or the
# dispatch app's text clusters with ``HOTSPOTS = dispatch_hotspots``. Both take the same keywords
# and answer the same shape.
HOTSPOTS: Callable[..., dict[str, Any]] = rollup_hotspots


def hotspot_list(*, scope: ReportScope, today: dt.date, limit: int = HOTSPOT_LIMIT) -> dict[str, Any]:
    return HOTSPOTS(scope=scope, today=today, limit=limit)


# --- overdue demands ----------------------------------------------------------------------------------


def overdue_list(*, user, scope: ReportScope, limit: int = OVERDUE_LIMIT) -> dict[str, Any]:
    """Open demands past their finish deadline that this user may see, the longest overdue first, and how many there are.

    A unit's list is its inbox tab "overdue" (its own assignments past their
    deadline, lead or assisting); an area's or the city's, the open demands
    whose lead assignment went overdue.
    """
    now = clock.now()
    if scope.unit_id is not None:
        assignments = unit_inbox(unit_id=scope.unit_id, tab="overdue")
        page = [(a.demand, a.unit.name, a.finish_due) for a in assignments[:limit]]
        counted = assignments
    else:
        filters = DemandFilters(
            status=[str(s) for s in OVERDUE_STATUSES],
            overdue=True,
            sort="finish_due",
            area_path=scope.area_path,
        )
        demands = demand_list(user=user, filters=filters)
        page = [(d, d.lead_unit.name if d.lead_unit else "", d.finish_due) for d in demands[:limit]]
        counted = demands
    rows = [
        {
            "id": d.pk,
            "code": d.code,
            "title": d.title or d.text[:40],
            "status": d.get_status_display(),
            "community": d.community.name if d.community else "",
            "unit": unit_name,
            "finish_due": due,
            "days_over": max((now - due).days, 0) if due else None,
        }
        for d, unit_name, due in page
    ]
    total = len(rows) if len(rows) < limit else counted.count()
    return {"rows": rows, "total": total}
