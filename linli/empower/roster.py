"""The roster planner of a school-gate patrol: pure Python, no database.

The service hands it the term's shifts (``Slot``), the team (``Person``: partner unit and the weekday × band
they are free in) and what must stay (``Fixed``: locked rows, shifts already worked); it answers the new
assignments and, for every shift it could not fill, which minimum is short and why.

Rules: a person is never on two shifts that overlap or that are closer than ``min_gap_minutes``, at most once
per half-day and at most ``max_per_week`` times a week. Fair: each place goes to the candidate with the fewest
minutes so far (then fewest shifts, then a fixed pseudo-random order so the same names do not always win).
Two passes: first every shift's partner-unit minimums (scarce units first), then the remaining places, so a
scarce unit's members are not spent on places anyone could fill.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

NOBODY_AVAILABLE = "nobody_available"  # too few people (of that unit) are free at that weekday and band
AT_LIMIT = "at_limit"  # enough are free, but all of them are booked nearby, resting or at their weekly limit
UNIT_TOO_SMALL = "unit_too_small"  # the team has fewer members of that unit than the minimum asks
ANY_UNIT = ""


@dataclass(frozen=True)
class Slot:
    id: int
    day: dt.date
    start: int  # minutes after midnight
    end: int
    size: int
    minimums: tuple[tuple[str, int], ...] = ()

    @property
    def band(self) -> str:
        return "am" if self.start < 12 * 60 else ("pm" if self.start < 18 * 60 else "eve")

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Person:
    id: int
    unit: str
    available: frozenset[tuple[int, str]]  # (weekday, band), Monday is 0


@dataclass(frozen=True)
class Fixed:
    slot_id: int
    person_id: int
    unit: str


@dataclass(frozen=True)
class Rules:
    min_gap_minutes: int = 120
    max_per_week: int = 3


@dataclass(frozen=True)
class Gap:
    slot_id: int
    unit: str  # "" for the shift's total size
    needed: int
    missing: int
    reason: str
    free: int  # how many of that unit were free at that weekday and band


@dataclass
class Plan:
    placed: list[Fixed] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    minutes: dict[int, int] = field(
        default_factory=dict
    )  # every person's planned minutes, fixed ones included

    def spread_hours(self) -> float:
        values = list(self.minutes.values())
        return (max(values) - min(values)) / 60 if values else 0.0


class _Book:
    """Who is where: per person the intervals of each day, shifts per week and minutes."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self.days: dict[tuple[int, dt.date], list[tuple[int, int]]] = defaultdict(list)
        self.weeks: dict[tuple[int, tuple[int, int]], int] = defaultdict(int)
        self.minutes: dict[int, int] = defaultdict(int)
        self.count: dict[int, int] = defaultdict(int)

    def free(self, pid: int, slot: Slot) -> bool:
        week = slot.day.isocalendar()[:2]
        if self.weeks[(pid, week)] >= self.rules.max_per_week:
            return False
        gap = self.rules.min_gap_minutes
        half = slot.start < 12 * 60
        for start, end in self.days.get((pid, slot.day), ()):
            if (start < 12 * 60) == half:
                return False
            if not (slot.start >= end + gap or slot.end + gap <= start):
                return False
        return True

    def take(self, pid: int, slot: Slot) -> None:
        self.days[(pid, slot.day)].append((slot.start, slot.end))
        self.weeks[(pid, slot.day.isocalendar()[:2])] += 1
        self.minutes[pid] += slot.minutes
        self.count[pid] += 1


def _mix(pid: int, sid: int) -> int:
    return (pid * 2654435761 + sid * 40503) & 0xFFFFFFFF


def plan(slots: list[Slot], people: list[Person], fixed: list[Fixed], rules: Rules = Rules()) -> Plan:
    slots = sorted(slots, key=lambda s: (s.day, s.start, s.id))
    by_id = {s.id: s for s in slots}
    book = _Book(rules)
    on_slot: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for f in fixed:
        if f.slot_id in by_id:
            book.take(f.person_id, by_id[f.slot_id])
            on_slot[f.slot_id].append((f.person_id, f.unit))
    index: dict[tuple[int, str], list[Person]] = defaultdict(list)
    unit_size: dict[str, int] = defaultdict(int)
    for p in people:
        unit_size[p.unit] += 1
        for key in p.available:
            index[key].append(p)
    result = Plan()

    def pick(slot: Slot, unit: str) -> Person | None:
        taken = {pid for pid, _ in on_slot[slot.id]}
        best, best_key = None, None
        for p in index.get((slot.day.weekday(), slot.band), ()):
            if (unit and p.unit != unit) or p.id in taken or not book.free(p.id, slot):
                continue
            key = (book.minutes[p.id], book.count[p.id], _mix(p.id, slot.id))
            if best_key is None or key < best_key:
                best, best_key = p, key
        return best

    def place(slot: Slot, person: Person) -> None:
        book.take(person.id, slot)
        on_slot[slot.id].append((person.id, person.unit))
        result.placed.append(Fixed(slot.id, person.id, person.unit))

    scarcity = {u: unit_size.get(u, 0) for s in slots for u, _ in s.minimums}
    for slot in slots:  # pass 1: partner-unit minimums, the scarcest unit first
        for unit, need in sorted(slot.minimums, key=lambda m: (scarcity.get(m[0], 0), m[0])):
            while (
                sum(1 for _, u in on_slot[slot.id] if u == unit) < need and len(on_slot[slot.id]) < slot.size
            ):
                person = pick(slot, unit)
                if person is None:
                    break
                place(slot, person)
    for slot in slots:  # pass 2: the rest of the places, least-loaded first
        while len(on_slot[slot.id]) < slot.size:
            person = pick(slot, ANY_UNIT)
            if person is None:
                break
            place(slot, person)
    for slot in slots:
        result.gaps += _explain(slot, on_slot[slot.id], index, unit_size)
    result.minutes = {p.id: book.minutes.get(p.id, 0) for p in people}
    return result


def _explain(slot: Slot, on: list[tuple[int, str]], index, unit_size) -> list[Gap]:
    gaps = []
    free = index.get((slot.day.weekday(), slot.band), ())
    for unit, need in slot.minimums:
        have = sum(1 for _, u in on if u == unit)
        if have >= need:
            continue
        n_free = sum(1 for p in free if p.unit == unit)
        if unit_size.get(unit, 0) < need:
            reason = UNIT_TOO_SMALL
        elif n_free < need:
            reason = NOBODY_AVAILABLE
        else:
            reason = AT_LIMIT
        gaps.append(Gap(slot.id, unit, need, need - have, reason, n_free))
    if len(on) < slot.size:
        n_free = len(free)
        reason = NOBODY_AVAILABLE if n_free < slot.size else AT_LIMIT
        gaps.append(Gap(slot.id, ANY_UNIT, slot.size, slot.size - len(on), reason, n_free))
    return gaps
