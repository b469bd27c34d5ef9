"""Twelve months of demands, replayed step by step through the services.

Each demand is a generator: it yields the moment of its next step and, when
resumed, performs that step with ``clock.at(moment)``. One heap runs all of
them and the SLA sweep in time order, so the database at every step is what
it was at that moment: a merge sees its master as it was that day, and the
sweep escalates exactly what was overdue then. Steps planned after ``end``
never run, which leaves recent demands open.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Generator, Iterable

from linli.core import clock
from linli.core.calendar import is_workday
from linli.demands.services import sla_sweep
from linli.demo.plan import Planner, Spec
from linli.demo.story import Stories
from linli.demo.timing import DAY, aware, local
from linli.demo.world import World
from linli.dispatch.services import dispatch_model_retrain_if_due

# The dispatch model's periodic job (hourly in production, retraining once enough demands have finished):
# here on Monday nights.
RETRAIN_AT = (2, 0)

# The sweep runs every minute in production; here it runs at the first of these slots after a deadline
# that the plan misses.
WORKDAY_SWEEPS = ((10, 30), (16, 0), (21, 0))
HOLIDAY_SWEEPS = ((21, 0),)


class Simulation:
    """The clock: one heap of generators, each resumed at the moment it yielded, up to ``end``."""

    def __init__(self, end: dt.datetime):
        self.end = end
        self.steps = 0
        self.sweeps: set[dt.datetime] = set()
        self.heap: list[tuple[dt.datetime, int, Generator]] = []
        self.order = itertools.count()

    def run(self, lives: Iterable[Generator[dt.datetime]], start: dt.datetime | None = None) -> None:
        for life in itertools.chain(lives, [self._sweep_at(self.end), self._retrain(start)]):
            self._push(life)
        heap = self.heap
        while heap and heap[0][0] <= self.end:
            moment, _, life = heapq.heappop(heap)
            with clock.at(moment):
                following = next(life, None)
            self.steps += 1
            if following is not None:
                heapq.heappush(heap, (max(following, moment), next(self.order), life))

    def _push(self, life: Generator[dt.datetime]) -> None:
        first = next(life, None)
        if first is not None:
            heapq.heappush(self.heap, (first, next(self.order), life))

    def _retrain(self, start: dt.datetime | None) -> Generator[dt.datetime]:
        """The dispatch model's periodic job, weekly: it retrains once enough demands have finished since."""
        if start is None:
            return
        day = local(start).date()
        day += dt.timedelta(days=(7 - day.weekday()) % 7 or 7)
        while aware(day, *RETRAIN_AT) < self.end:
            yield aware(day, *RETRAIN_AT)
            dispatch_model_retrain_if_due()
            day += dt.timedelta(days=7)

    def _sweep_at(self, moment: dt.datetime) -> Generator[dt.datetime]:
        yield moment
        sla_sweep()

    def deadline_missed(self, due: dt.datetime | None) -> None:
        """Someone will act after ``due``: run the SLA sweep at the next sweep slot after it, as production would.

        Sweeping only then (and once at the end) stamps and escalates the same facts as sweeping every
        minute, at the moments they were found, without a year of empty sweeps.
        """
        if due is None:
            return
        day = local(due).date()
        while True:
            slots = WORKDAY_SWEEPS if is_workday(day) else HOLIDAY_SWEEPS
            slot = next((aware(day, h, m) for h, m in slots if aware(day, h, m) > due), None)
            if slot is not None:
                break
            day += DAY
        if slot < self.end and slot not in self.sweeps:
            self.sweeps.add(slot)
            self._push(self._sweep_at(slot))


def simulate(world: World, planner: Planner, specs: list[Spec], end: dt.datetime) -> int:
    """Replay every demand up to ``end``; returns the number of steps run."""
    sim = Simulation(end)
    stories = Stories(world, planner, deadline_missed=sim.deadline_missed)
    sim.run((stories.life(s) for s in specs), start=min((s.at for s in specs if s.at), default=None))
    return sim.steps
