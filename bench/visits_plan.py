"""Night-visit planner benchmark: 1,000 cadres, 331 communities, 27 rounds, generated in memory.

Run: .venv/bin/python bench/visits_plan.py
Prints the time and the plan's quality: coverage, level mix, load spread, repeat pairings.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()

from linli.visits.planner import SENIOR, PlanCadre, plan_campaign  # noqa: E402

CADRES, COMMUNITIES, ROUNDS = 1000, 331, 27


def main() -> None:
    rng = random.Random(2026)
    levels = ["city"] * 120 + ["district"] * 330 + ["street"] * 550
    cadres = [PlanCadre(i, levels[i]) for i in range(CADRES)]
    dates = [dt.date(2026, 1, 6) + dt.timedelta(days=14 * k) for k in range(ROUNDS)]
    # About 8% of the pool cannot go on any given evening.
    unavailable = {d: {c.id for c in cadres if rng.random() < 0.08} for d in dates}
    communities = list(range(10_000, 10_000 + COMMUNITIES))
    start = time.perf_counter()
    plans = plan_campaign(dates=dates, communities=communities, cadres=cadres, unavailable=unavailable)
    seconds = time.perf_counter() - start
    level = {c.id: c.level for c in cadres}
    load: dict[int, int] = {}
    pairs: dict[tuple[int, int], int] = {}
    mixed = teams = 0
    for p in plans:
        for community, team in p.teams.items():
            teams += 1
            mixed += any(level[i] in SENIOR for i in team) and any(level[i] not in SENIOR for i in team)
            for i in team:
                load[i] = load.get(i, 0) + 1
                pairs[(i, community)] = pairs.get((i, community), 0) + 1
    covered = sum(len(p.teams) for p in plans)
    repeats = sum(n - 1 for n in pairs.values() if n > 1)
    loads = [load.get(c.id, 0) for c in cadres]
    print(f"planned {ROUNDS} rounds × {COMMUNITIES} communities with {CADRES} cadres in {seconds:.2f} s")
    print(
        f"coverage: {covered} / {ROUNDS * COMMUNITIES} community-evenings ({covered / (ROUNDS * COMMUNITIES):.1%}); gaps: {sum(len(p.gaps) for p in plans)}"
    )
    print(f"level mix: {mixed} / {teams} teams with a city/district and a street cadre")
    print(
        f"load per cadre: min {min(loads)}, max {max(loads)}, mean {statistics.mean(loads):.1f}, stdev {statistics.pstdev(loads):.2f}"
    )
    print(f"repeat pairings (same cadre, same community again): {repeats} of {sum(loads)} assignments")


if __name__ == "__main__":
    main()
