"""When people act: residents call at any hour, the hotline dispatches from 8:00 to 21:00, units work in working hours."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from linli.core.calendar import (
    add_working_days,
    add_working_minutes,
    is_workday,
    work_periods,
    working_days_between,
)

MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)

# Relative call volume by hour of day.
HOUR_WEIGHTS = (
    0.05,
    0.03,
    0.02,
    0.02,
    0.02,
    0.05,
    0.2,
    0.6,
    1.3,
    1.6,
    1.6,
    1.4,
    0.9,
    0.9,
    1.3,
    1.4,
    1.3,
    1.2,
    0.9,
    0.9,
    0.8,
    0.6,
    0.35,
    0.15,
)
DUTY_HOURS = (8, 21)


def aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def at_hour(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment on ``day`` drawn from the hotline's hourly volume."""
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    return aware(day, hour, rng.randrange(60))


def _minutes(day: dt.date, a: dt.time, b: dt.time) -> int:
    return (dt.datetime.combine(day, b) - dt.datetime.combine(day, a)).seconds // 60  # local-date: a length


def work_moment(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment inside the working periods of ``day`` (the next working day if it is not one)."""
    while not is_workday(day):
        day += DAY
    periods = work_periods()
    lengths = [_minutes(day, a, b) for a, b in periods]
    i = rng.choices(range(len(periods)), weights=lengths)[0]
    begin = periods[i][0]
    return aware(day, begin.hour, begin.minute) + rng.randrange(lengths[i]) * MINUTE


def work_after(moment: dt.datetime, minutes: float) -> dt.datetime:
    """``minutes`` of working time after ``moment`` (0 snaps to the next working moment)."""
    return add_working_minutes(moment, int(minutes))


def on_duty(rng: random.Random, moment: dt.datetime) -> dt.datetime:
    """The moment itself when the hotline's dispatchers are on duty, else shortly after they start."""
    lt = local(moment)
    start, end = DUTY_HOURS
    if start <= lt.hour < end:
        return moment
    day = lt.date() if lt.hour < start else lt.date() + DAY  # local-date: lt is local time
    return aware(day, start) + rng.randint(0, 50) * MINUTE


def on_time_reply(rng: random.Random, signed: dt.datetime, due: dt.datetime) -> dt.datetime:
    """A reply moment between signing and the finish deadline, earlier days more likely."""
    if due <= signed + 30 * MINUTE:
        return work_after(signed, rng.randint(20, 150))
    span = working_days_between(local(signed).date(), local(due).date())
    k = min(span, int(rng.triangular(0, span + 0.999, span * 0.3)))
    day = local(signed).date() if k == 0 else local(add_working_days(signed, k)).date()
    moment = work_moment(rng, day)
    if moment <= signed + 20 * MINUTE:
        moment = work_after(signed, rng.randint(20, 150))
    if moment >= due:
        moment = due - rng.randint(5, 60) * MINUTE
        if moment <= signed:
            moment = signed + (due - signed) / 2
    return moment


def working_day_back(end: dt.datetime, k: int) -> dt.date:
    """The working day ``k`` working days before ``end``'s date."""
    day = local(end).date()
    while k > 0:
        day -= DAY
        k -= is_workday(day)
    return day


def school_day(day: dt.date) -> bool:
    """Term time, roughly: working days outside the summer and winter holidays."""
    md = (day.month, day.day)
    return is_workday(day) and not ((7, 5) <= md <= (8, 31) or (1, 20) <= md <= (2, 25))
