"""The round planner: a greedy with repair, pure Python, no database.

For one evening every community gets a team of ``team_min``..``team_max``
cadres with at least one city/district cadre and one street-level cadre.
Cadres are drawn lowest campaign load first, so loads stay even; among
equally loaded cadres one who has not yet visited the community is preferred,
so communities see new faces round after round. Locked (hand-set) cadres stay
where they are and count towards their team. Communities that cannot get a
mixed team are reported with the reason, and their partial team is given back
to the others (the repair step): a half-staffed community is not a plan.

Communities are served scarcest first: locked ones, then those covered least
often in earlier rounds, so a shortage does not hit the same community twice.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

SENIOR = frozenset({"city", "district"})
LOOKAHEAD = 12  # equally loaded candidates looked at to avoid a repeat pairing


@dataclass(frozen=True)
class PlanCadre:
    id: int
    level: str
    name: str = ""


@dataclass
class Gap:
    community_id: int
    reason: str


@dataclass
class RoundPlan:
    teams: dict[int, list[int]]  # community id -> cadre ids (locked ones included)
    gaps: list[Gap] = field(default_factory=list)


class _Pool:
    """Free cadres of one kind, cheapest first: (load, tie-break)."""

    def __init__(self, cadres: Iterable[PlanCadre], load: dict[int, int]):
        self.heap = [(load.get(c.id, 0), c.id) for c in cadres]
        heapq.heapify(self.heap)

    def __len__(self) -> int:
        return len(self.heap)

    def take(self, community_id: int, seen: set[tuple[int, int]]) -> int | None:
        if not self.heap:
            return None
        best_load = self.heap[0][0]
        held = []
        chosen = None
        while self.heap and len(held) < LOOKAHEAD and self.heap[0][0] == best_load:
            item = heapq.heappop(self.heap)
            if (item[1], community_id) not in seen:
                chosen = item
                break
            held.append(item)
        if chosen is None:
            chosen, held = held[0], held[1:]
        for item in held:
            heapq.heappush(self.heap, item)
        return chosen[1]

    def give_back(self, cadre_id: int, load: int) -> None:
        heapq.heappush(self.heap, (load, cadre_id))


def plan_round(
    *,
    date: dt.date,
    communities: list[int],
    cadres: list[PlanCadre],
    unavailable: set[int],
    load: dict[int, int],
    seen: set[tuple[int, int]],
    locked: dict[int, list[int]] | None = None,
    covered_before: dict[int, int] | None = None,
    team_min: int = 2,
    team_max: int = 3,
) -> RoundPlan:
    """Plan one evening. ``seen`` holds (cadre, community) pairs of earlier rounds; ``load`` counts earlier rounds."""
    if team_min < 2 or team_max < team_min:
        raise ValueError("team size")
    locked = {c: list(ids) for c, ids in (locked or {}).items() if c in set(communities)}
    covered_before = covered_before or {}
    level = {c.id: c.level for c in cadres}
    taken = {cid for ids in locked.values() for cid in ids}
    free = [c for c in cadres if c.id not in unavailable and c.id not in taken]
    seniors = _Pool((c for c in free if c.level in SENIOR), load)
    locals_ = _Pool((c for c in free if c.level not in SENIOR), load)
    order = sorted(communities, key=lambda c: (c not in locked, covered_before.get(c, 0), c))
    teams: dict[int, list[int]] = {c: list(locked.get(c, [])) for c in communities}
    gaps: list[Gap] = []
    day = date.isoformat()

    def has(team: list[int], senior: bool) -> bool:
        return any((level[i] in SENIOR) == senior for i in team)

    # Pass 1 and 2: one senior, then one local cadre, for each community, scarcest first.
    for need_senior, pool, why in (
        (True, seniors, _("%(day)s 没有可派的市级或区级干部") % {"day": day}),
        (False, locals_, _("%(day)s 没有可派的镇街级干部") % {"day": day}),
    ):
        for c in order:
            if c in {g.community_id for g in gaps} or has(teams[c], need_senior):
                continue
            pick = pool.take(c, seen)
            if pick is None:
                gaps.append(Gap(c, why))
                continue
            teams[c].append(pick)
    # Repair: an uncovered community's partial team goes back to the pools for the others.
    gap_ids = {g.community_id for g in gaps}
    for c in gap_ids:
        for cid in teams[c]:
            if cid not in taken:
                (seniors if level[cid] in SENIOR else locals_).give_back(cid, load.get(cid, 0))
        teams[c] = [cid for cid in teams[c] if cid in taken]
    covered = [c for c in order if c not in gap_ids]
    # Pass 3: up to team_min from either pool; pass 4: up to team_max while cadres remain.
    for size in (team_min, team_max):
        for c in covered:
            while len(teams[c]) < size:
                pool = seniors if _cheaper(seniors, locals_) else locals_
                pick = pool.take(c, seen)
                if pick is None:
                    break
                teams[c].append(pick)
        if size == team_min:
            for c in covered:
                if len(teams[c]) < team_min:
                    gaps.append(
                        Gap(c, _("%(day)s 可派干部不足，无法凑齐%(n)s人小组") % {"day": day, "n": team_min})
                    )
    short = {g.community_id for g in gaps}
    return RoundPlan(teams={c: t for c, t in teams.items() if c not in short}, gaps=gaps)


def _cheaper(a: _Pool, b: _Pool) -> bool:
    if not a.heap:
        return False
    if not b.heap:
        return True
    return a.heap[0] <= b.heap[0]


def plan_campaign(
    *,
    dates: list[dt.date],
    communities: list[int],
    cadres: list[PlanCadre],
    unavailable: dict[dt.date, set[int]] | None = None,
    team_min: int = 2,
    team_max: int = 3,
) -> list[RoundPlan]:
    """Plan every round in order, carrying loads and pairings forward (used by the benchmark and tests)."""
    load: dict[int, int] = {}
    seen: set[tuple[int, int]] = set()
    covered: dict[int, int] = {}
    plans = []
    for date in dates:
        plan = plan_round(
            date=date,
            communities=communities,
            cadres=cadres,
            unavailable=(unavailable or {}).get(date, set()),
            load=load,
            seen=seen,
            covered_before=covered,
            team_min=team_min,
            team_max=team_max,
        )
        for c, team in plan.teams.items():
            covered[c] = covered.get(c, 0) + 1
            for cid in team:
                load[cid] = load.get(cid, 0) + 1
                seen.add((cid, c))
        plans.append(plan)
    return plans
