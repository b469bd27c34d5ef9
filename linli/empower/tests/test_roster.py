"""The pure roster planner: fills fairly, keeps locks, never double-books, explains every gap."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections import defaultdict
from pathlib import Path

from linli.empower.roster import AT_LIMIT, NOBODY_AVAILABLE, UNIT_TOO_SMALL, Fixed, Person, Rules, Slot, plan

MON = dt.date(2026, 9, 21)
ALL = frozenset((d, b) for d in range(5) for b in ("am", "pm"))


def week(size=3, mins=(("police", 1),)):
    slots, sid = [], 0
    for d in range(5):
        for start, end in ((440, 480), (990, 1050)):
            slots.append(Slot(sid, MON + dt.timedelta(days=d), start, end, size, mins))
            sid += 1
    return slots


def team(n_police=3, n_vol=9):
    return [Person(i, "police", ALL) for i in range(n_police)] + [
        Person(100 + i, "volunteers", ALL) for i in range(n_vol)
    ]


def test_a_feasible_week_is_filled_with_every_minimum_met():
    slots = week()
    result = plan(slots, team(), [], Rules(max_per_week=5))
    assert result.gaps == []
    on = defaultdict(list)
    for p in result.placed:
        on[p.slot_id].append(p)
    assert all(len(on[s.id]) == 3 for s in slots)
    assert all(sum(1 for p in on[s.id] if p.unit == "police") >= 1 for s in slots)


def test_hours_are_balanced_among_equally_free_people():
    result = plan(week(), team(3, 9), [], Rules(max_per_week=5))
    volunteers = [m for pid, m in result.minutes.items() if pid >= 100]
    assert max(volunteers) - min(volunteers) <= 60  # one shift apart at most


def test_nobody_twice_at_once_nor_twice_a_half_day_nor_without_rest():
    slots = week(size=4)
    slots.append(Slot(99, MON, 450, 500, 4, ()))  # overlaps Monday morning
    result = plan(slots, team(), [], Rules(min_gap_minutes=120, max_per_week=5))
    by_person = defaultdict(list)
    slot = {s.id: s for s in slots}
    for p in result.placed:
        by_person[p.person_id].append(slot[p.slot_id])
    for shifts in by_person.values():
        days = defaultdict(list)
        for s in shifts:
            days[s.day].append(s)
        for same in days.values():
            halves = [s.start < 720 for s in same]
            assert len(halves) == len(set(halves))


def test_weekly_limit_is_kept_and_named_at_limit():
    result = plan(week(size=3), team(3, 0), [], Rules(max_per_week=2))
    assert {g.reason for g in result.gaps} == {AT_LIMIT}
    assert max(result.minutes.values()) <= 2 * 60


def test_locks_stay_and_count():
    slots = week()
    locked = [Fixed(0, 100, "volunteers"), Fixed(1, 100, "volunteers")]
    result = plan(slots, team(), locked, Rules(max_per_week=5))
    assert all(p.person_id != 100 or p.slot_id not in (0, 1) for p in result.placed)
    assert sum(1 for p in result.placed if p.slot_id == 0) == 2  # the lock holds one of three places
    assert result.minutes[100] >= 40 + 60


def test_an_infeasible_week_explains_each_gap():
    slots = week(size=3, mins=(("police", 2), ("school", 1)))
    people = [Person(0, "police", frozenset({(0, "am")}))] + [
        Person(10 + i, "volunteers", ALL) for i in range(2)
    ]
    result = plan(slots, people, [], Rules(max_per_week=5))
    reasons = {(g.slot_id, g.unit): g.reason for g in result.gaps}
    assert reasons[(0, "police")] == UNIT_TOO_SMALL  # the team has one police member, two are asked for
    assert reasons[(0, "school")] == UNIT_TOO_SMALL
    assert (0, "") not in reasons  # three were free on Monday morning: the shift has its three people
    monday_pm = [g for g in result.gaps if g.slot_id == 1 and g.unit == ""]
    assert monday_pm and monday_pm[0].reason == NOBODY_AVAILABLE and monday_pm[0].free == 2


def test_bench_smoke_runs_fast_and_fills():
    path = Path(__file__).resolve().parents[3] / "bench" / "roster_plan.py"
    spec = importlib.util.spec_from_file_location("roster_plan", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.run(weeks=2, gates=2, volunteers=200)
    assert result["filled_share"] > 0.95 and result["unit_violations_feasible"] == 0
    assert result["seconds"] < 2
