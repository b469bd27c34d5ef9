"""The range of dates any input may carry: 1990-01-01 to one year after today's local date.

Every entry point checks it (the JSON API centrally, forms through ``validate_sane_date``, imports and
query parameters through ``check_date``), so a date such as 0001-01-01 or 9999-12-31 is answered with
``common.date_out_of_range`` instead of overflowing in date arithmetic (a 500, or a nightly rollup that
fails on the same row forever).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation

from linli.core import clock
from linli.core.errors import ValidationFailed

MIN_DATE = dt.date(1990, 1, 1)


def max_date() -> dt.date:
    """One year after today's local date (28 February for 29 February)."""
    today = clock.today()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


class DateOutOfRange(ValidationFailed):
    code = "common.date_out_of_range"
    message_zh = "日期超出可接受的范围"
    message_en = "The date is outside the accepted range"


def _day(value: dt.date | dt.datetime) -> dt.date:
    # The date as written, in its own offset: converting 9999-12-31 23:59 UTC to local time would overflow.
    return value.date() if isinstance(value, dt.datetime) else value  # local-date: as written


def in_range(value: dt.date | dt.datetime) -> bool:
    return MIN_DATE <= _day(value) <= max_date()


def out_of_range(value: dt.date | dt.datetime, *, field: str = "") -> DateOutOfRange:
    low, high = MIN_DATE.isoformat(), max_date().isoformat()
    label = f"{field}：" if field else ""
    label_en = f"{field}: " if field else ""
    return DateOutOfRange(
        f"{label}日期 {_day(value).isoformat()} 超出可接受的范围（{low} 至 {high}）",
        f"{label_en}the date {_day(value).isoformat()} is outside the accepted range ({low} to {high})",
        details={"field": field, "value": _day(value).isoformat(), "min": low, "max": high},
    )


def check_date(value, *, field: str = ""):
    """``value`` unchanged if it is None or within the range; ``DateOutOfRange`` otherwise."""
    if value is not None and not in_range(value):
        raise out_of_range(value, field=field)
    return value


def validate_sane_date(value) -> None:
    """A Django form/model field validator with the same range and code."""
    if value is not None and not in_range(value):
        error = out_of_range(value)
        english = (translation.get_language() or "").startswith("en")
        raise ValidationError(
            f"{error.message_en if english else error.message_zh} ({error.code})", code="date_out_of_range"
        )


def find_out_of_range(value: Any, path: str = "") -> tuple[str, dt.date | dt.datetime] | None:
    """The first (path, value) of a date or datetime out of range inside parsed input, or None.

    Walks pydantic models, dicts, lists and tuples, so one check covers every schema of the API.
    """
    if isinstance(value, dt.date):
        return None if in_range(value) else (path, value)
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple | set | frozenset):
        items = enumerate(value)
    elif hasattr(value, "__pydantic_fields__") or hasattr(value, "model_fields"):
        items = ((name, getattr(value, name, None)) for name in type(value).model_fields)
    else:
        return None
    for key, item in items:
        found = find_out_of_range(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None
