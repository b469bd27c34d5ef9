"""The holiday calendar on pages: the warning about unconfirmed years and the mark on deadlines."""

from __future__ import annotations

import datetime as dt

from django import template

from linli.core import calendar

register = template.Library()


@register.inclusion_tag("core/calendar_warning.html")
def holiday_schedule_warning(admin: bool = False) -> dict:
    """A warning when a year within the next 60 days has no official holiday schedule."""
    years = calendar.upcoming_unconfirmed_years()
    return {"years": "、".join(str(y) for y in years), "admin": admin}


@register.filter
def calendar_unconfirmed(due: dt.datetime | None) -> bool:
    """Whether a deadline runs into a year whose holidays are not confirmed (counted on weekends only)."""
    return calendar.deadline_unconfirmed(due, start=None)
