"""The greedy with repair: the planner's fallback when the solver gives no answer, and the bench's baseline.

Cadres are drawn lowest campaign load first, so loads stay even; among equally
loaded cadres one who has not yet visited the community is preferred. Each
cadre is drawn only for communities of their area (``PlanCadre.area``, a path
prefix; "" is anywhere); among equals the cadre of the narrowest area goes
first, so the city-wide ones stay free for places nobody else may go.
Communities are served scarcest first: locked ones, then those covered least
often in earlier rounds, so a shortage does not hit the same community twice.
A community that cannot get a mixed team is reported with the reason and its
partial team is given back to the others (the repair step).
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping

from linli.visits.states import SENIOR_LEVELS as SENIOR

LOOKAHEAD = 12  # equally loaded candidates looked at to avoid a repeat pairing


class _Pools:
    """Free cadres of one kind, a heap per area, cheapest first: (load, narrowest area, id)."""

    def __init__(self, cadres, load: Mapping[int, int]):
        self.heaps: dict[str, list[tuple[int, int, int]]] = {}
        self.area: dict[int, str] = {}
        for c in cadres:
            self.heaps.setdefault(c.area, []).append((load.get(c.id, 0), -len(c.area), c.id))
            self.area[c.id] = c.area
        for h in self.heaps.values():
            heapq.heapify(h)
        self._reach: dict[str, list[list]] = {}

    def _for(self, path: str) -> list[list]:
        if path not in self._reach:
            self._reach[path] = [h for area, h in sorted(self.heaps.items()) if path.startswith(area)]
        return self._reach[path]

    def best(self, path: str) -> tuple[int, int, int] | None:
        tops = [h[0] for h in self._for(path) if h]
        return min(tops) if tops else None

    def take(self, community_id: int, path: str, seen: Mapping[tuple[int, int], int]) -> int | None:
        heaps = self._for(path)
        first = self.best(path)
        if first is None:
            return None
        held: list[tuple[int, int, int]] = []
        chosen = None
        while len(held) < LOOKAHEAD:
            live = [h for h in heaps if h and h[0][0] == first[0]]
            if not live:
                break
            item = heapq.heappop(min(live, key=lambda h: h[0]))
            if not seen.get((item[2], community_id)):
                chosen = item
                break
            held.append(item)
        if chosen is None:
            chosen, held = held[0], held[1:]
        for item in held:
            heapq.heappush(self.heaps[self.area[item[2]]], item)
        return chosen[2]

    def give_back(self, cadre_id: int, load: int) -> None:
        area = self.area[cadre_id]
        heapq.heappush(self.heaps[area], (load, -len(area), cadre_id))


def greedy_round(
    *,
    communities: list[int],
    paths: Mapping[int, str],
    free: list,
    level: Mapping[int, str],
    load: Mapping[int, int],
    seen: Mapping[tuple[int, int], int],
    locked: Mapping[int, list[int]],
    covered_before: Mapping[int, int],
    team_min: int,
    team_max: int,
    reasons: Mapping[str, str],
) -> tuple[dict[int, list[int]], list[tuple[int, str]]]:
    """Teams (locked cadres included) and gaps as (community, reason)."""
    seniors = _Pools((c for c in free if c.level in SENIOR), load)
    locals_ = _Pools((c for c in free if c.level not in SENIOR), load)
    order = sorted(communities, key=lambda c: (c not in locked, covered_before.get(c, 0), c))
    teams: dict[int, list[int]] = {c: list(locked.get(c, [])) for c in communities}
    taken = {cid for ids in locked.values() for cid in ids}
    gaps: list[tuple[int, str]] = []

    def has(team: list[int], senior: bool) -> bool:
        return any((level[i] in SENIOR) == senior for i in team)

    # Pass 1 and 2: one senior, then one local cadre, for each community, scarcest first.
    for need_senior, pool, why in ((True, seniors, reasons["senior"]), (False, locals_, reasons["street"])):
        for c in order:
            if c in {g[0] for g in gaps} or has(teams[c], need_senior):
                continue
            pick = pool.take(c, paths[c], seen)
            if pick is None:
                gaps.append((c, why))
                continue
            teams[c].append(pick)
    # Repair: an uncovered community's partial team goes back to the pools for the others.
    gap_ids = {g[0] for g in gaps}
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
                a, b = seniors.best(paths[c]), locals_.best(paths[c])
                pool = seniors if a is not None and (b is None or a <= b) else locals_
                pick = pool.take(c, paths[c], seen)
                if pick is None:
                    break
                teams[c].append(pick)
        if size == team_min:
            gaps += [(c, reasons["size"]) for c in covered if len(teams[c]) < team_min]
    short = {g[0] for g in gaps}
    return {c: t for c, t in teams.items() if c not in short}, gaps
