"""The access gate's matcher on a hand-labelled set: share routed correctly, and requests per second.

    .venv/bin/python bench/access_match.py [--repeat 20]

The catalogue is the demo's first version (linli/demo/data/access_catalogue.csv,
110 items: 40 duty, 60 assisting, 10 negative). The 50 requests in
bench/data/access_requests.csv were written in other words than the catalogue
and than the tuning examples in linli/access/tests/test_matching.py, each
labelled admitted / refused / approval. No database: the matcher is pure Python.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()  # the matcher's messages are translatable strings

from linli.access.matching import ADMIT_AT, REFUSE_AT, Matcher  # noqa: E402

OUTCOME = {"admitted": "admitted", "refused": "refused", "pending": "approval"}


def load_catalogue() -> Matcher:
    with open(ROOT / "linli/demo/data/access_catalogue.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    items = [
        {
            "id": i,
            "code": r["code"],
            "name": r["name"],
            "kind": r["kind"],
            "keywords": r["keywords"],
            "description": r["method"],
            "applies_to": r["applies_to"],
        }
        for i, r in enumerate(rows, 1)
    ]
    return Matcher(items)


def evaluate(repeat: int = 20, verbose: bool = False) -> dict:
    """Route the labelled requests: the confusion (labelled, routed) → count, and matches per second."""
    matcher = load_catalogue()
    with open(Path(__file__).parent / "data/access_requests.csv", encoding="utf-8") as fh:
        labelled = list(csv.DictReader(fh))
    confusion: Counter[tuple[str, str]] = Counter()
    for r in labelled:
        m = matcher.match(title=r["title"], content=r["content"])
        got = OUTCOME[m.outcome]
        confusion[(r["label"], got)] += 1
        if verbose and got != r["label"]:
            print(
                f"  {r['label']:>8} → {got:<8} {m.score:.2f} {m.explanation.get('item_name', '')} | {r['title']}"
            )
    started = time.perf_counter()
    for _ in range(repeat):
        for r in labelled:
            matcher.match(title=r["title"], content=r["content"])
    elapsed = time.perf_counter() - started
    return {
        "items": len(matcher.entries),
        "total": len(labelled),
        "right": sum(n for (want, got), n in confusion.items() if want == got),
        "confusion": confusion,
        "matches": repeat * len(labelled),
        "per_second": repeat * len(labelled) / elapsed if elapsed else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    result = evaluate(args.repeat, args.verbose)
    right, total, confusion = result["right"], result["total"], result["confusion"]
    print(f"thresholds: admit ≥ {ADMIT_AT}, refuse ≥ {REFUSE_AT}; catalogue {result['items']} items")
    print(f"routed correctly: {right}/{total} = {right / total:.0%}")
    labels = ["admitted", "refused", "approval"]
    print("labelled \\ routed  " + "  ".join(f"{x:>8}" for x in labels))
    for want in labels:
        print(f"{want:>16}  " + "  ".join(f"{confusion[(want, got)]:>8}" for got in labels))
    print(f"speed: {result['per_second']:,.0f} requests/s ({result['matches']} matches)")


if __name__ == "__main__":
    main()
