"""The dashboard's lists: hotspots (a kind of problem at a place) and overdue demands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Sum

from linli.analytics.metrics import rate_value
from linli.analytics.models import NONE_ID, DemandDayStat, DemandMonthStat, Dimension, Scope, month_of
from linli.analytics.reports.scope import ReportScope
from linli.core import clock
from linli.demands.selectors import DemandFilters, demand_list, unit_inbox
from linli.demands.states import DemandStatus
from linli.dispatch.selectors import area_hotspots, category_list
from linli.org.selectors import jurisdiction_list

HOTSPOT_LIMIT = 10
OVERDUE_LIMIT = 20
# Demands still with a unit: the ones an overdue mark still asks something of. At scale the list
# wants a partial index on Demand(finish_due) INCLUDE (area_path) WHERE is_overdue AND status IN
# these three (see the dashboard notes in bench/web_pages.py); keep the two lists equal.
OVERDUE_STATUSES = (DemandStatus.DISPATCHED, DemandStatus.IN_PROGRESS, DemandStatus.RETURNED)


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
