"""Time the metrics and the busiest pages against the database that gen_demands.py filled.

    DATABASE_URL=postgres://linli:linli@127.0.0.1:5432/linli_bench \\
        .venv/bin/python bench/scale_bench.py [--runs 10] [--skip-rollup]

Targets from the issue: the full metrics of one district over one year in
under 500 ms; the first page of a unit's inbox in under 100 ms. The first page
of the demand list is held to the inbox target too.

1. the analytics full rollup (when ``linli.analytics`` is importable), timed once;
2. ``metrics_compute`` for one district and for one unit over the last 365 days;
3. the first page (20 rows) of the busiest unit's inbox for the tabs to_sign,
   in_progress and overdue, with the badge counts (``unit_inbox_counts``), as
   the inbox endpoint runs them; then the page alone and the counts alone;
4. the first page of ``demand_list`` for the district's leader, without filters
   and with a status filter, with its total count, as the list endpoint runs
   them; then each part alone.

Each figure is one warm-up run, then the median and the maximum of ``--runs``
runs, in milliseconds, printed as one JSON line with its target and the load
average. For a figure over its target, the queries of one more run are
captured and each one's EXPLAIN (ANALYZE, BUFFERS) is printed as a JSON line
(``"bench": "explain"``). ``--explain-all`` prints them for every figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

METRICS_TARGET_MS = 300  # issue 17: at 10 M demands (it was 500 at 1 M)
INBOX_TARGET_MS = 100
LIST_TARGET_MS = 100
PAGE = 20


def emit(**fields) -> None:
    print(json.dumps(fields, ensure_ascii=False, default=str), flush=True)


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def explain(name: str, fn: Callable[[], object], *, top: int = 4) -> None:
    """Run ``fn`` once more, capturing its queries, and print EXPLAIN ANALYZE of the slowest ones."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    emit(
        bench="explain",
        figure=name,
        queries=len(queries),
        total_ms=round(sum(float(q["time"]) for q in queries) * 1000, 1),
    )
    for q in queries[:top]:
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            plan = [r[0] for r in cur.fetchall()]
        emit(
            bench="explain", figure=name, query_ms=round(float(q["time"]) * 1000, 1), sql=q["sql"], plan=plan
        )
        print("\n".join(plan), file=sys.stderr, flush=True)


def measure(
    name: str, fn: Callable[[], object], *, target_ms: float, runs: int, explain_all: bool, **info
) -> dict:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    median, worst = statistics.median(times), max(times)
    row = {
        "bench": name,
        "median_ms": round(median, 1),
        "max_ms": round(worst, 1),
        "min_ms": round(min(times), 1),
        "runs": runs,
        "target_ms": target_ms,
        "ok": median < target_ms and worst < target_ms,
        "load_avg": load(),
        **info,
    }
    emit(**row)
    if explain_all or not row["ok"]:
        explain(name, fn)
    return row


