"""The round planner, pure Python over plain ids, no database.

For one evening every community gets a team of ``team_min``..``team_max``
cadres with at least one city/district cadre and one street-level cadre.
Everyone available who may go is sent (teams fill up to ``team_max``).
A cadre goes only where their home area allows: a street-level cadre to the
communities of their street, a district-level cadre to those of their district,
a city-level cadre anywhere (``cadre_area``). Locked (hand-set) cadres stay
where they are and count towards their team.

The round is solved exactly (``planner_solver``: coverage, then fill, then
balance, then the fewest repeat visits, i.e. a cadre on a community they have
visited before in the campaign); if the solver gives no answer the greedy of
``planner_greedy`` plans the round and the plan says so. Communities that
cannot get a mixed team are reported with the reason, and their partial team is
given back to the others. Each planned cadre carries why they are there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from linli.org.states import LEVEL_DEPTH
from linli.visits.planner_greedy import greedy_round
from linli.visits.planner_solver import SolverFailed, solve_round
from linli.visits.states import SENIOR_LEVELS as SENIOR

__all__ = ["SENIOR", "Gap", "PlanCadre", "RoundPlan", "cadre_area", "plan_campaign", "plan_round"]


@dataclass(frozen=True)
class PlanCadre:
    id: int
    level: str
    name: str = ""
    area: str = ""  # path prefix of the communities this cadre may visit; "" anywhere


@dataclass
class Gap:
    community_id: int
    reason: str


@dataclass
class RoundPlan:
    teams: dict[int, list[int]]  # community id -> cadre ids (locked ones included)
    gaps: list[Gap] = field(default_factory=list)
    why: dict[int, str] = field(default_factory=dict)  # cadre id -> why this cadre is at this community
    method: str = "solver"  # or "greedy" when the solver gave no answer
    note: str = ""  # why the greedy planned this round, if it did


def cadre_area(*, level: str, home_path: str = "", unit_path: str = "") -> str:
    """Where a cadre may be planned, as a path prefix: their street (street level) or district (district
    level) taken from their home area, else from their unit's area; "" (anywhere) for the city level and for
    a cadre attached to no area."""
    path = home_path or unit_path
    if level not in LEVEL_DEPTH or level == "city" or not path:
        return ""
    parts = [p for p in path.split("/") if p][: LEVEL_DEPTH[level] + 1]
    return "/" + "/".join(parts) + "/"


def plan_round(
    *,
    date: dt.date,
    communities: list[int],
    cadres: list[PlanCadre],
    unavailable: set[int],
    load: Mapping[int, int],
    seen: Mapping[tuple[int, int], int] | set[tuple[int, int]],
    locked: dict[int, list[int]] | None = None,
    covered_before: Mapping[int, int] | None = None,
    team_min: int = 2,
    team_max: int = 3,
    paths: Mapping[int, str] | None = None,
    method: str = "solver",
) -> RoundPlan:
    """Plan one evening. ``seen`` counts (cadre, community) visits of earlier rounds (a set counts each once);
    ``load`` counts earlier rounds per cadre; ``paths`` gives each community's jurisdiction path (none: no
    home-area rule)."""
    if team_min < 2 or team_max < team_min:
        raise ValueError("team size")
    if method not in ("solver", "greedy"):
        raise ValueError("method")
    seen = dict.fromkeys(seen, 1) if isinstance(seen, set) else seen
    paths = paths if paths is not None else dict.fromkeys(communities, "")
    inside = set(communities)
    level = {c.id: c.level for c in cadres}
    # a locked cadre who has left the pool since keeps the row but counts for no team
    locked = {c: [i for i in ids if i in level] for c, ids in (locked or {}).items() if c in inside}
    taken = {cid for ids in locked.values() for cid in ids}
    free = [c for c in cadres if c.id not in unavailable and c.id not in taken]
    day = date.isoformat()
    reasons = {
        "senior": _("%(day)s 没有可派的市级或区级干部") % {"day": day},
        "street": _("%(day)s 没有可派的镇街级干部") % {"day": day},
        "size": _("%(day)s 可派干部不足，无法凑齐%(n)s人小组") % {"day": day, "n": team_min},
    }
    args = dict(communities=communities, paths=paths, free=free, level=level, load=load, seen=seen)
    plan = RoundPlan(teams={})
    if method == "solver":
        try:
            plan.teams, gaps = _solved(
                **args, locked=locked, team_min=team_min, team_max=team_max, reasons=reasons
            )
        except SolverFailed as exc:
            plan.method, plan.note = (
                "greedy",
                _("求解器未给出结果（%(why)s），本轮按贪心规则排班") % {"why": exc},
            )
    if plan.method == "greedy" or method == "greedy":
        plan.method = "greedy"
        plan.teams, gaps = greedy_round(
            **args,
            locked=locked,
            covered_before=covered_before or {},
            team_min=team_min,
            team_max=team_max,
            reasons=reasons,
        )
    plan.gaps = [Gap(c, r) for c, r in gaps]
    plan.why = _explain(plan.teams, free, paths, seen, taken)
    return plan


def _solved(*, communities, paths, free, level, load, seen, locked, team_min, team_max, reasons):
    """Solve, drop the communities that cannot get a mixed team of ``team_min``, solve again without them."""
    by_area: dict[str, list[int]] = {}
    for c in free:
        if c.area not in by_area:
            by_area[c.area] = [k for k in communities if paths[k].startswith(c.area)]
    senior = {c.id: c.level in SENIOR for c in free} | {
        i: level[i] in SENIOR for ids in locked.values() for i in ids
    }
    gaps: list[tuple[int, str]] = []
    open_ = list(communities)
    while True:
        reach = set(open_)
        allowed = {c.id: [k for k in by_area[c.area] if k in reach] for c in free}
        placed = solve_round(
            communities=open_,
            allowed=allowed,
            senior=senior,
            load=load,
            seen=seen,
            locked=locked,
            team_min=team_min,
            team_max=team_max,
        )
        teams = {k: locked.get(k, []) + placed.get(k, []) for k in open_}
        new = []
        for k in open_:
            team = teams[k]
            if not any(senior[i] for i in team):
                new.append((k, reasons["senior"]))
            elif all(senior[i] for i in team):
                new.append((k, reasons["street"]))
            elif len(team) < team_min:
                new.append((k, reasons["size"]))
        if not new:
            return teams, gaps
        gaps += new
        dropped = {k for k, _r in new}
        open_ = [k for k in open_ if k not in dropped]


def _explain(teams, free, paths, seen, taken) -> dict[int, str]:
    areas: dict[str, list[int]] = {}
    for c in free:
        if c.area not in areas:
            areas[c.area] = [k for k in teams if paths[k].startswith(c.area)]
    reach = {c.id: areas[c.area] for c in free}
    why = {}
    locked_, first = _("手工锁定"), _("首次走访该社区")
    for k, team in teams.items():
        for cid in team:
            before = seen.get((cid, k), 0)
            if cid in taken:
                why[cid] = locked_
            elif not before:
                why[cid] = first
            elif all(seen.get((cid, other), 0) for other in reach[cid]):
                why[cid] = _("第%(n)s次走访该社区：可去的%(m)s个社区都已走访过") % {
                    "n": before + 1,
                    "m": len(reach[cid]),
                }
            else:
                why[cid] = _("第%(n)s次走访该社区：为保证覆盖、搭配和均衡") % {"n": before + 1}
    return why


def plan_campaign(
    *,
    dates: list[dt.date],
    communities: list[int],
    cadres: list[PlanCadre],
    unavailable: dict[dt.date, set[int]] | None = None,
    team_min: int = 2,
    team_max: int = 3,
    paths: Mapping[int, str] | None = None,
    method: str = "solver",
    passes: int = 3,
) -> list[RoundPlan]:
    """Plan every round in order, carrying loads and pairings forward; then (solver only) re-plan each round
    knowing all the others, as a planner re-planning a round does, while that removes repeat visits, at most
    ``passes`` times. Used by the benchmark and tests."""
    load: dict[int, int] = {}
    seen: dict[tuple[int, int], int] = {}
    covered: dict[int, int] = {}
    args = dict(
        communities=communities,
        cadres=cadres,
        team_min=team_min,
        team_max=team_max,
        paths=paths,
        method=method,
    )

    def count(plan: RoundPlan, step: int) -> None:
        for c, team in plan.teams.items():
            covered[c] = covered.get(c, 0) + step
            for cid in team:
                load[cid] = load.get(cid, 0) + step
                seen[(cid, c)] = seen.get((cid, c), 0) + step

    plans = []
    for date in dates:
        plan = plan_round(
            date=date,
            unavailable=(unavailable or {}).get(date, set()),
            load=load,
            seen=seen,
            covered_before=covered,
            **args,
        )
        count(plan, 1)
        plans.append(plan)
    reach = _reach(cadres, communities, paths)
    for _pass in range(passes if method == "solver" else 0):
        score = _score(seen, load, reach)
        if score == (0, 0):
            break  # at the lower bounds: no plan with these loads repeats less or more evenly
        distinct: dict[int, int] = {}
        for cid, _k in seen:
            distinct[cid] = distinct.get(cid, 0) + (seen[(cid, _k)] > 0)
        slack = {cid for cid, n in load.items() if distinct.get(cid, 0) < min(n, reach[cid])}

        most = _most_needed(load, reach)

        def avoidable(cid: int, k: int, slack: set[int] = slack, most: int = most) -> bool:
            return (cid in slack and seen[(cid, k)] > 1) or seen[(cid, k)] > most

        for r, date in enumerate(dates):
            if not any(avoidable(cid, k) for k, t in plans[r].teams.items() for cid in t):
                continue  # nothing avoidable in this round
            count(plans[r], -1)
            plans[r] = plan_round(
                date=date,
                unavailable=(unavailable or {}).get(date, set()),
                load=load,
                seen=seen,
                covered_before=covered,
                **args,
            )
            count(plans[r], 1)
        if _score(seen, load, reach) >= score:
            break
    return plans


def _score(seen, load, reach) -> tuple[int, int]:
    """(repeats above the counting bound, the most visits of one pair above the most that some cadre must
    make to one community, max ⌈load / reach⌉): (0, 0) is optimal for these loads."""
    bound = sum(max(0, n - reach[cid]) for cid, n in load.items() if n)
    most = max((t for t in seen.values()), default=0)
    return _repeats(seen) - bound, max(0, most - _most_needed(load, reach))


def _most_needed(load, reach) -> int:
    return max((-(-n // reach[cid]) for cid, n in load.items() if n and reach[cid]), default=0)


def _reach(
    cadres: list[PlanCadre], communities: list[int], paths: Mapping[int, str] | None
) -> dict[int, int]:
    """How many of the campaign's communities each cadre may visit."""
    by_area: dict[str, int] = {}
    for c in cadres:
        if c.area not in by_area:
            by_area[c.area] = sum(1 for k in communities if (paths or {}).get(k, "").startswith(c.area))
    return {c.id: by_area[c.area] for c in cadres}


def _repeats(seen: Mapping[tuple[int, int], int]) -> int:
    return sum(n - 1 for n in seen.values() if n > 1)
