"""Smart-dispatch evaluation on the public message-board data (../shared/data/public-messages).

    .venv/bin/python bench/dispatch_eval.py                  # CV, speed, memory, hotspots
    .venv/bin/python bench/dispatch_eval.py --cv-only        # classification CV only
    .venv/bin/python bench/dispatch_eval.py --save-model m.npz   # train on everything, write a model file
    .venv/bin/linli classify --csv other.csv --model m.npz

Classification: 5-fold stratified CV (seed 0) on labelled.csv, top level. The
baseline is character 1–2-gram TF-IDF + LinearSVC on title + body, trained on
the same folds. "ours" is ``linli.dispatch.classifier.train`` on the fold's
training rows plus the starter corpus shipped in the package. The test fold
never reaches training. The public data is only read, never copied.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()  # dates are read on the installation's calendar (TIME_ZONE)

DATA = Path(os.environ.get("LINLI_PUBLIC_MESSAGES", ROOT.parent / "shared" / "data" / "public-messages"))


def load(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def labelled_samples(rows, idx, weight=1.0):
    from linli.dispatch.classifier import Sample

    return [
        Sample(
            text=rows[i]["body"],
            title=rows[i]["title"],
            path=rows[i]["level1"],
            weight=weight,
            source="labelled",
        )
        for i in idx
    ]


CROSSWALK = ROOT / "bench" / "data" / "public_crosswalk.csv"


def crosswalk_table(classes) -> dict[str, str]:
    """The evaluation's crosswalk: the starter corpus's reference paths -> the public data's classes.

    The benchmark is an installation whose tree is the public board's level 1; the corpus reaches it the
    way it reaches any installation, through ``linli.dispatch.corpus.crosswalked`` (unmapped labels dropped).
    """
    with CROSSWALK.open(encoding="utf-8", newline="") as handle:
        table = {r["reference_path"]: r["category"] for r in csv.DictReader(handle)}
    return {k: v for k, v in table.items() if v.split("/")[0] in classes}


def corpus_for(classes):
    from linli.dispatch.corpus import crosswalked, starter_samples

    return crosswalked(starter_samples(), crosswalk_table(classes))


def cross_validate(rows, folds=5, seed=0):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import LinearSVC

    from linli.dispatch.classifier import train

    y = np.array([r["level1"] for r in rows])
    classes = sorted(set(y))
    corpus = corpus_for(classes)
    raw = [f"{r['title']} {r['body']}" for r in rows]
    pred = {
        "baseline": np.empty(len(y), dtype=object),
        "ours": np.empty(len(y), dtype=object),
        "corpus only": np.empty(len(y), dtype=object),
    }
    abstained = np.zeros(len(y), dtype=bool)
    confidence = np.zeros(len(y))
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=seed).split(raw, y):
        vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 2))
        svc = LinearSVC().fit(vec.fit_transform([raw[i] for i in train_idx]), y[train_idx])
        pred["baseline"][test_idx] = svc.predict(vec.transform([raw[i] for i in test_idx]))
        model = train(corpus + labelled_samples(rows, train_idx))
        out = model.predict([(rows[i]["title"], rows[i]["body"]) for i in test_idx])
        pred["ours"][test_idx] = [p.level1 for p in out]
        abstained[test_idx] = [p.abstained for p in out]
        confidence[test_idx] = [p.confidence for p in out]
    only = train(corpus).predict([(r["title"], r["body"]) for r in rows])
    pred["corpus only"][:] = [p.level1 for p in only]
    print(
        f"## Classification: {folds}-fold CV on labelled.csv ({len(rows)} messages, {len(classes)} classes)"
    )
    for name, p in pred.items():
        print(
            f"{name:12s} accuracy {accuracy_score(y, p):.3f}  macro-F1 {f1_score(y, p, average='macro'):.3f}"
        )
    print("per-class recall (n): " + " / ".join(pred))
    for c in classes:
        mask = y == c
        recalls = " ".join(f"{(pred[name][mask] == c).mean():.2f}" for name in pred)
        print(f"  {c:8s} ({mask.sum():3d})  {recalls}")
    ok = ~abstained
    right = pred["ours"] == y
    print(
        f"ours, answered only ({ok.mean():.0%} answered, {abstained.mean():.0%} abstained): "
        f"accuracy {right[ok].mean():.3f}"
    )
    for lo, hi in ((0.0, 0.45), (0.45, 0.7), (0.7, 0.9), (0.9, 1.01)):
        band = (confidence >= lo) & (confidence < hi)
        if band.any():
            print(
                f"  confidence {lo:.2f}–{min(hi, 1):.2f}: {band.sum():3d} messages, accuracy {right[band].mean():.3f}"
            )


def speed_and_memory(rows):
    from linli.dispatch.classifier import train

    classes = sorted({r["level1"] for r in rows})
    gc.collect()
    tracemalloc.start()
    model = train(corpus_for(classes) + labelled_samples(rows, range(len(rows))))
    gc.collect()
    tracemalloc.stop()
    import tempfile

    from linli.dispatch.modelstore import load_model_file, save_model

    with tempfile.TemporaryDirectory() as tmp:
        path = save_model(model, Path(tmp) / "m.npz", version="bench")
        size = path.stat().st_size
        del model
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        model = load_model_file(path)[1]
        loaded = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
    items = [(r["title"], r["body"]) for r in rows] * 10
    model.predict(items[:50])
    start = time.perf_counter()
    model.predict(items)
    batch = len(items) / (time.perf_counter() - start)
    short = [(t, b[:100]) for t, b in items]
    start = time.perf_counter()
    model.predict(short)
    batch_short = len(short) / (time.perf_counter() - start)
    times = []
    for title, body in items[:2000]:
        t = time.perf_counter()
        model.predict_one(title, body)
        times.append(time.perf_counter() - t)
    chars = statistics.mean(len(t) + len(b) for t, b in items)
    print("## Speed and memory (one process, one thread)")
    print(f"batch: {batch:,.0f} classifications/s over {len(items):,} texts (mean {chars:.0f} characters)")
    print(f"batch, title + first 100 characters of the body: {batch_short:,.0f} classifications/s")
    print(
        f"single: p50 {np.percentile(times, 50) * 1000:.2f} ms, p99 {np.percentile(times, 99) * 1000:.2f} ms"
    )
    print(f"model: {size / 1e6:.1f} MB file (.npz), {loaded / 1e6:.1f} MB allocated when loaded")


def hotspots(top=10):
    from linli.dispatch.csvinput import parse_when
    from linli.dispatch.hotspots import Item, find_hotspots

    rows = load("replied.csv")
    items = [
        Item(
            id=r["id"],
            text=f"{r['title']}。{r['body']}",
            title=r["title"],
            at=parse_when(r["created_at"]),
            caller=r["user"],
        )
        for r in rows
    ]
    start = time.perf_counter()
    spots = find_hotspots(items, top=top)
    elapsed = time.perf_counter() - start
    titles = {r["id"]: r["title"] for r in rows}
    print(f"## Hotspots on replied.csv ({len(rows)} messages, {elapsed:.1f} s)")
    for h in spots:
        print(
            f"{h.rank:2d}. {h.label}  [{h.size} messages, share {h.share:.2%}, repeat callers {h.repeat_callers}]"
        )
        for i in h.ids[:5]:
            print(f"      {i}: {titles[i]}")


def save_model(path: str):
    from linli.dispatch.classifier import train
    from linli.dispatch.modelstore import save_model as write

    rows = load("labelled.csv")
    classes = sorted({r["level1"] for r in rows})
    model = train(corpus_for(classes) + labelled_samples(rows, range(len(rows))))
    model.meta["trained_on"] = "labelled.csv + starter corpus"
    write(model, path, version="eval")
    print(f"wrote {path}: {model.meta['samples']} samples, classes {', '.join(model.classes)}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--save-model", metavar="PATH")
    parser.add_argument("--skip", nargs="*", default=[], choices=["cv", "speed", "hotspots"])
    parser.add_argument(
        "--cv-only", action="store_true", help="classification CV only (same as --skip speed hotspots)"
    )
    args = parser.parse_args()
    if args.cv_only:
        args.skip = sorted(set(args.skip) | {"speed", "hotspots"})
    if not (DATA / "labelled.csv").exists():
        sys.exit(f"no data at {DATA} (set LINLI_PUBLIC_MESSAGES)")
    if args.save_model:
        save_model(args.save_model)
        return
    rows = load("labelled.csv")
    if "cv" not in args.skip:
        cross_validate(rows)
    if "speed" not in args.skip:
        speed_and_memory(rows)
    if "hotspots" not in args.skip:
        hotspots()


if __name__ == "__main__":
    main()
