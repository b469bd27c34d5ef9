"""The current time and the local calendar day for services.

Services ask ``clock.now()`` instead of ``timezone.now()`` so that the demo
generator and historical imports can replay a step at the time it happened
(``with clock.at(moment): ...``), without touching the system clock.

A calendar day is always a *local* day (``TIME_ZONE``, Asia/Shanghai): use
``clock.today()`` and ``clock.local_date(moment)``, never the date part of
``now()``, which is the UTC day and is wrong from 00:00 to 08:00 Beijing time.
``make test`` fails on code that takes it (scripts/check_dates.py).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_override: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("linli_clock", default=None)


def now() -> dt.datetime:
    return _override.get() or timezone.now()


def local_date(moment: dt.datetime) -> dt.date:
    """The local calendar day (``TIME_ZONE``) of an aware datetime."""
    if timezone.is_naive(moment):
        raise ValueError("naive datetime")
    return timezone.localtime(moment).date()


def today() -> dt.date:
    """Today's local calendar day."""
    return local_date(now())


def day_start(day: dt.date) -> dt.datetime:
    """00:00 local time on ``day``, aware."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def day_end(day: dt.date) -> dt.datetime:
    """00:00 local time on the day after ``day`` (exclusive end of the day), aware."""
    return day_start(day + dt.timedelta(days=1))


@contextlib.contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("naive datetime")
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
