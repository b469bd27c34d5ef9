"""Hotspot recall and purity on hand-labelled real issues (bench/data/hotspot_issues.csv).

    .venv/bin/python bench/hotspots_eval.py                 # all of replied.csv
    .venv/bin/python bench/hotspots_eval.py --others 300    # the labelled messages + 300 others (CI smoke size)

The messages are read from ../shared/data/public-messages/replied.csv at run
time (``LINLI_PUBLIC_MESSAGES`` to point elsewhere); the labelled file holds
only message ids and issue names. For each labelled issue: the cluster holding
most of its messages, its recall (share of the issue's messages in it) and
purity (share of the cluster that is the issue). An issue passes at recall
≥ 0.6 and purity ≥ 0.8.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("LINLI_PUBLIC_MESSAGES", ROOT.parent / "shared" / "data" / "public-messages"))
LABELS = ROOT / "bench" / "data" / "hotspot_issues.csv"
RECALL, PURITY = 0.6, 0.8


def load_labels(path: Path = LABELS) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["issue"] for row in csv.DictReader(handle)}


def load_items(others: int | None = None, seed: int = 0):
    from linli.dispatch.csvinput import read_rows
    from linli.dispatch.hotspots import Item

    labels = load_labels()
    rows = list(read_rows(str(DATA / "replied.csv")))
    if others is not None:
        rest = [r for r in rows if r.id not in labels]
        random.Random(seed).shuffle(rest)
        rows = [r for r in rows if r.id in labels] + rest[:others]
    items = [
        Item(id=r.id, text=f"{r.title}。{r.body}", title=r.title, at=r.created_at, caller=r.user)
        for r in rows
    ]
    return items, labels


def evaluate(items, labels: dict[str, str]) -> dict:
    from linli.dispatch.hotspots import find_hotspots

    started = time.perf_counter()
    spots = find_hotspots(items, top=len(items))
    elapsed = time.perf_counter() - started
    present = {it.id for it in items}
    by_issue: dict[str, set[str]] = defaultdict(set)
    for mid, issue in labels.items():
        if mid in present:
            by_issue[issue].add(mid)
    results = []
    for issue, ids in sorted(by_issue.items(), key=lambda x: (-len(x[1]), x[0])):
        best, best_hits = None, 0
        for spot in spots:
            hits = len(ids & set(spot.ids))
            if hits > best_hits:
                best, best_hits = spot, hits
        recall = best_hits / len(ids)
        purity = best_hits / best.size if best else 0.0
        results.append(
            {
                "issue": issue,
                "messages": len(ids),
                "cluster_size": best.size if best else 0,
                "rank": best.rank if best else None,
                "label": best.label if best else "",
                "recall": round(recall, 2),
                "purity": round(purity, 2),
                "ok": recall >= RECALL and purity >= PURITY,
            }
        )
    sizes = Counter(min(s.size, 10) for s in spots)
    return {
        "messages": len(items),
        "seconds": round(elapsed, 2),
        "clusters": len(spots),
        "cluster_sizes": dict(sorted(sizes.items())),
        "issues": results,
        "passed": sum(r["ok"] for r in results),
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--others", type=int, default=None, help="only the labelled messages and this many others"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", "linli.settings"
    )  # dates are checked against the local today
    import django

    django.setup()
    items, labels = load_items(args.others)
    report = evaluate(items, labels)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return report
    print(
        f"## Hotspots on {report['messages']} messages ({report['seconds']} s, {report['clusters']} clusters)\n"
    )
    print("| issue | messages | best cluster | rank | recall | purity | ok | label |")
    print("|---|---|---|---|---|---|---|---|")
    for r in report["issues"]:
        ok = "yes" if r["ok"] else "no"
        print(
            f"| {r['issue']} | {r['messages']} | {r['cluster_size']} | {r['rank']} | {r['recall']:.2f} "
            f"| {r['purity']:.2f} | {ok} | {r['label']} |"
        )
    print(
        f"\n{report['passed']} of {len(report['issues'])} issues at recall ≥ {RECALL} and purity ≥ {PURITY}"
    )
    return report


if __name__ == "__main__":
    main()
