"""Junk screening: spam caught, real complaints left alone.

    .venv/bin/python bench/junk_eval.py               # every real message in ../shared
    .venv/bin/python bench/junk_eval.py --real 300    # 300 of them (CI smoke size)

Positives: the spam lines in bench/data/junk_spam_written.txt (written for this
bench, invented names), each also with a full-width and a Traditional-character
variant. Negatives: the real messages of ../shared/data/public-messages
(labelled.csv and replied.csv, read at run time, never copied). Targets: at
least 90% of the spam flagged, at most 1% of the real messages.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("LINLI_PUBLIC_MESSAGES", ROOT.parent / "shared" / "data" / "public-messages"))
SPAM = ROOT / "bench" / "data" / "junk_spam_written.txt"


def spam_lines() -> list[str]:
    from linli.dispatch.text import normalize  # noqa: F401  (the module the screen uses; OpenCC below)

    lines = [
        x.strip()
        for x in SPAM.read_text(encoding="utf-8").splitlines()
        if x.strip() and not x.startswith("#")
    ]
    try:
        import opencc

        to_trad = opencc.OpenCC("s2t").convert
    except ImportError:  # pragma: no cover - a declared dependency
        to_trad = None
    full = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
    out = []
    for line in lines:
        out += [line, line.translate(full)]
        if to_trad:
            out.append(to_trad(line))
    return out


def real_messages(limit: int | None = None, seed: int = 0) -> list[tuple[str, str, str]]:
    rows = []
    for name in ("labelled.csv", "replied.csv"):
        with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
            rows += [(name, r["id"], r["title"], r["body"]) for r in csv.DictReader(handle)]
    if limit is not None:
        random.Random(seed).shuffle(rows)
        rows = rows[:limit]
    return [(f"{n}:{i}", t, b) for n, i, t, b in rows]


def evaluate(real_limit: int | None = None) -> dict:
    from linli.dispatch.screening import screen_text

    spam = spam_lines()
    real = real_messages(real_limit)
    started = time.perf_counter()
    missed = [line for line in spam if not screen_text(line).junk]
    flagged = []
    for key, title, body in real:
        result = screen_text(body, title)
        if result.junk:
            flagged.append((key, result.reason))
    elapsed = time.perf_counter() - started
    return {
        "spam": len(spam),
        "spam_flagged": round(1 - len(missed) / len(spam), 4),
        "missed": missed,
        "real": len(real),
        "real_flagged": round(len(flagged) / len(real), 4),
        "flagged": flagged,
        "reasons": dict(Counter(r.split("（")[0] for _, r in flagged)),
        "per_second": round((len(spam) + len(real)) / elapsed),
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--real", type=int, default=None, help="only this many real messages (seeded sample)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = evaluate(args.real)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return report
    print(f"spam flagged: {report['spam_flagged']:.1%} of {report['spam']} (target ≥ 90%)")
    print(f"real messages flagged: {report['real_flagged']:.2%} of {report['real']} (target ≤ 1%)")
    print(f"screened per second: {report['per_second']}")
    for line in report["missed"]:
        print("  missed:", line)
    for key, reason in report["flagged"]:
        print("  flagged:", key, reason)
    return report


if __name__ == "__main__":
    main()
