"""Duplicate search at scale: the dispatch index filled from the generated demands, then timed queries.

    DATABASE_URL=postgres://linli:linli@127.0.0.1:5432/linli_bench .venv/bin/linli migrate
    DATABASE_URL=... .venv/bin/python bench/dispatch_duplicates.py --fill      # index every demand (once)
    DATABASE_URL=... .venv/bin/python bench/dispatch_duplicates.py --queries 500

--fill writes one ``DemandSignature`` per demand with the demand's own category's
top level as the topic (classifying a million generated texts adds nothing to
the measurement). Queries take random open demands' texts and places and time
``similar_open_demands`` (the whole search: two index scans, the MinHash
comparison, the open-status check on the demand table, the excerpts) and the
whole ``dispatch_suggest``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()

from linli.demands.training_selectors import index_rows  # noqa: E402
from linli.dispatch.models import Category, DemandSignature  # noqa: E402
from linli.dispatch.selectors import dispatch_suggest, similar_open_demands  # noqa: E402
from linli.dispatch.services import signature_from_row  # noqa: E402


def fill(batch: int = 10000) -> None:
    tops = {c.pk: c.top.name if c.top_id else c.name for c in Category.objects.select_related("top")}
    DemandSignature.objects.all().delete()
    last, done, start = 0, 0, time.perf_counter()
    while rows := index_rows(after_id=last, batch=batch):
        # the category's top level as the topic: the generator's categories are known, no classifier needed
        DemandSignature.objects.bulk_create(
            [signature_from_row(row, topic=tops.get(row[-1], "")) for row in rows], batch_size=batch
        )
        last, done = rows[-1][0], done + len(rows)
        if done % 100000 < batch:
            print(f"{done:,} indexed, {time.perf_counter() - start:.0f} s", flush=True)
    print(f"{done:,} demands indexed in {time.perf_counter() - start:.0f} s")


def queries(n: int, seed: int = 1) -> dict:
    from django.db import connection

    total = DemandSignature.objects.count()
    pool = list(
        DemandSignature.objects.filter(is_open=True, community_id__isnull=False)
        .order_by("-registered_at")
        .values_list("demand_id", "community_id", "street_id", "topic")[:20000]
    )
    random.Random(seed).shuffle(pool)
    texts = dict(
        __import__("linli.demands.models", fromlist=["Demand"])
        .Demand.objects.filter(pk__in=[p[0] for p in pool[:n]])
        .values_list("pk", "text")
    )
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    times, found = [], []
    for demand_id, community, street, topic in pool[:n]:
        start = time.perf_counter()
        hits = similar_open_demands(
            text=texts[demand_id],
            community_id=community,
            street_id=street,
            topic=topic,
            exclude_demand_id=demand_id,
        )
        times.append(time.perf_counter() - start)
        found.append(len(hits))
    full = []
    for demand_id, community, *_ in pool[: min(n, 200)]:
        start = time.perf_counter()
        dispatch_suggest(text=texts[demand_id], jurisdiction_id=community, exclude_demand_id=demand_id)
        full.append(time.perf_counter() - start)
    ms = np.array(times) * 1000
    print(f"index rows: {total:,}; queries: {len(times)} (random open demands, their own text and place)")
    print(
        f"similar_open_demands: p50 {np.percentile(ms, 50):.1f} ms, p95 {np.percentile(ms, 95):.1f} ms, "
        f"p99 {np.percentile(ms, 99):.1f} ms, max {ms.max():.1f} ms; mean hits {np.mean(found):.1f}"
    )
    fm = np.array(full) * 1000
    print(
        f"dispatch_suggest (classify + route + similar + screen): p50 {np.percentile(fm, 50):.1f} ms, "
        f"p99 {np.percentile(fm, 99):.1f} ms"
    )
    return {
        "rows": total,
        "queries": len(times),
        "mean_hits": float(np.mean(found)),
        "suggestions": len(full),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fill", action="store_true")
    parser.add_argument("--queries", type=int, default=0)
    args = parser.parse_args()
    if args.fill:
        fill()
    if args.queries:
        queries(args.queries)


if __name__ == "__main__":
    main()
