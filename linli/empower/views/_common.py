"""What the empowerment pages share. The one module of this app that imports from ``linli.ui``."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from linli.core.daterange import check_date
from linli.core.errors import ApplicationError, PermissionDenied
from linli.empower.errors import BadInput
from linli.ui.middleware import error_message  # noqa: F401  (re-exported for the views)
from linli.ui.pages import page_of  # noqa: F401  (re-exported for the views)


def signed_in_page(view):
    """Sign-in required; the view itself decides, through ``empower.permissions``, what this person sees.
    Used instead of ``staff_page`` because instructors and volunteers have pages here too."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapped


def refuse() -> None:
    raise PermissionDenied()


def run(request, call, *, ok: str, back: str):
    """Call one service; a typed error becomes a message on the page it came from (services are atomic)."""
    try:
        call()
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
        return redirect(back)
    messages.success(request, ok)
    return redirect(back)


def int_of(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise BadInput(details={name: "not a number"}) from exc


def date_of(value: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise BadInput("日期格式应为 YYYY-MM-DD", "Dates are YYYY-MM-DD", details={name: value}) from exc
    return check_date(day, field=name)
