"""The starter corpus: short resident complaints written for this project, one per line with its category path.

It gives a new deployment a working classifier before it has finished
demands of its own. The sentences are original; no public message data is
shipped.

The corpus is labelled in a reference taxonomy (the public message boards'
``城乡建设/物业管理`` …), not in any installation's tree. It reaches an
installation only through that installation's crosswalk
(``CategoryCrosswalk``): ``crosswalked`` relabels each sample with the local
category the longest matching reference path names and leaves out the
samples nothing names, so a model never learns a label the installation
does not have.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from linli.dispatch.classifier import Sample

CORPUS_PATH = Path(__file__).parent / "data" / "starter_corpus.csv"


@lru_cache(maxsize=1)
def starter_samples() -> tuple[Sample, ...]:
    """The corpus in its reference labels."""
    with CORPUS_PATH.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Sample(text=row["text"].strip(), path=row["path"].strip(), source="corpus")
            for row in csv.DictReader(handle)
            if row.get("text") and row.get("path")
        )


def reference_target(path: str, table: Mapping[str, str]) -> str | None:
    """The local path the crosswalk gives a reference path: its longest prefix with a line, or None."""
    parts = [p for p in (path or "").split("/") if p]
    for depth in range(len(parts), 0, -1):
        target = table.get("/".join(parts[:depth]))
        if target:
            return target
    return None


def crosswalked(samples: Iterable[Sample], table: Mapping[str, str]) -> list[Sample]:
    """The samples relabelled into the local tree; those the crosswalk does not reach are left out."""
    out = []
    for s in samples:
        target = reference_target(s.path, table)
        if target is not None:
            out.append(replace(s, path=target))
    return out
