"""The demo's data files (``linli/demo/data/*.csv``), read as rows of text."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_text(name: str) -> str:
    return (DATA_DIR / name).read_text(encoding="utf-8")


@cache
def read_rows(name: str) -> tuple[dict[str, str], ...]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as stream:
        return tuple({k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(stream))


@dataclass(frozen=True)
class Template:
    """One sentence a resident might say, with slots ``{place}`` … and inline choices ``[a|b]``."""

    category: str
    demand_type: str
    urgency: str
    text: str
    answer: str
    hotspot: bool


@cache
def templates() -> tuple[Template, ...]:
    return tuple(
        Template(
            r["category"], r["type"], r["urgency"] or "normal", r["text"], r["answer"], r["hotspot"] == "1"
        )
        for r in read_rows("templates.csv")
    )


@cache
def replies() -> dict[tuple[str, str], tuple[str, ...]]:
    """(category path, phase) -> reply texts; phase is "", "before" or "after" a joint meeting."""
    out: dict[tuple[str, str], list[str]] = {}
    for r in read_rows("replies.csv"):
        out.setdefault((r["category"], r["phase"]), []).append(r["text"])
    return {k: tuple(v) for k, v in out.items()}
