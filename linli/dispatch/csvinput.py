"""Reading the evaluation CSV files (``id,title,body,created_at[,likes]``) for the dispatch commands."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from linli.core.daterange import in_range

_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d",
    "%Y-%m-%d",
)


@dataclass(frozen=True)
class Row:
    id: str
    title: str
    body: str
    created_at: dt.datetime | None
    user: str = ""
    likes: int = 0


def parse_when(value: str) -> dt.datetime | None:
    """The time written, or None when unreadable or outside 1990 … today + 1 year (treated as unknown)."""
    value = (value or "").strip()
    moment = None
    for fmt in _FORMATS:
        try:
            moment = dt.datetime.strptime(value, fmt)  # noqa: DTZ007 local wall-clock text, compared only with its own rows
            break
        except ValueError:
            continue
    if moment is None:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return moment if in_range(moment) else None


def read_rows(path: str | Path) -> Iterator[Row]:
    """Rows of a UTF-8 (with or without BOM) or GBK CSV; missing columns read as empty."""
    raw = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover
        text = raw.decode("utf-8", errors="replace")
    for number, rec in enumerate(csv.DictReader(io.StringIO(text, newline="")), start=1):
        rec = {(k or "").strip().lower(): (v or "") for k, v in rec.items()}
        likes = rec.get("likes", "").strip()
        yield Row(
            id=rec.get("id", "").strip() or str(number),
            title=rec.get("title", "").strip(),
            body=rec.get("body", "").strip(),
            created_at=parse_when(rec.get("created_at", "")),
            user=rec.get("user", "").strip(),
            likes=int(likes) if likes.lstrip("-").isdigit() else 0,
        )
