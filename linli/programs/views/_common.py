"""What the programs pages share. The only module of this app that imports the web layer (the lead repoints
it when ``linli/web`` becomes ``linli/ui``)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect

from linli.core.daterange import check_date
from linli.core.errors import ApplicationError
from linli.programs.errors import BadInput
from linli.ui.middleware import error_message
from linli.ui.pages import page_of, query_without_page, staff_page  # noqa: F401  (re-exported for the views)


def run(request, call, *, ok: str, back: str):
    """Call one service; a typed error becomes a message on the page it came from (services are atomic)."""
    try:
        result = call()
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
        return redirect(back), None
    messages.success(request, ok)
    return None, result


def date_of(value, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise BadInput("日期格式应为 YYYY-MM-DD", "Dates are YYYY-MM-DD", details={name: value}) from exc
    return check_date(day, field=name)


def time_of(value, name: str) -> dt.time:
    try:
        return dt.time.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise BadInput("时间格式应为 HH:MM", "Times are HH:MM", details={name: value}) from exc


def int_of(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise BadInput(details={name: "not a number"}) from exc
