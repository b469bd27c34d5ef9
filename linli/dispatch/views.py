"""The monthly dispatch-quality report: how often the suggestion was right, how often orders came back."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone

from linli.core import clock
from linli.dispatch.selectors import dispatch_quality
from linli.org.states import Role
from linli.ui.pages import staff_page

MONTHS = 6


def _months_back(today: dt.date, count: int) -> list[tuple[int, int]]:
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


@staff_page(Role.DISPATCHER, Role.COORDINATION_OFFICE, Role.LEADER, Role.ADMIN)
def dispatch_quality_page(request):
    today = timezone.localdate(clock.now())
    rows = [dispatch_quality(year=y, month=m) for y, m in _months_back(today, MONTHS)]
    return render(request, "dispatch/quality.html", {"rows": rows})
