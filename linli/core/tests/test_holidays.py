"""Years chinesecalendar does not know: the holiday table, `linli holidays import`, confirmed years."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from linli.core import calendar, clock
from linli.core.errors import ApplicationError
from linli.core.models import CalendarDay
from linli.core.services import calendar_day_set, holidays_import

pytestmark = pytest.mark.django_db
BJ = zoneinfo.ZoneInfo("Asia/Shanghai")

# A schedule for 2027 written for these tests (not the official one): New Year, and a Spring Festival week
# with a make-up working Saturday.
SCHEDULE_2027 = (
    "日期,类型,名称\n"
    "2027-01-01,放假,元旦\n"
    "2027/2/5,放假,春节\n"
    "2027年2月8日,放假,春节\n"
    "2027-02-09,休,春节\n"
    "2027-02-20,上班,春节调休\n"
)


def bj(*args):
    return dt.datetime(*args, tzinfo=BJ)


def test_make_up_days_and_holidays_from_the_table_drive_deadlines_across_the_year_boundary():
    holidays_import(data=SCHEDULE_2027.encode())
    calendar.reset_calendar_cache()
    assert calendar.is_workday(dt.date(2027, 2, 20)) is True  # a Saturday, a make-up working day
    assert calendar.is_workday(dt.date(2027, 2, 8)) is False  # a Monday off
    # Filed at 23:50 on New Year's Eve, Beijing: 1 working day is Monday 4 January (1 January is off).
    with time_machine.travel(bj(2026, 12, 31, 23, 50), tick=False):
        assert calendar.add_working_days(clock.now(), 1) == bj(2027, 1, 4, 17, 30)
    # Filed at 00:30 on 1 January (a holiday): 1 working day is 4 January, 2 are 5 January.
    with time_machine.travel(bj(2027, 1, 1, 0, 30), tick=False):
        assert calendar.add_working_days(clock.now(), 1) == bj(2027, 1, 4, 17, 30)
        assert calendar.add_working_days(clock.now(), 2) == bj(2027, 1, 5, 17, 30)
    # Friday 19 February + 1 working day is the make-up Saturday.
    assert calendar.add_working_days(bj(2027, 2, 19, 10, 0), 1) == bj(2027, 2, 20, 17, 30)


def test_an_import_is_idempotent_and_confirms_the_year():
    assert not calendar.year_confirmed(2027)
    first = holidays_import(data=SCHEDULE_2027.encode())
    assert (first["created"], first["updated"], first["unchanged"], first["years"]) == (5, 0, 0, [2027])
    again = holidays_import(data=SCHEDULE_2027.encode())
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 5)
    assert CalendarDay.objects.count() == 5
    calendar.reset_calendar_cache()
    assert calendar.year_confirmed(2027) and not calendar.year_confirmed(2028)
    changed = holidays_import(data="日期,类型,名称\n2027-02-20,放假,改为放假\n".encode())
    assert changed["updated"] == 1 and not CalendarDay.objects.get(date=dt.date(2027, 2, 20)).is_workday


def test_bad_rows_are_reported_by_row_number_and_nothing_is_imported():
    data = (
        "日期,类型,名称\n"
        "2027-01-01,放假,元旦\n"
        "2027-02-30,放假,不存在的日子\n"
        "2027-02-20,调休,不知是放假还是上班\n"
        "\n"
        "2027-01-01,上班,与第2行矛盾\n"
        "1999-01-01,放假,太早\n"
    ).encode()
    with pytest.raises(ApplicationError) as exc:
        holidays_import(data=data)
    assert exc.value.code == "holidays.bad_rows"
    assert [r["row"] for r in exc.value.details["rows"]] == [3, 4, 6, 7]
    assert "2027-02-30" in exc.value.details["rows"][0]["message"]
    assert CalendarDay.objects.count() == 0
    with pytest.raises(ApplicationError) as exc:
        holidays_import(data=b"date;kind\n" + b"\x00\x01")
    assert exc.value.code == "holidays.bad_file"


def test_an_xlsx_schedule_with_date_cells_imports_the_days_as_written():
    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "类型", "名称"])
    sheet.append([dt.datetime(2027, 10, 1), "放假", "国庆节"])  # Excel stores a date as midnight
    sheet.append([dt.date(2027, 9, 26), "上班", "国庆调休"])
    out = io.BytesIO()
    book.save(out)
    result = holidays_import(data=out.getvalue())
    assert result["created"] == 2
    assert list(CalendarDay.objects.values_list("date", "is_workday")) == [
        (dt.date(2027, 9, 26), True),
        (dt.date(2027, 10, 1), False),
    ]


def test_a_year_within_60_local_days_without_a_schedule_is_flagged():
    with time_machine.travel(bj(2026, 10, 15, 10, 0), tick=False):
        assert calendar.upcoming_unconfirmed_years() == []
    # 07:30 on 2 November in Beijing is still 1 November in UTC: 60 days from the local day reach 1 January.
    with time_machine.travel(bj(2026, 11, 2, 7, 30), tick=False):
        assert calendar.upcoming_unconfirmed_years() == [2027]
    with time_machine.travel(bj(2026, 11, 1, 23, 59), tick=False):
        assert calendar.upcoming_unconfirmed_years() == []
    calendar_day_set(date=dt.date(2027, 1, 1), is_workday=False, name="元旦")
    calendar.reset_calendar_cache()
    with time_machine.travel(bj(2026, 11, 2, 7, 30), tick=False):
        assert calendar.upcoming_unconfirmed_years() == []


def test_a_deadline_in_an_unconfirmed_year_is_marked_until_the_schedule_is_loaded():
    assert calendar.deadline_unconfirmed(bj(2026, 12, 31, 17, 30)) is False
    assert calendar.deadline_unconfirmed(bj(2027, 1, 4, 17, 30)) is True
    assert calendar.deadline_unconfirmed(None) is False
    holidays_import(data=SCHEDULE_2027.encode())
    calendar.reset_calendar_cache()
    assert calendar.deadline_unconfirmed(bj(2027, 1, 4, 17, 30)) is False


def test_the_command_imports_lists_and_reports_bad_rows(tmp_path):
    good = tmp_path / "2027.csv"
    good.write_text(SCHEDULE_2027, encoding="utf-8")
    out = io.StringIO()
    with time_machine.travel(bj(2027, 1, 1, 0, 30), tick=False):
        call_command("holidays", "import", str(good), stdout=out)
        assert "新增 5" in out.getvalue()
        calendar.reset_calendar_cache()
        listing = io.StringIO()
        call_command("holidays", "list", stdout=listing)
    text = listing.getvalue()
    assert "2027-02-20  上班 workday  春节调休" in text
    assert "2027: 官方安排：节假日表" in text and "2028: 未确认" in text
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,类型\n2027-05-01,放假\n2027-05-02,休息日?\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("holidays", "import", str(bad), stderr=err)
    assert "第 3 行" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("holidays", "import", str(tmp_path / "missing.csv"))
