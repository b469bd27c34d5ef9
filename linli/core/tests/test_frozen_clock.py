"""The suite's clock (linli/conftest.py): every module starts at LINLI_TEST_NOW, never at the real time."""

import datetime as dt
import time

import time_machine
from django.utils import timezone

from linli.conftest import frozen_instant
from linli.core import clock


def test_the_clock_is_the_chosen_instant_and_ticks():
    start = frozen_instant()
    now = timezone.now()
    assert start <= now < start + dt.timedelta(minutes=10)
    before = time.time()
    time.sleep(0.01)
    assert time.time() > before  # ticking: timeouts and rate-limit windows still move


def test_a_test_travels_and_comes_back():
    start = frozen_instant()
    with time_machine.travel(dt.datetime(2030, 5, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        assert clock.today() == dt.date(2030, 5, 1)
    assert start <= timezone.now() < start + dt.timedelta(minutes=10)


def test_local_day_helpers_at_a_beijing_night():
    bj = timezone.get_default_timezone()
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 30, tzinfo=bj), tick=False):
        utc_day = timezone.now().date()  # local-date: the UTC day, what code must not use
        assert utc_day == dt.date(2026, 12, 31)
        assert clock.today() == dt.date(2027, 1, 1)
        assert clock.local_date(timezone.now()) == dt.date(2027, 1, 1)
    assert clock.day_start(dt.date(2027, 1, 1)) == dt.datetime(2026, 12, 31, 16, 0, tzinfo=dt.UTC)
    assert clock.day_end(dt.date(2026, 12, 31)) == clock.day_start(dt.date(2027, 1, 1))
