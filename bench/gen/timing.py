"""Time: the working-day calendar's deadline arithmetic, and when demands are registered."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random

SPAN_DAYS = 395  # the last 13 months
MINUTE, HOUR, DAY = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)

# --- working-day calendar ----------------------------------------------------------------------------


class FastCalendar:
    """The deadline arithmetic of ``linli.core.calendar`` over a precomputed working-day table.

    Same rules and results (compared with the real functions on random instants
    before anything is written), without a calendar lookup per day.
    """

    def __init__(self, first: dt.date, last: dt.date):
        from django.utils import timezone

        from linli.core import calendar as cal

        self.cal, self.tz = cal, timezone.get_default_timezone()
        self.work = {
            first + dt.timedelta(days=i): cal.is_workday(first + dt.timedelta(days=i))
            for i in range((last - first).days + 1)
        }
        self.workdays = sorted(d for d, w in self.work.items() if w)
        self.periods = cal.work_periods()
        self.close = self.periods[-1][1]

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        day = start.astimezone(self.tz).date()
        if days or not self.work[day]:
            day = self.workdays[bisect.bisect_right(self.workdays, day) + max(days, 1) - 1]
        return dt.datetime.combine(day, self.close, tzinfo=self.tz)

    def add_working_minutes(self, start: dt.datetime, minutes: int) -> dt.datetime:
        remaining, cursor = dt.timedelta(minutes=minutes), start.astimezone(self.tz)
        day = cursor.date()  # local-date: cursor is local time
        while True:
            if self.work[day]:
                for begin, end in self.periods:
                    p_start, p_end = (dt.datetime.combine(day, t, tzinfo=self.tz) for t in (begin, end))
                    if cursor >= p_end:
                        continue
                    cursor = max(cursor, p_start)
                    if remaining <= p_end - cursor:
                        return cursor + remaining
                    remaining -= p_end - cursor
                    cursor = p_end
            day += DAY
            cursor = dt.datetime.combine(day, dt.time(0, 0), tzinfo=self.tz)

    def add_duration(self, start: dt.datetime, amount: int, unit: str) -> dt.datetime:
        if unit == "minutes":
            return start + amount * MINUTE
        if unit == "hours":
            return start + amount * HOUR
        if unit == "working_hours":
            return self.add_working_minutes(start, amount * 60)
        if unit == "working_days":
            return self.add_working_days(start, amount)
        raise ValueError(unit)

    def self_check(
        self, rnd: random.Random, first: dt.datetime, span: dt.timedelta, samples: int = 1500
    ) -> None:
        cases = [
            (2, "working_hours"),
            (3, "working_days"),
            (7, "working_days"),
            (15, "working_days"),
            (30, "minutes"),
        ]
        for _ in range(samples):
            start = first + span * rnd.random()
            for amount, unit in cases:
                mine, theirs = (
                    self.add_duration(start, amount, unit),
                    self.cal.add_duration(start, amount, unit),
                )
                if mine != theirs:
                    raise SystemExit(f"calendar mismatch at {start} +{amount} {unit}: {mine} != {theirs}")


def registration_times(rnd: random.Random, count: int, now: dt.datetime, tz) -> list[dt.datetime]:
    """Sorted instants over the last 13 months: more by day than at night, slowly growing."""
    hours = [
        0.2,
        0.1,
        0.1,
        0.1,
        0.1,
        0.2,
        0.5,
        1.5,
        3,
        4,
        4,
        3.5,
        2.5,
        3,
        3.5,
        3.5,
        3,
        2.5,
        2,
        2,
        1.5,
        1,
        0.6,
        0.3,
    ]
    hour_cum = list(itertools.accumulate(hours))
    start_day = (now - SPAN_DAYS * DAY).date()  # local-date: now is local time
    times = []
    while len(times) < count:
        day = start_day + dt.timedelta(days=int(SPAN_DAYS * rnd.random() ** 0.9))
        moment = dt.datetime.combine(
            day, dt.time(bisect.bisect(hour_cum, rnd.random() * hour_cum[-1])), tzinfo=tz
        )
        moment += dt.timedelta(seconds=rnd.random() * 3600)
        if moment < now - MINUTE:
            times.append(moment)
    times.sort()
    return times
