"""Helpers the access pages share."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages

from linli.core.daterange import check_date
from linli.core.errors import ApplicationError
from linli.ui.middleware import error_message


def act(request, call, *, ok: str):
    """Run one service call for a POST: the result, or None after showing the error (never a 500)."""
    try:
        result = call()
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
        for row in exc.details.get("errors", [])[:30]:
            messages.error(request, f"第 {row['row']} 行：{row['message']}")
        return None
    messages.success(request, ok)
    return result


def parse_date(raw: str | None, default: dt.date) -> dt.date:
    """The date typed (YYYY-MM-DD), the default when empty or unreadable; ``DateOutOfRange`` when far out."""
    try:
        day = dt.date.fromisoformat(raw or "")
    except ValueError:
        return default
    return check_date(day)
