"""One evening planned as an assignment problem, solved exactly (scipy's ``linear_sum_assignment``).

Each community offers places ("slots") in its team: one for a first senior
(city or district level), one for a first street-level cadre, members up to
``team_min`` and extra places up to ``team_max``, less what locked cadres
already fill. Each free cadre takes one slot of a community of their area, or
a "stays home" column. The costs are lexicographic through weights, highest
first:

1. coverage: a reward for the first senior, the first street-level cadre and
   each member up to ``team_min`` of every community;
2. fill: a reward for each cadre placed (the planner sends everyone who can go);
3. balance: among cadres that compete for too few places, the less loaded go;
4. repeats: a cadre on a community they visited before costs ``REPEAT``, plus
   ``SPREAD`` × (visits so far)², so repeats a cadre cannot avoid spread evenly.

The optimum of this assignment is the optimum of the round under these
weights (an assignment problem is solved exactly, not approximately); the
campaign is planned round after round, each round knowing the earlier ones.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.optimize import linear_sum_assignment

REPEAT = 1_000  # one more repeat visit
SPREAD = 1  # × (visits so far)²
BALANCE = 100_000  # per earlier round of the cadre, when not everyone can go
FILL = 10_000_000  # per cadre placed
COVER = 1_000_000_000  # per first senior / first street-level cadre / member up to team_min
FIRST_SENIOR, FIRST_STREET, MEMBER, EXTRA = 0, 1, 2, 3
REWARD = {FIRST_SENIOR: COVER, FIRST_STREET: COVER, MEMBER: COVER, EXTRA: 0}


class SolverFailed(Exception):
    """The solver gave no assignment; the caller falls back to the greedy."""


def _slots(communities, senior, locked, team_min, team_max):
    """(community index, kind) for every open place, grouped by community."""
    slots = []
    for i, k in enumerate(communities):
        team = locked.get(k, [])
        room = max(0, team_max - len(team))
        kinds = []
        if not any(senior[c] for c in team):
            kinds.append(FIRST_SENIOR)
        if all(senior[c] for c in team):
            kinds.append(FIRST_STREET)
        kinds = kinds[:room]
        kinds += [MEMBER] * min(room - len(kinds), max(0, team_min - len(team) - len(kinds)))
        kinds += [EXTRA] * (room - len(kinds))
        slots += [(i, kind) for kind in kinds]
    return slots


def solve_round(
    *,
    communities: list[int],
    allowed: Mapping[int, list[int]],
    senior: Mapping[int, bool],
    load: Mapping[int, int],
    seen: Mapping[tuple[int, int], int],
    locked: Mapping[int, list[int]],
    team_min: int,
    team_max: int,
) -> dict[int, list[int]]:
    """Free cadres for each community (locked ones not included). ``allowed``: free cadre -> communities."""
    rows = [c for c in sorted(allowed) if allowed[c]]
    slots = _slots(communities, senior, locked, team_min, team_max)
    if not rows or not slots:
        return {}
    index = {k: i for i, k in enumerate(communities)}
    slot_comm = np.array([s[0] for s in slots])
    slot_kind = np.array([s[1] for s in slots])
    base = -FILL - np.array([REWARD[s[1]] for s in slots], dtype=float)
    takes_senior = slot_kind != FIRST_STREET
    takes_street = slot_kind != FIRST_SENIOR
    reach: dict[tuple[int, ...], np.ndarray] = {}
    cost = np.full((len(rows), len(slots) + len(rows)), np.inf)
    cost[:, len(slots) :] = 0.0  # stays home
    for r, cid in enumerate(rows):
        key = tuple(allowed[cid])
        if key not in reach:
            inside = np.zeros(len(communities), dtype=bool)
            inside[[index[k] for k in key]] = True
            reach[key] = inside[slot_comm]
        ok = reach[key] & (takes_senior if senior[cid] else takes_street)
        cost[r, : len(slots)][ok] = base[ok] + BALANCE * load.get(cid, 0)
    first = np.searchsorted(slot_comm, np.arange(len(communities) + 1))  # a community's slots are contiguous
    row_of = {cid: r for r, cid in enumerate(rows)}
    for (cid, k), times in seen.items():
        if times and k in index and cid in row_of:
            i = index[k]
            cost[row_of[cid], first[i] : first[i + 1]] += REPEAT + SPREAD * times * times
    try:
        picked_rows, picked_cols = linear_sum_assignment(cost)
    except ValueError as exc:  # an infeasible or malformed matrix: never with the stay-home columns
        raise SolverFailed(str(exc)) from exc
    teams: dict[int, list[int]] = {}
    for r, col in zip(picked_rows, picked_cols, strict=True):
        if col < len(slots):
            teams.setdefault(communities[slot_comm[col]], []).append(rows[r])
    return teams
