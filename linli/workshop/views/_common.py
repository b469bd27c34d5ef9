"""What the workshop pages share. The only module of this app that imports the web layer (the lead repoints
it when ``linli/web`` becomes ``linli/ui``)."""

from __future__ import annotations

import datetime as dt
import re
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from linli.core import clock
from linli.core.daterange import check_date
from linli.core.errors import ApplicationError, PermissionDenied
from linli.ui.middleware import error_message
from linli.ui.pages import page_of, query_without_page  # noqa: F401  (re-exported for the views)
from linli.workshop.errors import BadInput
from linli.workshop.permissions import may_open_workshop
from linli.workshop.selectors import month_bounds


def workshop_page(view):
    """Sign-in required; staff who manage or read workshops, and a partner firm's account (its own orders only).

    Unlike ``staff_page``, a partner firm's account is let in: every page then shows only what it may see."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_open_workshop(request.user):
            raise PermissionDenied()
        return view(request, *args, **kwargs)

    return wrapped


def run(request, call, *, ok: str, back: str):
    """Call one service; a typed error becomes a message on the page it came from (services are atomic)."""
    try:
        result = call()
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
        return redirect(back), None
    messages.success(request, ok)
    return None, result


def date_of(value, name: str, *, default_today: bool = False) -> dt.date:
    if default_today and not (value or "").strip():
        return clock.today()
    try:
        day = dt.date.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise BadInput("日期格式应为 YYYY-MM-DD", "Dates are YYYY-MM-DD", details={name: value}) from exc
    return check_date(day, field=name)


def int_of(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise BadInput("应为整数", "A whole number is expected", details={name: value}) from exc


def fen_of(value, name: str) -> int:
    """Yuan as typed ("3.5", "0.35", "12") → fen, exactly (no float)."""
    text = (value or "").strip()
    if not re.fullmatch(r"\d{1,9}(\.\d{1,2})?", text):
        raise BadInput(
            "金额格式应为元，最多两位小数",
            "Amounts are in yuan with at most two decimals",
            details={name: value},
        )
    whole, _, cents = text.partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


def month_of(value) -> str:
    """ "YYYY-MM" as asked, else this local month."""
    value = (value or "").strip()
    try:
        month_bounds(value)
    except ValueError:
        return clock.today().strftime("%Y-%m")
    return value
