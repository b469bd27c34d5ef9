"""The embedded SQLite backend hands the write lock from thread to thread and always gives it back."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from linli.core.models import CalendarDay

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded SQLite backend"),
]


def test_a_failed_transaction_gives_the_write_lock_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarDay.objects.create(date="2031-01-01", is_workday=False, name="试")
        raise RuntimeError
    with transaction.atomic():  # would wait 20 s and fail if the lock were still held
        CalendarDay.objects.create(date="2031-01-02", is_workday=False, name="试")
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [dt.date(2031, 1, 2)]


def test_eight_threads_writing_at_once_all_succeed():
    errors: list[Exception] = []
    barrier = threading.Barrier(8)

    def write(i: int):
        try:
            barrier.wait()
            for j in range(5):
                with transaction.atomic():
                    CalendarDay.objects.create(date=f"2032-{i + 1:02d}-{j + 1:02d}", is_workday=True)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and CalendarDay.objects.filter(date__year=2032).count() == 40
