"""Who acts in a demand's story, and which units it goes to.

The choices draw on the demand's own random stream (``Spec.rng``) in the
order the story asks for them, so the same seed picks the same people.
"""

from __future__ import annotations

import datetime as dt

from linli.demands.selectors import unit_inbox
from linli.demands.states import Channel
from linli.demo import texts
from linli.demo.plan import Planner, Spec
from linli.demo.timing import local
from linli.demo.world import SCHOOL_GATE, World
from linli.dispatch.selectors import route_unit
from linli.org.states import Role, UnitKind

# A unit that is often sent what belongs to another (by the last part of the unit code).
CONFUSED_WITH = {
    "CG": "ZJ",
    "ZJ": "CG",
    "JJ": "CG",
    "GA": "CG",
    "SJ": "CG",
    "ENV": "CG",
    "HRSS": "CIVIL",
    "CIVIL": "HRSS",
    "HEALTH": "SJ",
    "EDU": "SJ",
    "BUS": "TRANSPORT",
    "TRANSPORT": "BUS",
    "WATER": "ZJ",
    "POWER": "ZJ",
    "FIRE": "GA",
}
DISTRICT_UNITS = {"CG", "ZJ", "JJ", "GA", "SJ"}


class Cast:
    def __init__(self, world: World, planner: Planner):
        self.world, self.planner = world, planner
        self.agents = world.role(Role.HOTLINE_AGENT)
        self.dispatchers = world.role(Role.DISPATCHER)
        self.admin = world.users["admin"]
        self.street_office = {
            u.jurisdiction.code: u for u in world.units.values() if u.kind == UnitKind.STREET_OFFICE
        }
        self.routes: dict[tuple[str, str], int] = {}

    def registrar(self, s: Spec):
        if s.channel == Channel.HOTLINE:
            return s.rng.choice(self.agents)
        if s.channel in (Channel.WALK_IN, Channel.NIGHT_VISIT) and s.community and s.community.workers:
            return s.rng.choice(s.community.workers)
        if s.channel == Channel.IMPORT:
            return self.admin
        return None

    def route(self, s: Spec) -> int:
        """The unit the dispatch catalogue suggests; the dispatcher accepts it (asked once per category and place)."""
        key = (s.leaf.path, s.community.j.code)
        if key not in self.routes:
            self.routes[key] = route_unit(category=s.leaf.category, community=s.community.j)
        return self.routes[key]

    def units(self, s: Spec) -> tuple[int, list[int]]:
        """The lead unit (the catalogue's, or the committee for a night-visit issue) and the assisting units."""
        lead = s.community.committee.pk if "committee_lead" in s.flags else self.route(s)
        if "joint" not in s.flags:
            return lead, []
        units = self.world.units
        if s.hotspot and s.leaf.path == SCHOOL_GATE:
            pool = s.rng.sample([units["JW-CG"], units["JW-SY2"], units["BUS"]], k=s.rng.choice((1, 2, 2, 3)))
        elif s.hotspot:
            pool = [units["JW-CG"]]
        elif s.story:
            pool = [units["XA-ZJ"], s.community.committee]
        else:
            pool = [self.street_office[s.community.street.code], s.community.committee][
                : s.rng.choice((1, 2))
            ]
        return lead, [u.pk for u in pool if u.pk != lead]

    def wrong_unit(self, s: Spec):
        right = self.world.units_by_id[self.route(s)]
        target = CONFUSED_WITH.get(right.code.split("-")[-1], "CG")
        if target in DISTRICT_UNITS:
            target = f"{s.community.prefix}-{target}"
        wrong = self.world.units[target]
        usable = (
            wrong.pk != right.pk and wrong.pk in self.world.supervisors and self.world.handlers.get(wrong.pk)
        )
        return wrong if usable else None

    def assignment(self, demand_id: int, unit_id: int) -> int:
        inbox = unit_inbox(unit_id=unit_id, tab="to_sign").filter(demand_id=demand_id)
        return inbox.order_by().values_list("pk", flat=True).get()

    def escalator(self, s: Spec):
        users = self.world.users
        if s.hotspot:
            return users["xietiao1"]
        pool = [users["leader1"], users["xietiao1"], users["dispatcher1"]]
        if s.community.prefix == "JW":
            pool += [users["leader2"], users["xietiao2"]]
        return s.rng.choice(pool)

    def escalation_reason(self, s: Spec) -> str:
        return texts.HOTSPOT_ESCALATION if s.hotspot else s.rng.choice(texts.ESCALATIONS)

    def phase(self, s: Spec, moment: dt.datetime) -> str:
        if s.hotspot:
            return "after" if local(moment).date() >= self.planner.meeting else "before"
        if s.story:
            return "after" if local(moment).date() >= self.planner.riders_meeting else "before"
        return ""
