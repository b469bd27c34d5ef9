"""What will happen: one ``Spec`` per demand, decided up front from the seed.

Counts that the demo promises are apportioned exactly rather than drawn:
demands per community, types per community, channels, and the share of
school-gate traffic and vendor demands in 金溪乡 (about a third of its
complaints). How each demand goes (a plan and a few flags) is drawn per
demand; the few open states that must always exist are pinned to recent
days, counted in working days so that holidays cannot push them past today.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from linli.demands.states import Channel, DemandType
from linli.demo import texts
from linli.demo.data import Template, templates
from linli.demo.timing import (
    DAY,
    MINUTE,
    at_hour,
    aware,
    local,
    school_day,
    work_moment,
    working_day_back,
)
from linli.demo.world import (
    HOTSPOT_LEAVES,
    JINRONG_CODE,
    RIDERS,
    SCHOOL_GATE,
    ZIJING_CODE,
    Community,
    Leaf,
    World,
)

T = DemandType
HOTSPOT_SHARE = 0.31  # of all the township's demands; about 0.35 of its complaints with the mixes below
TOWNSHIP_MIX = {
    T.COMPLAINT: 0.50,
    T.HELP: 0.17,
    T.CONSULTATION: 0.15,
    T.REPORT: 0.06,
    T.SUGGESTION: 0.08,
    T.PRAISE: 0.04,
}
HOTSPOT_MIX = {
    T.COMPLAINT: 0.60,
    T.REPORT: 0.10,
    T.SUGGESTION: 0.14,
    T.CONSULTATION: 0.09,
    T.HELP: 0.04,
    T.PRAISE: 0.03,
}
CITY_MIX = {
    T.COMPLAINT: 0.40,
    T.HELP: 0.18,
    T.CONSULTATION: 0.22,
    T.REPORT: 0.07,
    T.SUGGESTION: 0.09,
    T.PRAISE: 0.04,
}
CHANNEL_MIX = {
    Channel.HOTLINE: 0.67,
    Channel.WEB: 0.14,
    Channel.WALK_IN: 0.08,
    Channel.NIGHT_VISIT: 0.06,
    Channel.OPEN311: 0.05,
}
# The oldest weeks' hotline calls came over from the district's former hotline system.
IMPORT_DAYS, IMPORTED = 45, 0.8
FLAGS = {
    "late_sign": 0.08,
    "late_finish": 0.07,
    "extension": 0.05,
    "return": 0.045,
    "return_rejected": 0.012,
    "reopen": 0.04,
    "unsatisfied": 0.04,
    "no_callback": 0.035,
    "late_callback": 0.04,
    "escalate": 0.03,
}
# Open states that must exist in every run: plan -> (per how many demands, working days back (low, high)).
PINNED = {
    "stop_registered": (600, None),
    "stop_dispatched": (300, (1, 3)),
    "stop_returned": (600, (2, 4)),
    "stop_in_progress": (400, (20, 32)),
    "stop_replied": (600, (6, 12)),
    "stop_called_back": (600, (3, 5)),
}


@dataclass(eq=False)
class Spec:
    idx: int
    rng: random.Random
    community: Community | None
    leaf: Leaf | None
    template: Template | None
    demand_type: str
    urgency: str = "normal"
    hotspot: bool = False
    story: str = ""
    channel: str = Channel.HOTLINE
    at: dt.datetime | None = None
    plan: str = "loop"
    flags: set[str] = field(default_factory=set)
    phone: str = ""
    name: str = ""
    text: str = ""
    title: str = ""
    address: str = ""
    place: str = ""
    lat: float | None = None
    lng: float | None = None
    master: Spec | None = None
    # filled while the demand lives
    demand_id: int | None = None
    status: str = ""


def apportion(total: int, weights: dict) -> dict:
    """Split ``total`` in proportion to ``weights`` by largest remainder (exact, deterministic)."""
    s = sum(weights.values())
    raw = {k: total * w / s for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: (out[k] - raw[k], list(weights).index(k)))[
        : total - sum(out.values())
    ]:
        out[k] += 1
    return out


def quota(rng: random.Random, total: int, mix: dict) -> list:
    items = [k for k, n in apportion(total, mix).items() for _ in range(n)]
    rng.shuffle(items)
    return items


class Planner:
    def __init__(self, world: World, rng: random.Random, end: dt.datetime):
        self.world, self.rng, self.end = world, rng, end
        start = local(end).date() - 364 * DAY
        self.days = [start + i * DAY for i in range(365)]
        self.day_weights = [
            (1.0 if d.weekday() < 5 else 0.55) * (0.85 + 0.3 * i / 364) for i, d in enumerate(self.days)
        ]
        self.school_days = [d for d in self.days if school_day(d)] or self.days
        self.meeting = (
            local(end).date() - 150 * DAY
        )  # 金榕 joint meeting: guardrail and school-protection team
        self.visits = self._visit_evenings()
        tuesdays = self.visits[world.community(ZIJING_CODE).street.code]
        self.riders_visit = min(tuesdays, key=lambda d: abs((d - (local(end).date() - 170 * DAY)).days))
        self.riders_meeting = self.riders_visit + 8 * DAY
        self.by_key: dict[tuple[str, str, bool], list[Template]] = {}
        for t in templates():
            self.by_key.setdefault((t.category, t.demand_type, t.hotspot), []).append(t)

    def _visit_evenings(self) -> dict[str, list[dt.date]]:
        """Night visits: 香岸区 streets every other Tuesday, 蕉湾区 streets on the first Thursday of each month."""
        out: dict[str, list[dt.date]] = {}
        tuesdays = [d for d in self.days if d.weekday() == 1][::2]
        first_thursdays = [d for d in self.days if d.weekday() == 3 and d.day <= 7]
        for c in self.world.communities:
            out[c.street.code] = tuesdays if c.prefix == "XA" else first_thursdays
        return out

    # ---- what: community, type, category, words -------------------------------------------

    def specs(self, n: int) -> list[Spec]:
        n_spam = max(3, round(n * 0.012))
        counts = apportion(n - n_spam, {c: c.weight for c in self.world.communities})
        township = sum(k for c, k in counts.items() if c.in_township)
        specs: list[Spec] = []
        for c, k in counts.items():
            hot = round(HOTSPOT_SHARE * township) if c.j.code == JINRONG_CODE else 0
            mix = TOWNSHIP_MIX if c.in_township else CITY_MIX
            for hotspot, types in (
                (True, quota(self.rng, hot, HOTSPOT_MIX)),
                (False, quota(self.rng, k - hot, mix)),
            ):
                for demand_type in types:
                    specs.append(self._spec(len(specs), c, demand_type, hotspot))
        self.rng.shuffle(specs)
        for spec, channel in zip(specs, quota(self.rng, len(specs), CHANNEL_MIX), strict=True):
            spec.channel = channel
        self._riders_story(specs)
        specs += [self._spam(len(specs) + i) for i in range(n_spam)]
        imported_until = aware(self.days[IMPORT_DAYS], 0)
        for spec in specs:
            if spec.at is None:
                spec.at = self._when(spec)
            if spec.channel == Channel.HOTLINE and spec.at < imported_until and spec.rng.random() < IMPORTED:
                spec.channel = Channel.IMPORT
        self._residents(specs)
        for spec in specs:
            self._words(spec)
        self._plans(specs, n)
        specs.sort(key=lambda s: s.at)
        return specs

    def _spec(self, idx: int, c: Community, demand_type: str, hotspot: bool) -> Spec:
        rng = random.Random(self.rng.getrandbits(64))
        if hotspot:
            paths = [p for p in HOTSPOT_LEAVES if (p, demand_type, True) in self.by_key]
            path = rng.choices(paths, weights=[0.6 if p == SCHOOL_GATE else 0.4 for p in paths])[0]
        else:
            leaves = [
                lf
                for lf in self.world.leaves.values()
                if lf.fits(c)
                and (lf.path, demand_type, False) in self.by_key
                and not (c.in_township and lf.path in HOTSPOT_LEAVES)
            ]
            path = rng.choices(leaves, weights=[lf.weight for lf in leaves])[0].path
        template = rng.choice(self.by_key[(path, demand_type, hotspot)])
        return Spec(
            idx, rng, c, self.world.leaves[path], template, demand_type, template.urgency, hotspot=hotspot
        )

    def _riders_story(self, specs: list[Spec]) -> None:
        """紫荆社区: riders raise 五洲花苑's e-bike ban at one night visit; a coordination meeting follows."""
        zijing = [
            s
            for s in specs
            if s.community.j.code == ZIJING_CODE and s.demand_type in (T.COMPLAINT, T.SUGGESTION)
        ]
        for spec in zijing[: max(3, round(len(specs) * 0.006))]:
            spec.leaf = self.world.leaves[RIDERS]
            spec.template = spec.rng.choice(self.by_key[(RIDERS, spec.demand_type, False)])
            spec.channel, spec.story, spec.place = Channel.NIGHT_VISIT, "riders", "五洲花苑"
            spec.at = aware(self.riders_visit, 19, 30) + spec.rng.randint(5, 130) * MINUTE

    def _spam(self, idx: int) -> Spec:
        rng = random.Random(self.rng.getrandbits(64))
        channel = rng.choices([Channel.WEB, Channel.OPEN311, Channel.HOTLINE], weights=[0.6, 0.25, 0.15])[0]
        if channel == Channel.HOTLINE:
            text = rng.choice(texts.PRANKS)
        else:
            text = rng.choice(texts.SPAM).format(n=rng.randint(100, 999))
        return Spec(idx, rng, None, None, None, T.CONSULTATION, channel=channel, plan="invalid", text=text)

    # ---- when ------------------------------------------------------------------------------

    def _when(self, s: Spec) -> dt.datetime:
        rng = s.rng
        if s.channel == Channel.NIGHT_VISIT:
            day = rng.choice(self.visits[s.community.street.code])
            moment = aware(day, 19, 30) + rng.randint(0, 135) * MINUTE
        elif s.hotspot:
            day = rng.choice(self.school_days)
            if s.channel == Channel.WALK_IN:
                moment = work_moment(rng, day)
            elif rng.random() < 0.7:
                hour, minute = rng.choice(((7, 10), (16, 30)))
                moment = aware(day, hour, minute) + rng.randint(0, 100) * MINUTE
            else:
                moment = aware(day, 19) + rng.randint(0, 180) * MINUTE
        else:
            day = rng.choices(self.days, weights=self.day_weights)[0]
            moment = work_moment(rng, day) if s.channel == Channel.WALK_IN else at_hour(rng, day)
        if moment >= self.end:
            moment = self.end - rng.randint(30, 900) * MINUTE
        return moment

    # ---- who -------------------------------------------------------------------------------

    def _residents(self, specs: list[Spec]) -> None:
        pool = texts.resident_pool(self.rng, int(len(specs) * 0.72))
        regulars = pool[:40]  # people who call often
        for s in specs:
            anonymous = (s.channel == Channel.NIGHT_VISIT and s.rng.random() < 0.2) or (
                s.channel == Channel.WALK_IN and s.rng.random() < 0.1
            )
            if not anonymous:
                s.phone, s.name = s.rng.choice(regulars if s.rng.random() < 0.12 else pool)

    # ---- how -------------------------------------------------------------------------------

    def _plans(self, specs: list[Spec], n: int) -> None:
        rng = self.rng
        for s in specs:
            # Most consultations are answered at once: on the phone, at the counter, on the night visit, or by the
            # hotline replying to a web message; so is most praise and a little help.
            intake = {T.CONSULTATION: 0.9, T.PRAISE: 0.8, T.HELP: 0.12}.get(s.demand_type, 0)
            if (
                s.plan == "loop"
                and s.channel != Channel.IMPORT
                and s.urgency != "urgent"
                and s.rng.random() < intake
            ):
                s.plan = "intake"
        free = [
            s
            for s in specs
            if s.plan == "loop"
            and not s.hotspot
            and not s.story
            and s.channel in (Channel.HOTLINE, Channel.WEB)
        ]
        rng.shuffle(free)
        for plan, (per, back) in PINNED.items():
            for _ in range(max(1, round(n / per))):
                if not free:
                    break
                s = free.pop()
                s.plan = plan
                if back is None:
                    s.at = self.end - s.rng.randint(5, 90) * MINUTE
                else:
                    day = working_day_back(self.end, s.rng.randint(*back))
                    s.at = aware(day, 9) + s.rng.randint(0, 80) * MINUTE
                s.flags.add("quick")
        for s in free[: max(2, round(n * 0.02))]:
            s.plan = "withdraw"
        self._duplicates(specs, n)
        for s in specs:
            if s.plan in ("loop", "withdraw", "merge") or s.plan.startswith("stop_"):
                self._flags(s)

    def _duplicates(self, specs: list[Spec], n: int) -> None:
        """Some hotspot complaints repeat one raised a day earlier at the same gate; the dispatcher merges them."""
        group = [
            s
            for s in specs
            if s.hotspot
            and s.plan == "loop"
            and s.demand_type == T.COMPLAINT
            and s.channel in (Channel.HOTLINE, Channel.WEB)
            and s.at < self.end - 4 * DAY
        ]
        self.rng.shuffle(group)
        k = min(max(3, round(n * 0.03)), len(group) // 3)
        duplicates, masters = group[:k], group[k:]
        for d in duplicates:
            same = [m for m in masters if m.leaf is d.leaf] or masters
            m = self.rng.choice(same)
            d.plan, d.master = "merge", m
            d.at = m.at + d.rng.randint(60, 30 * 60) * MINUTE
            d.place = m.place
            self._words(d)

    def _flags(self, s: Spec) -> None:
        rng, flags = s.rng, s.flags
        for flag, p in FLAGS.items():
            if rng.random() < p:
                flags.add(flag)
        if "extension" in flags:
            flags.discard("late_finish")
            if rng.random() < 0.2:
                flags.add("ext_reject")
        if "extension" in flags or "return" in flags:
            flags.discard("return_rejected")
        if "return" in flags:
            if rng.random() < 0.4:
                flags.add("return_direct")
        outcome = [f for f in ("reopen", "unsatisfied", "no_callback") if f in flags]
        flags.difference_update(outcome[1:])
        if not s.plan.startswith("stop_") and (not s.phone or rng.random() < 0.18):
            # Anonymous, or the resident said at registration that no callback is needed (免回访).
            flags.add("skip_callback")
            flags.difference_update({"reopen", "unsatisfied", "no_callback", "late_callback"})
        if s.urgency == "urgent" or "quick" in flags:
            flags.difference_update(
                {
                    "extension",
                    "ext_reject",
                    "return",
                    "return_direct",
                    "return_rejected",
                    "late_sign",
                    "late_finish",
                    "reopen",
                    "no_callback",
                    "late_callback",
                }
            )
        if s.plan == "stop_returned":
            flags.add("return")
        if s.hotspot and s.leaf.path == SCHOOL_GATE and rng.random() < 0.7:
            flags.add("joint")
        elif (s.hotspot and rng.random() < 0.5) or s.story or rng.random() < 0.05:
            flags.add("joint")
        if s.hotspot and local(s.at).date() < self.meeting and rng.random() < 0.12:
            flags.add("escalate")
        if s.channel in (Channel.WEB, Channel.OPEN311, Channel.NIGHT_VISIT) or rng.random() < 0.1:
            flags.add("classify_at_dispatch")
        if s.channel == Channel.NIGHT_VISIT and not s.story and s.urgency != "urgent" and rng.random() < 0.9:
            flags.add("committee_lead")  # most night-visit issues are settled by the community itself

    # ---- words -----------------------------------------------------------------------------

    def _words(self, s: Spec) -> None:
        if s.template is None:
            s.title = s.text[:30]
            return
        rng, c = s.rng, s.community
        if s.hotspot:
            s.place = s.place or c.school + rng.choice(texts.SCHOOL_GATES)
            road = "学府路"
        else:
            s.place = s.place or rng.choice(c.places)
            road = rng.choice(c.roads)
        s.text = texts.render(
            s.template.text,
            rng,
            place=s.place,
            road=road,
            school=c.school,
            community=c.j.name,
            since=rng.choice(texts.SINCE),
            ask=rng.choice(texts.ASK),
        )
        s.title = f"{s.leaf.name}：{c.j.name}{s.place}"
        s.address = f"{c.district.name}{c.street.name}{c.j.name}{road}{s.place}"
        if rng.random() < (0.9 if s.channel in (Channel.WEB, Channel.OPEN311) else 0.6):
            spread = 0.0004 if s.hotspot else 0.004
            s.lat, s.lng = round(c.lat + rng.gauss(0, spread), 6), round(c.lng + rng.gauss(0, spread), 6)
