import datetime as dt
import logging

import pytest
import time_machine
from django.utils import timezone

from linli.core import calendar
from linli.core.services import calendar_day_delete, calendar_day_set

TZ = timezone.get_current_timezone()


def at(*args):
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture(autouse=True)
def fresh_cache():
    calendar.reset_calendar_cache()
    yield
    calendar.reset_calendar_cache()


@pytest.mark.django_db
def test_official_holidays_and_make_up_days_follow_the_state_council_calendar():
    assert calendar.is_workday(dt.date(2026, 10, 1)) is False  # National Day
    assert calendar.is_workday(dt.date(2026, 10, 10)) is True  # Saturday make-up day (调休)
    assert calendar.is_workday(dt.date(2026, 11, 28)) is False  # an ordinary Saturday


@pytest.mark.django_db
def test_working_days_skip_the_national_day_week():
    # Registered on 30 September: 3 working days are 8, 9 and 10 October (a make-up Saturday).
    assert calendar.add_working_days(at(2026, 9, 30, 10, 0), 3) == at(2026, 10, 10, 17, 30)


@pytest.mark.django_db
def test_working_hours_run_only_inside_office_hours():
    # Friday 16:30 + 2 working hours = 1 h on Friday + 1 h from Monday 08:30.
    assert calendar.add_working_minutes(at(2026, 11, 27, 16, 30), 120) == at(2026, 11, 30, 9, 30)
    # 11:30 + 1 h skips the lunch break.
    assert calendar.add_working_minutes(at(2026, 11, 26, 11, 30), 60) == at(2026, 11, 26, 14, 30)
    # Registered at night: the clock starts next morning.
    assert calendar.add_working_minutes(at(2026, 11, 26, 22, 0), 30) == at(2026, 11, 27, 9, 0)


@pytest.mark.django_db
def test_natural_durations_run_round_the_clock():
    assert calendar.add_duration(at(2026, 10, 1, 23, 50), 30, "minutes") == at(2026, 10, 2, 0, 20)
    assert calendar.add_duration(at(2026, 10, 1, 8, 0), 24, "hours") == at(2026, 10, 2, 8, 0)
    with pytest.raises(ValueError):
        calendar.add_duration(at(2026, 10, 1, 8, 0), 1, "fortnights")


@pytest.mark.django_db
def test_an_unknown_year_falls_back_to_weekdays_and_the_table_with_one_warning(caplog):
    calendar_day_set(date=dt.date(2027, 1, 1), is_workday=False, name="元旦")
    calendar.reset_calendar_cache()
    with caplog.at_level(logging.WARNING, logger="linli.calendar"):
        assert calendar.is_workday(dt.date(2027, 1, 1)) is False  # from the admin table
        assert calendar.is_workday(dt.date(2027, 1, 4)) is True  # a Monday
        assert calendar.is_workday(dt.date(2027, 1, 9)) is False  # a Saturday
        assert calendar.add_working_days(at(2026, 12, 31, 9, 0), 1) == at(2027, 1, 4, 17, 30)
    warnings = [r for r in caplog.records if "2027" in r.getMessage()]
    assert len(warnings) <= 1


@pytest.mark.django_db
def test_the_admin_table_overrides_the_package_and_can_be_removed():
    calendar_day_set(date=dt.date(2026, 12, 1), is_workday=False, name="台风停工")
    calendar.reset_calendar_cache()
    assert calendar.is_workday(dt.date(2026, 12, 1)) is False
    calendar_day_delete(date=dt.date(2026, 12, 1))
    calendar.reset_calendar_cache()
    assert calendar.is_workday(dt.date(2026, 12, 1)) is True


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(dt.datetime(2026, 1, 5, 9, 0), 1)


@pytest.mark.django_db
def test_working_days_between_counts_after_start_up_to_end():
    with time_machine.travel(at(2026, 11, 26, 12, 0)):
        assert calendar.working_days_between(dt.date(2026, 11, 26), dt.date(2026, 12, 3)) == 5
