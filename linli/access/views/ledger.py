"""The burden ledger: per community of the reader's area, its totals, before and after, charts and XLSX."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from linli.access.ledger import COLUMNS, ledger_compare, ledger_xlsx
from linli.access.permissions import ledger_area
from linli.access.views._shared import parse_date
from linli.core import clock
from linli.org.states import Role
from linli.ui.pages import staff_page

READERS = (Role.LEADER, Role.COORDINATION_OFFICE, Role.ADMIN)


def _periods(request):
    today = clock.today()
    mid = today - dt.timedelta(days=182)  # the last half-year against the half-year before it
    before = (
        parse_date(request.GET.get("before_from"), today - dt.timedelta(days=364)),
        parse_date(request.GET.get("before_to"), mid - dt.timedelta(days=1)),
    )
    after = (
        parse_date(request.GET.get("after_from"), mid),
        parse_date(request.GET.get("after_to"), today),
    )
    return before, after


@staff_page(*READERS)
def ledger(request):
    before, after = _periods(request)
    data = ledger_compare(before=before, after=after, area=ledger_area(request.user))
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            ledger_xlsx(ledger=data["after"]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="ledger-{after[0]}-{after[1]}.xlsx"'
        return response
    chart = {
        "communities": [r["name"] for r in data["after"]["rows"]],
        "series": {
            k: [r[k] for r in data["after"]["rows"]]
            for k in ("admitted", "refused", "pending", "inspections")
        },
        "labels": {k: gettext(label) for k, label in COLUMNS},
        "compare": [
            {"label": gettext(line["label"]), "before": line["before"], "after": line["after"]}
            for line in data["lines"]
        ],
    }
    return render(
        request,
        "access/ledger.html",
        {
            "data": data,
            "columns": COLUMNS,
            "before": before,
            "after": after,
            "chart": chart,
            "query": request.GET.urlencode(),
        },
    )
