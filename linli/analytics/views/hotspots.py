"""The hotspot page: an area's hot issues over a period, for dispatchers, the coordination office and leaders.

Each issue (one problem at one place, ``linli.analytics.reports.hot_issues``)
shows its size, growth, repeat callers, share of the area, first and last
date, a weekly trend, its communities and three sample demands, and links to
the demand list filtered to its demands. The coordination office can mark an
issue as the month's topic (每月一题) from here.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from linli.analytics.errors import BadPeriod
from linli.analytics.permissions import can_manage_topics
from linli.analytics.reports import area_choices, report_scope_for
from linli.analytics.reports.hot_issues import DEFAULT_DAYS, hot_issues
from linli.analytics.views.dashboard import HOTSPOT_ROLES, _area_param, _parse_day
from linli.core import clock
from linli.ui.middleware import error_message
from linli.ui.pages import staff_page

TOP = 15


def _period(params, today: dt.date) -> tuple[dt.date, dt.date]:
    raw_from, raw_to = (params.get("from") or "").strip(), (params.get("to") or "").strip()
    date_to = _parse_day(raw_to, "to") if raw_to else today
    date_from = _parse_day(raw_from, "from") if raw_from else date_to - dt.timedelta(days=DEFAULT_DAYS - 1)
    return date_from, date_to


@staff_page(*HOTSPOT_ROLES)
def hotspots_page(request):
    today = timezone.localdate(clock.now())
    params = request.GET
    scope = report_scope_for(request.user, area_id=_area_param(params))
    context = {
        "scope": scope,
        "scope_label": scope.area_name or "",
        "areas": [(pk, name, pk == scope.area_id) for pk, name in area_choices(request.user)],
        "form": {
            "area": params.get("area") or (scope.area_id or ""),
            "from": params.get("from", ""),
            "to": params.get("to", ""),
        },
        "can_mark": can_manage_topics(request.user),
    }
    try:
        date_from, date_to = _period(params, today)
        hot = hot_issues(scope=scope, date_from=date_from, date_to=date_to, top=TOP)
    except BadPeriod as error:
        context.update(error=error, message=error_message(error))
        return render(request, "analytics/hotspots.html", context, status=error.status)
    demands_url = reverse("web:demand_list")
    topic_url = reverse("web:topic_new")
    for row in hot["rows"]:
        ids = ",".join(str(i) for i in row["demand_ids"])
        row["demands_href"] = f"{demands_url}?{urlencode({'ids': ids})}"
        mark = {"title": row["label"], "place": row["place"], "terms": "、".join(row["terms"]), "ids": ids}
        if scope.area_id:
            mark["area"] = scope.area_id
        row["mark_href"] = f"{topic_url}?{urlencode(mark)}"
        row["communities_max"] = max((n for _, n in row["communities"]), default=1)
    context.update(hot=hot, date_from=date_from, date_to=date_to)
    return render(request, "analytics/hotspots.html", context)
