"""Working-day calendar and deadline arithmetic.

A day is looked up in the holiday table (:class:`~linli.core.models.CalendarDay`,
loaded with ``linli holidays import FILE`` or edited in the admin) first, then in
the ``chinesecalendar`` package, and for a year neither knows it is a working
day when it is Monday–Friday.

A year is *confirmed* when its official schedule is known: the package has it,
or the table holds rows for it (load the State Council's whole schedule for the
year at once). A deadline that runs into an unconfirmed year is computed on
weekends only and is marked as such (``deadline_unconfirmed``) until the
schedule is loaded; the dashboard and the admin warn when a year within the
next ``UNCONFIRMED_WARNING_DAYS`` days is unconfirmed.

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

from linli.core import clock

logger = logging.getLogger("linli.calendar")

_CACHE_SECONDS = 30.0
_lock = threading.Lock()
_overrides: dict[dt.date, bool] = {}
_override_years: frozenset[int] = frozenset()
_overrides_loaded_at = 0.0
UNCONFIRMED_WARNING_DAYS = 60
_warned_years: set[int] = set()


def reset_calendar_cache() -> None:
    """Forget the cached admin overrides (called after they change)."""
    global _overrides_loaded_at
    with _lock:
        _overrides_loaded_at = 0.0


def _load_overrides() -> dict[dt.date, bool]:
    global _overrides, _override_years, _overrides_loaded_at
    now = time.monotonic()
    if now - _overrides_loaded_at < _CACHE_SECONDS:
        return _overrides
    from linli.core.models import CalendarDay

    with _lock:
        _overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
        _override_years = frozenset(day.year for day in _overrides)
        _overrides_loaded_at = now
    return _overrides


@lru_cache(maxsize=64)
def package_knows(year: int) -> bool:
    """Whether the ``chinesecalendar`` package has the official schedule of ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def year_confirmed(year: int) -> bool:
    """The official holidays of ``year`` are known: from the package or from the holiday table."""
    if package_knows(year):
        return True
    _load_overrides()
    return year in _override_years


def unconfirmed_years(start: dt.date, end: dt.date) -> list[int]:
    """The years from ``start`` to ``end`` (both included) with no official schedule."""
    return [year for year in range(start.year, end.year + 1) if not year_confirmed(year)]


def upcoming_unconfirmed_years(*, days: int = UNCONFIRMED_WARNING_DAYS) -> list[int]:
    """Years within the next ``days`` days (today included) with no official schedule: warn about them."""
    today = clock.today()
    return unconfirmed_years(today, today + dt.timedelta(days=days))


def deadline_unconfirmed(due: dt.datetime | None, *, start: dt.datetime | None = None) -> bool:
    """Whether a deadline was counted over a year with no official schedule (weekends only)."""
    if due is None:
        return False
    first = clock.local_date(start) if start is not None else clock.local_date(due)
    return bool(unconfirmed_years(min(first, clock.local_date(due)), clock.local_date(due)))


def is_workday(day: dt.date) -> bool:
    override = _load_overrides().get(day)
    if override is not None:
        return override
    if package_knows(day.year):
        return chinese_calendar.is_workday(day)
    if day.year not in _warned_years and not year_confirmed(day.year):
        _warned_years.add(day.year)
        logger.warning(
            "no official holidays for %s (chinesecalendar has none, the holiday table neither):"
            " counting Monday-Friday; load them with `linli holidays import FILE`",
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
