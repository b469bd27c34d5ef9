"""Writes of the core app: the holiday table."""

import datetime as dt

from django.db import transaction

from linli.core.calendar import reset_calendar_cache
from linli.core.models import CalendarDay


@transaction.atomic
def calendar_day_set(*, date: dt.date, is_workday: bool, name: str = "") -> CalendarDay:
    row, _ = CalendarDay.objects.update_or_create(
        date=date, defaults={"is_workday": is_workday, "name": name}
    )
    transaction.on_commit(reset_calendar_cache)
    return row


@transaction.atomic
def calendar_day_delete(*, date: dt.date) -> None:
    CalendarDay.objects.filter(date=date).delete()
    transaction.on_commit(reset_calendar_cache)
