"""Hot issues: one problem at one place, found in the text of a scope's demands over a period.

The dashboard's hotspot panel, the hotspot page and 每月一题 all read this one
function, so they name the same issues. It clusters the period's demands on
each call (``linli.dispatch.hotspots``, reading the dispatch app's signature
table, never the demand table); a period is capped at ``MAX_DAYS``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.utils import timezone

from linli.analytics.errors import BadPeriod
from linli.analytics.reports.scope import ReportScope
from linli.dispatch.selectors import hotspot_issues

MAX_DAYS = 366
DEFAULT_DAYS = 90
SAMPLES = 3


def local_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def _buckets(date_from: dt.date, date_to: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Weeks for a period up to four months, months beyond: the trend's bars."""
    days = (date_to - date_from).days + 1
    out = []
    if days <= 124:
        start = date_from
        while start <= date_to:
            end = min(start + dt.timedelta(days=6), date_to)
            out.append((start, end))
            start = end + dt.timedelta(days=1)
        return out
    start = date_from
    while start <= date_to:
        nxt = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        end = min(nxt - dt.timedelta(days=1), date_to)
        out.append((start, end))
        start = nxt
    return out


def check_window(date_from: dt.date, date_to: dt.date) -> None:
    if date_from > date_to:
        raise BadPeriod(details={"from": date_from.isoformat(), "to": date_to.isoformat()})
    if (date_to - date_from).days + 1 > MAX_DAYS:
        raise BadPeriod(
            f"热点分析的时段不能超过 {MAX_DAYS} 天",
            f"A hotspot period may not be longer than {MAX_DAYS} days",
            code="analytics.hotspot_period_too_long",
            details={"from": date_from.isoformat(), "to": date_to.isoformat()},
        )


def hot_issues(*, scope: ReportScope, date_from: dt.date, date_to: dt.date, top: int = 10) -> dict[str, Any]:
    """The ranked hot issues of an area (or the city) for the local days ``date_from``–``date_to``."""
    check_window(date_from, date_to)
    city_wide = scope.kind == "city" or (scope.kind == "area" and scope.community_ids is None)
    found, about = hotspot_issues(
        community_ids=scope.community_ids,
        start=local_start(date_from),
        end=local_start(date_to + dt.timedelta(days=1)),
        top=top,
        city_wide=city_wide,
    )
    buckets = _buckets(date_from, date_to)
    rows = []
    for h in found:
        members = [about[i] for i in h.ids if i in about]
        days = [timezone.localtime(m["at"]).date() for m in members]
        trend = [{"from": a, "to": b, "count": sum(1 for d in days if a <= d <= b)} for a, b in buckets]
        peak = max((t["count"] for t in trend), default=0) or 1
        for t in trend:
            t["height"] = round(100 * t["count"] / peak)
        middle = date_from + (date_to - date_from) / 2
        late = sum(1 for d in days if d > middle)
        early = len(days) - late
        communities = Counter(m["community"] or "—" for m in members).most_common()
        rows.append(
            {
                "rank": h.rank,
                "label": h.label,
                "place": h.place,
                "terms": h.terms,
                "size": h.size,
                "share": h.share,
                "early": early,
                "late": late,
                # the later half of the period against the earlier half (None: nothing in the earlier half)
                "growth": round(late / early - 1, 4) if early else None,
                "repeat_callers": h.repeat_callers,
                "first": h.first_at,
                "last": h.last_at,
                "demand_ids": [int(i) for i in h.ids],
                "samples": [
                    {"id": int(i), "code": about[i]["code"], "excerpt": about[i]["excerpt"]}
                    for i in h.samples[:SAMPLES]
                    if i in about
                ],
                "communities": communities,
                "trend": trend,
            }
        )
    return {"rows": rows, "total": len(about), "date_from": date_from, "date_to": date_to}