def dataset() -> dict:
    from django.db import connection

    from linli.demands.models import Demand

    info = {
        "bench": "dataset",
        "demands": Demand.objects.count(),
        "database": connection.vendor,
        "cpus": os.cpu_count(),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT relname, reltuples::bigint, pg_total_relation_size(oid) FROM pg_class WHERE relname = ANY(%s)",
                [
                    [
                        "demands_demand",
                        "demands_assignment",
                        "demands_demandevent",
                        "demands_callback",
                        "demands_extension",
                    ]
                ],
            )
            info["tables"] = {
                name: {"rows": rows, "mb": round(size / 2**20)} for name, rows, size in cur.fetchall()
            }
            cur.execute(
                "SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'server_version')"
            )
            info["settings"] = {name: f"{value}{unit or ''}" for name, value, unit in cur.fetchall()}
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--district", help="code of the district for the metrics and the list (default: the first)"
    )
    parser.add_argument(
        "--skip-rollup", action="store_true", help="do not run the full rollup first (it is already fresh)"
    )
    parser.add_argument(
        "--new",
        type=int,
        default=200,
        help="register this many demands through the service, then time the incremental rollup (0: skip)",
    )
    parser.add_argument(
        "--explain-all",
        action="store_true",
        help="print EXPLAIN ANALYZE for every figure, not only the slow ones",
    )
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from linli.demands.models import Assignment, Demand
    from linli.demands.selectors import DemandFilters, demand_list, unit_inbox, unit_inbox_counts
    from linli.demands.states import ACTIVE_ASSIGNMENT_STATUSES
    from linli.org.models import Jurisdiction, Role, User

    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the figures mean little", file=sys.stderr)
    emit(**dataset(), load_avg=load())
    if not Demand.objects.exists():
        print("no demands: run bench/gen_demands.py first", file=sys.stderr)
        return 2
    opts = {"runs": args.runs, "explain_all": args.explain_all}
    results = []

    districts = Jurisdiction.objects.filter(level="district").order_by("code")
    district = districts.get(code=args.district) if args.district else districts.first()
    today = timezone.localdate()  # local-date: a benchmark run by hand, on the real day
    year = {"date_from": today - dt.timedelta(days=364), "date_to": today}
    # The unit with the most open work: the longest inbox.
    busy = (
        Assignment.objects.filter(status__in=list(ACTIVE_ASSIGNMENT_STATUSES))
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    unit_id = busy["unit_id"]

    # (a) the full rollup, then (b) metrics from it
    try:
        from linli.analytics.selectors import metrics_compute
        from linli.analytics.services import analytics_rollup_refresh
    except ImportError as exc:
        emit(bench="rollup_full", skipped=f"linli.analytics is not importable: {exc}")
        metrics_compute = None
    if (
        metrics_compute is not None
        and "analytics_demanddaystat" not in connection.introspection.table_names()
    ):
        emit(bench="rollup_full", skipped="the analytics tables are missing: run manage.py migrate")
        metrics_compute = None
    if metrics_compute is not None:
        if not args.skip_rollup:
            t = time.perf_counter()
            done = analytics_rollup_refresh(full=True)
            emit(bench="rollup_full", seconds=round(time.perf_counter() - t, 1), result=done, load_avg=load())
            t = time.perf_counter()
            done = analytics_rollup_refresh()
            emit(
                bench="rollup_incremental_idle",
                seconds=round(time.perf_counter() - t, 2),
                result=done,
                load_avg=load(),
            )
        results.append(
            measure(
                "metrics_district_365d",
                lambda: metrics_compute(area_id=district.pk, **year),
                target_ms=METRICS_TARGET_MS,
                district=district.name,
                **year,
                **opts,
            )
        )
        results.append(
            measure(
                "metrics_unit_365d",
                lambda: metrics_compute(unit_id=unit_id, **year),
                target_ms=METRICS_TARGET_MS,
                unit_id=unit_id,
                **year,
                **opts,
            )
        )

        if args.new:
            # What the periodic job does at this size: new registrations since the last run, then one refresh.
            from linli.demands.services import demand_register

            community = Jurisdiction.objects.filter(level="community", parent__parent=district).first()
            for i in range(args.new):
                demand_register(
                    channel="hotline",
                    demand_type="complaint",
                    text=f"压测新登记第{i}件：小区门口路灯不亮，晚上出行不便。",
                    community_id=community.pk,
                    phone=f"1390000{i:04d}",
                )
            t = time.perf_counter()
            done = analytics_rollup_refresh()
            emit(
                bench="rollup_incremental_after_new",
                new_demands=args.new,
                seconds=round(time.perf_counter() - t, 2),
                result=done,
                load_avg=load(),
            )

    # (c) the inbox of the busiest unit: a tab's first page with the badge counts (what GET /inbox runs), then each part
    counts = unit_inbox_counts(unit_id=unit_id)
    for tab in ("to_sign", "in_progress", "overdue"):

        def page(tab=tab):
            return list(unit_inbox(unit_id=unit_id, tab=tab)[:PAGE])

        results.append(
            measure(
                f"inbox_{tab}",
                lambda page=page: (page(), unit_inbox_counts(unit_id=unit_id)),
                target_ms=INBOX_TARGET_MS,
                unit_id=unit_id,
                tab_count=counts[tab],
                **opts,
            )
        )
        results.append(
            measure(f"inbox_{tab}_page_only", page, target_ms=INBOX_TARGET_MS, unit_id=unit_id, **opts)
        )
    results.append(
        measure(
            "inbox_badge_counts_only",
            lambda: unit_inbox_counts(unit_id=unit_id),
            target_ms=INBOX_TARGET_MS,
            unit_id=unit_id,
            counts=counts,
            **opts,
        )
    )

    # (d) the demand list of the district's leader: first page with the total (what GET /demands runs), then each part
    leader = User.objects.filter(role=Role.LEADER, jurisdiction=district).first()
    for label, filters in (
        ("all", DemandFilters()),
        ("status_in_progress", DemandFilters(status=["in_progress"])),
    ):

        def rows(f=filters):
            return list(demand_list(user=leader, filters=f)[:PAGE])

        def total(f=filters):
            return demand_list(user=leader, filters=f).count()

        info = {"leader": leader.username, "total": total(), **opts}
        results.append(
            measure(
                f"list_{label}",
                lambda rows=rows, total=total: (rows(), total()),
                target_ms=LIST_TARGET_MS,
                **info,
            )
        )
        results.append(measure(f"list_{label}_page_only", rows, target_ms=LIST_TARGET_MS, **info))
        results.append(measure(f"list_{label}_count_only", total, target_ms=LIST_TARGET_MS, **info))
    emit(
        bench="summary",
        all_ok=all(r["ok"] for r in results),
        missed=[r["bench"] for r in results if not r["ok"]],
        district_demands=Demand.objects.filter(area_path__startswith=district.path).count(),
        busy_unit_open=busy["n"],
        unit_lead_demands=Demand.objects.filter(lead_unit_id=unit_id).count(),
        load_avg=load(),
    )
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
