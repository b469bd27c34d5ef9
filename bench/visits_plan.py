"""Night-visit planner benchmark: two generated instances, the greedy against the solver, with a lower bound.

Run: .venv/bin/python bench/visits_plan.py [--only large|small] [--no-areas]

Instances (generated in memory, seeded): "large" 1,000 cadres (120 city, 330 district, 550 street level)
for 331 communities, "small" 100 cadres (12/33/55) for 33 communities; 27 fortnightly rounds each, about
8% of the pool away on any evening. With home areas (the default) the communities lie in districts and
streets and each district or street cadre lives in one of them (in proportion to its communities);
``--no-areas`` plans the same pool with no home-area rule (the instances of issue 17).

For each planner it prints: time, coverage, team mix, loads, repeat visits (a cadre on a community they
visited before in the campaign) and the most visits of one cadre to one community. The lower bound:
a cadre planned L times who may go to A communities of the campaign repeats at least L - A times and
visits one of them at least ceil(L / A) times, whatever the plan; summed over cadres at the solver's
loads (which equal the greedy's: both send everyone who can go) it bounds any plan with those loads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
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

ROUNDS = 27
SIZES = {"large": (1000, 331, 4), "small": (100, 33, 2)}  # cadres, communities, districts


def _share(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders)."""
    exact = [total * w / sum(weights) for w in weights]
    out = [int(x) for x in exact]
    for i in sorted(range(len(weights)), key=lambda i: out[i] - exact[i])[: total - sum(out)]:
        out[i] += 1
    return out


def instance(name: str, *, areas: bool = True, seed: int = 2026):
    """(dates, communities, cadres, unavailable, paths) for one named instance."""
    n_cadres, n_comm, n_districts = SIZES[name]
    rng = random.Random(seed)
    city, district, street = round(n_cadres * 0.12), round(n_cadres * 0.33), 0
    street = n_cadres - city - district
    levels = ["city"] * city + ["district"] * district + ["street"] * street
    dates = [dt.date(2026, 1, 6) + dt.timedelta(days=14 * k) for k in range(ROUNDS)]
    unavailable = {d: {i for i in range(n_cadres) if rng.random() < 0.08} for d in dates}
    communities = list(range(10_000, 10_000 + n_comm))
    # Geography: districts of about equal size, streets of 8 to 20 communities.
    geo = random.Random(seed + 1)
    per_district = _share(n_comm, [1] * n_districts)
    streets: list[tuple[str, int]] = []  # (path, communities)
    for d, size in enumerate(per_district):
        left, s = size, 0
        while left:
            take = left if left <= 20 else min(left - 8, geo.randint(8, 20))
            streets.append((f"/35/35{d:02d}/35{d:02d}{s:03d}/", take))
            left, s = left - take, s + 1
    paths, it = {}, iter(communities)
    for street_path, size in streets:
        for j in range(size):
            paths[next(it)] = f"{street_path}{street_path.split('/')[-2]}{j:03d}/"
    district_paths = [f"/35/35{d:02d}/" for d in range(n_districts)]
    homes = (
        [""] * city
        + [p for p, n in zip(district_paths, _share(district, per_district), strict=True) for _ in range(n)]
        + [
            p
            for (p, _s), n in zip(streets, _share(street, [s for _p, s in streets]), strict=True)
            for _ in range(n)
        ]
    )
    cadres = [PlanCadre(i, levels[i], area=homes[i] if areas else "") for i in range(n_cadres)]
    return dates, communities, cadres, unavailable, paths


def measure(plans, cadres, paths) -> dict:
    level = {c.id: c.level for c in cadres}
    load: dict[int, int] = {}
    pairs: dict[tuple[int, int], int] = {}
    mixed = teams = outside = 0
    area = {c.id: c.area for c in cadres}
    for p in plans:
        for community, team in p.teams.items():
            teams += 1
            mixed += any(level[i] in SENIOR for i in team) and any(level[i] not in SENIOR for i in team)
            for i in team:
                load[i] = load.get(i, 0) + 1
                pairs[(i, community)] = pairs.get((i, community), 0) + 1
                outside += not paths[community].startswith(area[i])
    reach = {a: sum(p.startswith(a) for p in paths.values()) for a in set(area.values())}
    loads = {c.id: load.get(c.id, 0) for c in cadres}
    return {
        "covered": sum(len(p.teams) for p in plans),
        "gaps": sum(len(p.gaps) for p in plans),
        "teams": teams,
        "mixed": mixed,
        "outside": outside,
        "loads": loads,
        "by_level": {
            lv: [loads[c.id] for c in cadres if c.level == lv] for lv in ("city", "district", "street")
        },
        "repeats": sum(n - 1 for n in pairs.values() if n > 1),
        "max_pair": max(pairs.values()),
        "bound": sum(max(0, loads[c.id] - reach[c.area]) for c in cadres),
        "bound_pair": max(math.ceil(loads[c.id] / reach[c.area]) for c in cadres if loads[c.id]),
        "greedy_rounds": sum(p.method == "greedy" for p in plans),
    }


def run(name: str, areas: bool) -> dict:
    dates, communities, cadres, unavailable, paths = instance(name, areas=areas)
    n_streets = len({p.rsplit("/", 2)[0] for p in paths.values()})
    print(
        f"\n== {name}: {len(cadres)} cadres × {len(communities)} communities × {len(dates)} rounds, "
        + (f"home areas on ({n_streets} streets)" if areas else "no home areas")
    )
    results = {}
    for method in ("greedy", "solver"):
        start, cpu = time.perf_counter(), time.process_time()
        plans = plan_campaign(
            dates=dates,
            communities=communities,
            cadres=cadres,
            unavailable=unavailable,
            paths=paths,
            method=method,
        )
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        m = results[method] = measure(plans, cadres, paths)
        spread = ", ".join(
            f"{lv} {min(v)}–{max(v)} (sd {statistics.pstdev(v):.2f})" for lv, v in m["by_level"].items() if v
        )
        print(
            f"{method:7s} {seconds:5.2f} s ({cpu:.2f} s CPU) | covered {m['covered']}/{len(dates) * len(communities)}, gaps {m['gaps']}"
            f" | mixed {m['mixed']}/{m['teams']} | outside home area {m['outside']}"
            f" | assignments {sum(m['loads'].values())} | loads {spread}"
            f" | repeats {m['repeats']}, max visits of one cadre to one community {m['max_pair']}"
            + (f" | greedy fallback in {m['greedy_rounds']} rounds" if method == "solver" else "")
        )
    g, s = results["greedy"], results["solver"]
    same = g["loads"] == s["loads"]
    print(
        f"lower bound at the solver's loads: {s['bound']} repeats, max visits per pair ≥ {s['bound_pair']}"
        f" | solver − bound = {s['repeats'] - s['bound']}"
        f" ({(s['repeats'] - s['bound']) / max(1, s['bound']):.2%}) | loads identical to the greedy's: {same}"
    )
    return results


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=sorted(SIZES))
    ap.add_argument("--no-areas", action="store_true")
    args = ap.parse_args()
    for name in [args.only] if args.only else ["large", "small"]:
        run(name, areas=not args.no_areas)


if __name__ == "__main__":
    main()
