"""Fill a database with a city and a million demands for the metrics-at-scale benchmark.

The command line of ``bench/gen_demands.py``: checks the database, builds the city, loads the
batches with ``--workers`` processes, then recreates the indexes and runs the invariant queries.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import sys
import time
from collections import Counter

from .checks import invariant_checks
from .city import build_city
from .load import _JOB, IdCounters, run_batch
from .schema import BULK_TABLES, schema_drop, schema_restore, schema_snapshot
from .timing import DAY, SPAN_DAYS, FastCalendar, registration_times

SQLITE_MAX = 20_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--demands", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch", type=int, default=5000, help="demands per batch (one COPY per table)")
    parser.add_argument(
        "--workers", type=int, default=2, help="processes generating and copying batches (PostgreSQL)"
    )
    parser.add_argument(
        "--allow-sqlite",
        action="store_true",
        help=f"allow SQLite for a smoke test (at most {SQLITE_MAX:,} demands)",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="PostgreSQL: empty the org, dispatch, demand and analytics tables first",
    )
    parser.add_argument("--no-verify", action="store_true", help="skip the invariant queries at the end")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection, connections
    from django.utils import timezone

    from linli.demands.models import Demand
    from linli.org.models import Jurisdiction

    started = time.monotonic()
    vendor = connection.vendor
    if vendor == "sqlite" and not args.allow_sqlite:
        print(
            "refusing to run on SQLite: point DATABASE_URL at PostgreSQL (or pass --allow-sqlite for a smoke test)",
            file=sys.stderr,
        )
        return 2
    if vendor == "sqlite" and args.demands > SQLITE_MAX:
        print(
            f"on SQLite at most {SQLITE_MAX:,} demands (a smoke test), not {args.demands:,}", file=sys.stderr
        )
        return 2
    if vendor not in ("sqlite", "postgresql"):
        print(f"unsupported database {vendor}", file=sys.stderr)
        return 2
    if args.reset:
        if vendor != "postgresql":
            print("--reset is for PostgreSQL; on SQLite start from a new file", file=sys.stderr)
            return 2
        with connection.cursor() as cur:
            cur.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE ANY(%s) AND tablename <> %s",
                [["demands\\_%", "dispatch\\_%", "analytics\\_%", "org\\_%"], "demands_deadlinepolicy"],
            )
            tables = [r[0] for r in cur.fetchall()]
            cur.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        print(f"reset: emptied {len(tables)} tables", flush=True)
    if Demand.objects.exists() or Jurisdiction.objects.exists():
        print(
            "the database already has jurisdictions or demands: use a new database, or --reset",
            file=sys.stderr,
        )
        return 2

    rnd = random.Random(args.seed)
    tz = timezone.get_default_timezone()
    now = timezone.localtime(timezone.now(), tz)
    first = now - (SPAN_DAYS + 1) * DAY
    first_day, today = first.date(), now.date()  # local-date: first and now are local times
    cal = FastCalendar(first_day - 7 * DAY, today + 200 * DAY)
    cal.self_check(random.Random(args.seed + 1), first, now - first)
    print(
        f"{vendor} database {connection.settings_dict['NAME']}; now {now:%Y-%m-%d %H:%M %Z}; calendar checked",
        flush=True,
    )

    t = time.monotonic()
    city = build_city(rnd)
    print(
        f"city built through the services in {time.monotonic() - t:.1f}s: {json.dumps(city.summary, ensure_ascii=False)}",
        flush=True,
    )

    ctx = multiprocessing.get_context("fork")
    workers = max(1, args.workers) if vendor == "postgresql" else 1
    _JOB.update(
        city=city,
        cal=cal,
        now=now,
        seed=args.seed,
        batch=args.batch,
        counters=IdCounters(ctx),
        times=registration_times(rnd, args.demands, now, tz),
    )
    snap = None
    if vendor == "postgresql":
        with connection.cursor() as cur:
            snap = schema_snapshot(cur)
            schema_drop(cur, snap)
        print(
            f"dropped {len(snap['indexes'])} indexes, {len(snap['unique'])} unique and {len(snap['fkeys'])} foreign keys "
            f"for the load; {workers} workers",
            flush=True,
        )
    load_started = time.monotonic()
    statuses: Counter = Counter()
    totals: Counter = Counter()
    batches = range((args.demands + args.batch - 1) // args.batch)
    pool = None
    try:
        connections.close_all()  # each worker opens its own connection
        pool = ctx.Pool(workers) if workers > 1 else None
        results = pool.imap_unordered(run_batch, batches) if pool else map(run_batch, batches)
        for done, (counts, mix) in enumerate(results, start=1):
            totals.update(counts)
            statuses.update(mix)
            if done % 20 == 0 or done == len(batches):
                elapsed = time.monotonic() - load_started
                print(
                    f"  {totals['demands']:>9,} demands  {totals['event']:>11,} events  {elapsed:7.1f}s  "
                    f"{totals['demands'] / elapsed:7,.0f} demands/s  load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        if pool:
            pool.close()
            pool.join()
    finally:
        if pool:
            pool.terminate()
        if snap is not None:
            t = time.monotonic()
            schema_restore(snap, workers)
            with connection.cursor() as cur:
                if schema_snapshot(cur) != snap:
                    raise SystemExit("the recreated indexes and keys differ from the saved ones")
            print(
                f"indexes and keys recreated (every unique and foreign key checked) in {time.monotonic() - t:.1f}s",
                flush=True,
            )
    load_seconds = time.monotonic() - load_started

    if vendor == "postgresql":
        with connection.cursor() as cur:
            for table in BULK_TABLES:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(max(id), 1) FROM {table}))"
                )
            t = time.monotonic()
            cur.execute(f"VACUUM (ANALYZE) {', '.join(BULK_TABLES)}")
            cur.execute("ANALYZE")
        print(f"VACUUM ANALYZE in {time.monotonic() - t:.1f}s", flush=True)
    checks = {}
    if not args.no_verify:
        t = time.monotonic()
        checks = invariant_checks()
        print(f"invariants in {time.monotonic() - t:.1f}s (all must be 0): {checks}", flush=True)
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    cpu = sum(
        u.ru_utime + u.ru_stime for u in usage
    )  # this process and the workers; the database's own time is not in it
    print(f"status mix (%): { {k: round(v * 100 / args.demands, 2) for k, v in statuses.most_common()} }")
    print(
        json.dumps(
            {
                "bench": "gen_demands",
                "database": vendor,
                "demands": totals["demands"],
                "seed": args.seed,
                "workers": workers,
                **{f"{k}s": totals[k] for k in IdCounters.NAMES},
                "load_s": round(load_seconds, 1),
                "total_s": round(time.monotonic() - started, 1),
                "python_cpu_s": round(cpu, 1),
                "load_avg": [round(x, 2) for x in os.getloadavg()],
                "invariant_violations": sum(checks.values()) if checks else None,
            },
            ensure_ascii=False,
        )
    )
    return 1 if any(checks.values()) else 0
