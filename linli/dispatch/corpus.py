"""The starter corpus: short resident complaints written for this project, one per line with its category path.

It gives a new deployment a working classifier before it has finished
demands of its own. The sentences are original; no public message data is
shipped.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from linli.dispatch.classifier import Sample

CORPUS_PATH = Path(__file__).parent / "data" / "starter_corpus.csv"


@lru_cache(maxsize=1)
def starter_samples() -> tuple[Sample, ...]:
    with CORPUS_PATH.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Sample(text=row["text"].strip(), path=row["path"].strip(), source="corpus")
            for row in csv.DictReader(handle)
            if row.get("text") and row.get("path")
        )
