"""School-gate patrol roster benchmark: 30 school weeks × 2 gates × 2 shifts × 400 volunteers, in memory.

Run: .venv/bin/python bench/roster_plan.py [weeks gates volunteers]
Prints the time and the plan's quality: filled share, hours spread, unit-minimum shortfalls by reason.
The planner is pure Python (linli/empower/roster.py), so no database is needed.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from linli.empower.roster import Person, Rules, Slot, plan  # noqa: E402

UNITS = {"city_management": 0.08, "police": 0.06, "school": 0.16, "volunteers": 0.70}
BANDS = ("am", "pm")


def build(weeks: int, gates: int, volunteers: int, seed: int = 2026):
    rng = random.Random(seed)
    people = []
    for i in range(volunteers):
        unit = rng.choices(list(UNITS), weights=list(UNITS.values()))[0]
        free = frozenset((d, b) for d in range(5) for b in BANDS if rng.random() < 0.45)
        people.append(Person(i, unit, free))
    slots, sid = [], 0
    monday = dt.date(2026, 9, 7)
    times = ((7 * 60 + 20, 8 * 60), (16 * 60 + 30, 17 * 60 + 30))
    mins = (("city_management", 1), ("police", 1), ("school", 1))
    for w in range(weeks):
        for d in range(5):
            day = monday + dt.timedelta(days=7 * w + d)
            for _g in range(gates):
                for start, end in times:
                    slots.append(Slot(sid, day, start, end, 5, mins))
                    sid += 1
    return slots, people


def run(weeks: int = 30, gates: int = 2, volunteers: int = 400) -> dict:
    slots, people = build(weeks, gates, volunteers)
    start = time.perf_counter()
    result = plan(slots, people, [], Rules(min_gap_minutes=120, max_per_week=3))
    seconds = time.perf_counter() - start
    places = sum(s.size for s in slots)
    worked = [m for m in result.minutes.values() if m]
    unit_gaps = Counter(g.reason for g in result.gaps if g.unit)
    per_unit: dict[str, list[int]] = {}
    for person in people:
        if person.available:
            per_unit.setdefault(person.unit, []).append(result.minutes[person.id])
    return {
        "seconds": seconds,
        "shifts": len(slots),
        "filled_share": len(result.placed) / places,
        "spread_hours": result.spread_hours(),
        "spread_hours_among_serving": (max(worked) - min(worked)) / 60 if worked else 0.0,
        "unit_violations_feasible": unit_gaps.get("at_limit", 0),
        "unit_gaps": dict(unit_gaps),
        "hours_by_unit": {u: (min(v) / 60, max(v) / 60) for u, v in per_unit.items()},
    }


def main() -> None:
    args = [int(a) for a in sys.argv[1:4]]
    weeks, gates, volunteers = (args + [30, 2, 400][len(args) :])[:3]
    r = run(weeks, gates, volunteers)
    print(
        f"planned {r['shifts']} shifts ({weeks} weeks × {gates} gates × 2) for {volunteers} volunteers in {r['seconds']:.2f} s"
    )
    print(f"filled: {r['filled_share']:.1%} of places")
    print(
        f"hours spread: {r['spread_hours']:.1f} h over everyone, {r['spread_hours_among_serving']:.1f} h among those serving"
    )
    for unit, (low, high) in r["hours_by_unit"].items():
        print(f"  {unit}: {low:.1f}–{high:.1f} h (spread {high - low:.1f} h)")
    print(
        f"unit-minimum shortfalls where the unit had free members (at_limit): {r['unit_violations_feasible']}; all: {r['unit_gaps']}"
    )


if __name__ == "__main__":
    main()
