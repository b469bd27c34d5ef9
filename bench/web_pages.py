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
    # unit 城管 (the busiest: ~114 k assignments at 1 M demands)
    ("inbox to sign (handler)", "/inbox/", "cg_handler"),
    ("inbox overdue tab (handler)", "/inbox/?tab=overdue", "cg_handler"),
    ("approvals (supervisor)", "/approvals/", "cg_boss"),
    ("dispatch queue (dispatcher)", "/queue/", "dispatcher1"),
    ("demand list (dispatcher)", "/demands/", "dispatcher1"),
    (
        "demand list, one community, overdue (dispatcher)",
        "/demands/?community={community}&overdue=yes",
        "dispatcher1",
    ),
    ("demand list, keyword search (dispatcher)", "/demands/?q=%E8%B7%AF%E7%81%AF", "dispatcher1"),
    # a two-character term that (almost) no demand has: the list must not scan the table to find out
    ("demand list, keyword search, rare term (dispatcher)", "/demands/?q=%E5%86%B0%E9%9B%B9", "dispatcher1"),
    ("demand page, closed with callback (agent)", "/demands/{closed}/", "agent01"),
    ("demand page, in progress (handler)", "/demands/{open_for_cg}/", "cg_handler"),
]


def placeholders() -> dict[str, int]:
    """Ids the page URLs need: a closed demand, an open one of 城管, a community with demands."""
    from linli.demands.selectors import DemandFilters, demand_list
    from linli.org.selectors import staff_list

    admin = staff_list().filter(role="admin").first()
    closed = demand_list(user=admin, filters=DemandFilters(status=["closed"], sort="-registered_at")).first()
    handler = staff_list().filter(username="cg_handler").first()
    mine = demand_list(user=handler, filters=DemandFilters(status=["in_progress"])).first()
    return {
        "closed": closed.pk if closed else 0,
        "open_for_cg": mine.pk if mine else 0,
        "community": closed.community_id if closed and closed.community_id else 0,
    }


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

    if "testserver" not in settings.ALLOWED_HOSTS:  # the test client's host
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
    run(runs=args.runs)


def run(*, runs: int = 20) -> list[dict]:
    """Time every page of ``PAGES`` on the current database (one result per page that answered 200)."""
    ids = placeholders()
    return time_pages([(label, url.format(**ids), user) for label, url, user in PAGES], runs=runs)


if __name__ == "__main__":
    main()
