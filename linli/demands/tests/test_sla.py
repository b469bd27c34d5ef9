"""The deadline sweep: overdue is marked and escalated exactly once."""

import datetime as dt

import time_machine
from django.utils import timezone

from linli.demands import services as s
from linli.demands.tests import factories as f

TZ = timezone.get_current_timezone()


def at(*args):
    return dt.datetime(*args, tzinfo=TZ)


def test_sla_sweep_marks_late_signing_once_and_escalates(world):
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        d = f.dispatched(world)
    with time_machine.travel(at(2026, 11, 23, 12, 0), tick=False):
        first = s.sla_sweep()
        second = s.sla_sweep()
    d.refresh_from_db()
    assert first["sign_overdue"] == 1 and second == {
        "sign_overdue": 0,
        "finish_overdue": 0,
        "callback_overdue": 0,
    }
    assert d.escalation_count == 1
    assert list(d.events.filter(kind__in=["sign_overdue", "escalated"]).values_list("kind", flat=True)) == [
        "sign_overdue",
        "escalated",
    ]


def test_sla_sweep_marks_finish_overdue_on_the_demand(world):
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        d = f.in_progress(world)
    with time_machine.travel(at(2026, 12, 3, 9, 0), tick=False):  # due 2 Dec 17:30
        counts = s.sla_sweep()
        s.sla_sweep()
    d.refresh_from_db()
    assert counts["finish_overdue"] == 1 and d.is_overdue is True
    assert d.events.filter(kind="finish_overdue").count() == 1


def test_sla_sweep_leaves_work_within_its_deadlines_alone(world):
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        d = f.in_progress(world)
    with time_machine.travel(at(2026, 12, 2, 17, 0), tick=False):
        assert s.sla_sweep() == {"sign_overdue": 0, "finish_overdue": 0, "callback_overdue": 0}
    d.refresh_from_db()
    assert d.is_overdue is False and d.escalation_count == 0


def test_sla_sweep_escalates_a_missed_callback(world):
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        d = f.replied(world)
    with time_machine.travel(at(2026, 11, 26, 9, 0), tick=False):  # callback due 25 Nov 17:30
        assert s.sla_sweep()["callback_overdue"] == 1
        assert s.sla_sweep()["callback_overdue"] == 0
    d.refresh_from_db()
    assert d.callback_overdue_at is not None and d.escalation_count == 1


def test_the_sla_sweep_command_prints_what_it_did(world, capsys):
    from django.core.management import call_command

    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        f.dispatched(world)
    with time_machine.travel(at(2026, 11, 24, 9, 0), tick=False):
        call_command("sla_sweep")
    out = capsys.readouterr().out
    assert "签收超时 1" in out
