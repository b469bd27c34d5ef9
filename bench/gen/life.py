"""One batch of demands, each played forward from registration until now."""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
import random
from collections import deque
from decimal import Decimal

from .city import City
from .closing import ClosingSteps
from .handling import HandlingSteps
from .intake import IntakeSteps
from .rows import (
    ACTIVE,
    ASSIGNMENT_COLS,
    CALLBACK_COLS,
    DEMAND_COLS,
    EVENT_COLS,
    EXTENSION_COLS,
    RESIDENT_COLS,
    A,
    D,
    X,
    _assignment_row,
    _code6,
    _demand_row,
    _extension_row,
    _iso,
    _j,
)
from .texts import ASKS, CHANNELS, PUBLIC_CHANNELS, ROADS, SURNAMES, TYPES, typed
from .timing import MINUTE, FastCalendar

# --- one batch of demands, played forward ------------------------------------------------------------


class Batch(IntakeSteps, HandlingSteps, ClosingSteps):
    """Demands registered in one stretch of time, each played forward from registration until ``now``.

    The ids of assignments, extensions, callbacks, events and new residents are
    local until ``rows()`` is given the last id taken in each table.
    """

    def __init__(
        self,
        city: City,
        cal: FastCalendar,
        rnd: random.Random,
        now: dt.datetime,
        first_id: int,
        known_residents: int,
        people: random.Random,
    ):
        self.city, self.cal, self.rnd, self.now, self.people = city, cal, rnd, now, people
        self.next_id, self.known_residents = first_id, known_residents
        self.demands: list[D] = []
        self.assignments: list[A] = []
        self.extensions: list[X] = []
        self.callbacks: list[tuple] = []
        self.events: list[tuple] = []
        self.residents: list[tuple] = []
        self.recent: dict[int, deque] = {}
        self.prefixes: dict[dt.date, str] = {}
        self.types = ([v for v, _ in TYPES], list(itertools.accumulate(w for _, w in TYPES)))
        self.channels = ([v for v, _ in CHANNELS], list(itertools.accumulate(w for _, w in CHANNELS)))

    # -- the steps every service takes --

    def save(self, d: D) -> None:
        d.version += 1

    def ev(self, d: D, kind: str, at, actor=None, old=None, new=None, note="", a: A | None = None) -> None:
        self.events.append((d.id, a, kind, actor, at, old, new, note))

    def pick(self, values_cum):
        values, cum = values_cum
        return values[bisect.bisect(cum, self.rnd.random() * cum[-1])]

    def complainant(self, at) -> int:
        """A resident id: known ones are positive, this batch's new ones negative until the batch has its ids.

        Its own random stream: how many residents exist when a batch starts depends on
        the order in which the workers finish, and must not change anything else.
        """
        rnd = self.people
        if rnd.random() < 0.3 and (self.known_residents or self.residents):
            if self.known_residents and (not self.residents or rnd.random() < 0.9):
                return rnd.randint(1, self.known_residents)
            return -rnd.randint(1, len(self.residents))
        name = "" if rnd.random() < 0.4 else rnd.choice(SURNAMES) + rnd.choice(["先生", "女士"])
        self.residents.append((name, at))
        return -len(self.residents)

    def register(self, at: dt.datetime) -> D:
        rnd, city = self.rnd, self.city
        d = D()
        d.id = self.next_id
        self.next_id += 1
        day = at.date()  # local-date: at is local time
        prefix = self.prefixes.get(day) or self.prefixes.setdefault(day, "LL" + at.strftime("%y%m%d"))
        d.code = prefix + _code6(d.id)
        d.demand_type, d.channel = self.pick(self.types), self.pick(self.channels)
        d.urgency = "urgent" if rnd.random() < 0.05 else "normal"
        place, cat = self.pick((city.places, city.place_cum)), self.pick((city.cats, city.cat_cum))
        issue, road = rnd.choice(cat.issues), rnd.choice(ROADS)
        d.address = f"{place.name}{road}{rnd.randint(1, 300)}号"
        d.text = typed(f"来电人反映{d.address}附近{issue}，已持续{rnd.randint(2, 30)}天，{rnd.choice(ASKS)}")
        d.title = f"{road}{issue}" if rnd.random() < 0.7 else d.text[:30]
        d.community_id, d.area_path, d.place = place.id, place.path, place
        d.latitude = d.longitude = None
        if rnd.random() < 0.4:
            d.latitude = Decimal(f"{place.lat + rnd.random() * 0.01:.6f}")
            d.longitude = Decimal(f"{place.lon + rnd.random() * 0.01:.6f}")
        d.category_id, d.category_top_id, d.cat = cat.id, cat.top_id, cat
        anonymous = d.channel not in PUBLIC_CHANNELS and rnd.random() < 0.05
        d.complainant_id = None if anonymous else self.complainant(at)
        d.status, d.version, d.registered_at = "registered", 1, at
        d.external_ref = f"TZ{at:%Y%m}{d.id:07d}" if d.channel == "import" else ""
        d.registered_by_id = None if d.channel in PUBLIC_CHANNELS else rnd.choice(city.agents)
        d.lead_unit_id = d.dispatched_at = d.sign_due = d.finish_due = d.replied_at = d.finished_on_time = (
            None
        )
        d.callback_due = d.called_back_at = d.closed_at = d.resolved = d.resolved_by_grassroots = None
        d.callback_overdue_at = d.escalated_at = d.master_id = None
        d.reply_text, d.satisfaction, d.resolved_at_intake, d.is_overdue = "", "", False, False
        d.junk, d.junk_reason = False, ""  # the junk screen flags next to none of real intake; none here
        d.reopen_count = d.return_count = d.escalation_count = 0
        d.assignments, d.policy = [], city.policies[(d.demand_type, d.urgency)]
        self.demands.append(d)
        self.ev(
            d,
            "registered",
            at,
            actor=d.registered_by_id,
            new={"channel": d.channel, "type": d.demand_type, "urgency": d.urgency, "community": place.name},
        )
        return d

    def live(self, d: D) -> None:
        """A small event loop: each step runs at its time (after the sweeps due before it) and schedules the next."""
        rnd, t0 = self.rnd, d.registered_at
        self.queue, self.seq = [], itertools.count()
        if d.demand_type == "consultation" and rnd.random() < 0.35:
            self.at(t0 + rnd.uniform(1, 10) * MINUTE, self.resolve_at_intake, d)
        else:
            r = rnd.random()
            master = self.master_for(d) if 0.03 <= r < 0.05 else None
            if r < 0.025:
                self.at(t0 + rnd.uniform(5, 240) * MINUTE, self.end, d, "invalid", "重复来电/无实质内容")
            elif r < 0.03:
                self.at(t0 + rnd.uniform(5, 120) * MINUTE, self.end, d, "withdrawn", "诉求人来电撤销")
            elif master is not None:
                self.at(t0 + rnd.uniform(10, 120) * MINUTE, self.merge, d, master)
            elif not 0.05 <= r < 0.0515:  # else: never dispatched
                self.at(
                    t0 + (rnd.uniform(2, 20) if d.urgency == "urgent" else rnd.uniform(10, 240)) * MINUTE,
                    self.dispatch,
                    d,
                )
        self.last_step = t0
        while self.queue:
            when, _, step, args = heapq.heappop(self.queue)
            if when > self.now:
                break
            self.sweep(d, when)
            step(when, *args)
            self.last_step = when
        self.sweep(d, self.now)
        self.recent.setdefault(d.community_id, deque(maxlen=40)).append(d)

    def at(self, when, step, *args) -> None:
        heapq.heappush(self.queue, (when, next(self.seq), step, args))

    # -- the SLA sweep (linli.demands.services.sla), once a minute --

    @staticmethod
    def tick(due: dt.datetime) -> dt.datetime:
        """The first sweep run after ``due``: runs start at 1.5 s past each minute."""
        run = due.replace(second=1, microsecond=500_000)
        return run if run > due else run + MINUTE

    def sweep(self, d: D, limit: dt.datetime) -> None:
        """Stamp what the sweep runs between the last step and ``limit`` find; nothing was due before the last step."""
        since = self.last_step
        while True:
            due_items = []  # (run, order within a run, due, kind, assignment)
            for a in d.assignments:
                if a.status == "pending_sign" and a.sign_overdue_at is None:
                    due_items.append(
                        (self.tick(max(a.sign_due, since)), 0, a.id, a.sign_due, "sign_overdue", a)
                    )
                if a.status in ACTIVE and a.finish_overdue_at is None:
                    due_items.append(
                        (self.tick(max(a.finish_due, since)), 1, a.id, a.finish_due, "finish_overdue", a)
                    )
            if d.status == "replied" and d.callback_overdue_at is None:
                due_items.append(
                    (self.tick(max(d.callback_due, since)), 2, 0, d.callback_due, "callback_overdue", None)
                )
            if not due_items:
                return
            stamp, _, _, due, kind, a = min(due_items, key=lambda item: item[:3])
            if stamp >= limit:
                return
            if a is None:
                d.callback_overdue_at = stamp
                self.save(d)
                self.ev(d, kind, stamp, new={"due": _iso(due)})
                self.escalate(d, stamp, "回访超期，系统自动督办")
                continue
            name = self.city.units[a.unit_id].name
            if kind == "sign_overdue":
                a.sign_overdue_at, label = stamp, "签收超时，系统自动督办"
            else:
                a.finish_overdue_at, label = stamp, "办理超期，系统自动督办"
                if a.role == "lead":
                    d.is_overdue = True
                    self.save(d)
            self.ev(d, kind, stamp, a=a, new={"unit": name, "due": _iso(due)})
            self.escalate(d, stamp, f"{name}：{label}")

    def escalate(self, d: D, at, reason: str) -> None:
        d.escalation_count += 1
        d.escalated_at = at
        self.save(d)
        self.ev(d, "escalated", at, new={"level": d.escalation_count, "source": "sla"}, note=reason)

    # -- rows --

    def counts(self) -> dict[str, int]:
        return {
            "assignment": len(self.assignments),
            "extension": len(self.extensions),
            "callback": len(self.callbacks),
            "event": len(self.events),
            "resident": len(self.residents),
        }

    def rows(self, base: dict[str, int]) -> dict[str, tuple[tuple[str, ...], list]]:
        """Every row of the batch, given the last id taken in each table before it."""
        for a in self.assignments:
            a.id += base["assignment"]
        for x in self.extensions:
            x.id += base["extension"]
            x.assignment_id = x.assignment.id
        r0 = base["resident"]
        for d in self.demands:
            if d.complainant_id is not None and d.complainant_id < 0:
                d.complainant_id = r0 - d.complainant_id
        return {
            "org_resident": (
                RESIDENT_COLS,
                [
                    (r0 + i, name, f"1{3 + (r0 + i) % 7}{(r0 + i) * 7919 % 1_000_000_000:09d}", at)
                    for i, (name, at) in enumerate(self.residents, start=1)
                ],
            ),
            "demands_demand": (DEMAND_COLS, [_demand_row(d) for d in self.demands]),
            "demands_assignment": (ASSIGNMENT_COLS, [_assignment_row(a) for a in self.assignments]),
            "demands_extension": (EXTENSION_COLS, [_extension_row(x) for x in self.extensions]),
            "demands_callback": (
                CALLBACK_COLS,
                [(base["callback"] + i, *c) for i, c in enumerate(self.callbacks, start=1)],
            ),
            "demands_demandevent": (
                EVENT_COLS,
                [
                    (
                        base["event"] + i,
                        d_id,
                        a.id if a is not None else None,
                        kind,
                        actor,
                        at,
                        _j(old),
                        _j(new),
                        note,
                    )
                    for i, (d_id, a, kind, actor, at, old, new, note) in enumerate(self.events, start=1)
                ],
            ),
        }
