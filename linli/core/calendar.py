"""Working-day calendar and deadline arithmetic.

China's official holidays and make-up working days (调休) come from the
``chinesecalendar`` package. Rows of :class:`~linli.core.models.CalendarDay`
override it date by date; for a year the package does not know, the calendar
is Monday–Friday plus those rows, and a warning is logged once per year.

Deadline rules:

- *natural* minutes and hours run round the clock;
- *working hours* run only inside ``LINLI_WORK_PERIODS`` on working days;
- *N working days* end at the close of the N-th working day after the start
  day (the start day itself is not counted), so a demand registered on Friday
  afternoon with 3 working days is due at close of business on Wednesday.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from functools import lru_cache

import chinese_calendar
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("linli.calendar")

_CACHE_SECONDS = 30.0
_lock = threading.Lock()
_overrides: dict[dt.date, bool] = {}
_overrides_loaded_at = 0.0
_warned_years: set[int] = set()


def reset_calendar_cache() -> None:
    """Forget the cached admin overrides (called after they change)."""
    global _overrides_loaded_at
    with _lock:
        _overrides_loaded_at = 0.0


def _load_overrides() -> dict[dt.date, bool]:
    global _overrides, _overrides_loaded_at
    now = time.monotonic()
    if now - _overrides_loaded_at < _CACHE_SECONDS:
        return _overrides
    from linli.core.models import CalendarDay

    with _lock:
        _overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
        _overrides_loaded_at = now
    return _overrides


def is_workday(day: dt.date) -> bool:
    override = _load_overrides().get(day)
    if override is not None:
        return override
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning(
                "chinesecalendar has no data for %s; using Monday-Friday plus the holiday table (节假日/调休表)",
                day.year,
            )
        return day.weekday() < 5


@lru_cache(maxsize=8)
def _periods(raw: tuple[tuple[str, str], ...]) -> tuple[tuple[dt.time, dt.time], ...]:
    return tuple((dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in raw)


def work_periods() -> tuple[tuple[dt.time, dt.time], ...]:
    return _periods(tuple(tuple(p) for p in settings.LINLI_WORK_PERIODS))


def _local(moment: dt.datetime) -> dt.datetime:
    if timezone.is_naive(moment):
        raise ValueError("naive datetime")
    return timezone.localtime(moment)


def _at(day: dt.date, t: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, t))


def next_workday(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    for _ in range(400):
        if is_workday(day):
            return day
        day += dt.timedelta(days=1)
    raise ValueError("no working day within 400 days")


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    day = _local(start).date()
    for _ in range(days):
        day = next_workday(day)
    if days == 0 and not is_workday(day):
        day = next_workday(day)
    return _at(day, work_periods()[-1][1])


def add_working_minutes(start: dt.datetime, minutes: int) -> dt.datetime:
    remaining = dt.timedelta(minutes=minutes)
    cursor = _local(start)
    day = cursor.date()  # local-date: cursor is local time
    for _ in range(800):
        if is_workday(day):
            for begin, end in work_periods():
                p_start, p_end = _at(day, begin), _at(day, end)
                if cursor >= p_end:
                    continue
                cursor = max(cursor, p_start)
                available = p_end - cursor
                if remaining <= available:
                    return cursor + remaining
                remaining -= available
                cursor = p_end
        day += dt.timedelta(days=1)
        cursor = _at(day, dt.time(0, 0))
    raise ValueError("deadline beyond 800 days")


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days d with start < d <= end."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday(day)
    return count


def add_duration(start: dt.datetime, amount: int, unit: str) -> dt.datetime:
    """Add ``amount`` of ``unit`` (minutes, hours, working_hours, working_days) to ``start``."""
    if unit == "minutes":
        return start + dt.timedelta(minutes=amount)
    if unit == "hours":
        return start + dt.timedelta(hours=amount)
    if unit == "working_hours":
        return add_working_minutes(start, amount * 60)
    if unit == "working_days":
        return add_working_days(start, amount)
    raise ValueError(f"unknown duration unit {unit!r}")
