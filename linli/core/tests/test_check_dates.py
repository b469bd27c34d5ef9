"""scripts/check_dates.py, the lint step of ``make test`` that keeps calendar days local."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location("check_dates", ROOT / "scripts" / "check_dates.py")
check_dates = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_dates)


def _found(tmp_path, source: str, name="mod.py") -> list[str]:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return check_dates.check(path)


def test_utc_days_are_refused(tmp_path):
    bad = _found(
        tmp_path,
        "from linli.core import clock\n"
        "from django.utils import timezone\n"
        "a = clock.now().date()\n"
        "b = timezone.now().date()\n"
        "now = clock.now()\n"
        "c = now.date()\n"
        "d = clock.now().year\n"
        "e = clock.now().strftime('%Y-%m')\n"
        "f = moment.date()\n"
        "g = dt.datetime.combine(day, dt.time.min)\n"
        "h = timezone.localdate()\n",
    )
    assert [line.split(":")[1] for line in bad] == ["3", "4", "6", "7", "8", "9", "10", "11"]


def test_local_days_and_explained_lines_pass(tmp_path):
    assert not _found(
        tmp_path,
        "a = clock.today()\n"
        "b = timezone.localtime(moment).date()\n"
        "c = local_moment.date()\n"
        "d = timezone.make_aware(dt.datetime.combine(day, t))\n"
        "e = dt.datetime.combine(day, t, tzinfo=tz)\n"
        "f = cell.date()  # local-date: a spreadsheet day\n"
        "g = timezone.localdate(clock.now())\n",
    )


def test_tests_are_held_to_the_now_and_moment_field_rules_only(tmp_path):
    (tmp_path / "tests").mkdir()
    found = _found(
        tmp_path,
        "a = clock.now().date()\n"
        "b = moment.date()\n"
        "c = report(year=d.registered_at.year, month=d.registered_at.month)\n"
        "e = meeting.held_at.date()\n"
        "f = clock.local_date(d.registered_at).month\n",
        name="tests/test_x.py",
    )
    assert [line.split(":")[1] for line in found] == ["1", "3", "3", "4"]  # year and month of line 3


def test_the_code_base_has_no_utc_calendar_day():
    assert check_dates.main([]) == 0
