"""Server time of staff pages against the database that gen_demands.py filled, through the Django test client.

    DATABASE_URL=postgres://linli:linli@127.0.0.1:5432/linli_bench \\
        .venv/bin/python bench/web_pages.py [--runs 20]

Each page is requested once to warm up, then ``--runs`` times; the median and
the 95th percentile of the time from request to complete response (view,
queries, template) are printed as one JSON line per page, with the number of
queries of the last run and the target (200 ms, issue 3). The client signs in
with ``force_login``: no password hashing is timed. Add pages to ``PAGES``.

The dashboard of the city and of a district needs two indexes that are not
in the migrations yet (asked for in the dashboard's hand-over): without them
its overdue list sorts every open overdue demand (about 90,000 in the bench
data) and the unit ranking and hotspots scan the month rollup.

    Demand:          Index(fields=["finish_due"], include=["area_path"],
                           condition=Q(is_overdue=True, status__in=["dispatched", "in_progress", "returned"]),
                           name="demand_overdue_open")
    DemandMonthStat: Index(fields=["scope", "dimension", "month"], name="demand_month_stat_dim_month")
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

TARGET_MS = 200

# (label, url, username)
PAGES: list[tuple[str, str, str]] = [
    ("dashboard city (coordination office)", "/dashboard/", "coord"),
    ("dashboard district (leader)", "/dashboard/", "leader_350902"),
    ("dashboard unit (handler)", "/dashboard/", "cg_handler"),
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def time_pages(pages: list[tuple[str, str, str]], *, runs: int = 20) -> list[dict]:
    """GET each (label, url, username) ``runs`` times after one warm-up; returns and prints a result per page."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from linli.org.selectors import staff_list

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    results = []
    for label, url, username in pages:
        user = staff_list().filter(username=username).first()
        if user is None:
            print(json.dumps({"page": label, "error": f"no staff member {username}"}, ensure_ascii=False))
            continue
        client = Client()
        client.force_login(user)
        warm = client.get(url)
        if warm.status_code != 200:
            print(json.dumps({"page": label, "url": url, "status": warm.status_code}, ensure_ascii=False))
            continue
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            if not getattr(response, "streaming", False):
                _ = response.content
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        result = {
            "page": label,
            "url": url,
            "user": username,
            "runs": runs,
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1),
            "queries": len(ctx.captured_queries),
            "target_ms": TARGET_MS,
            "load": [round(x, 2) for x in os.getloadavg()],
        }
        print(json.dumps(result, ensure_ascii=False), flush=True)
        results.append(result)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    import django

    django.setup()
    time_pages(PAGES, runs=args.runs)


if __name__ == "__main__":
    main()
