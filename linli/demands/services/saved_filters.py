"""A person's saved filters of the demand list: save (same name replaces), delete; never anyone else's."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.db import transaction

from linli.core import clock
from linli.core.errors import NotFound, ValidationFailed
from linli.core.text import clean_text
from linli.demands.models import SavedFilter

MAX_SAVED = 20
# Only the list's own filter parameters are kept; paging and anything else is dropped.
KEYS = {
    "q",
    "status",
    "unit",
    "category",
    "community",
    "channel",
    "date_from",
    "date_to",
    "overdue",
    "sort",
    "ids",
}


class SavedFilterInvalid(ValidationFailed):
    code = "demand.saved_filter_invalid"
    message_zh = "请填写筛选名称（最多 40 字）"
    message_en = "Give the filter a name (at most 40 characters)"


class TooManySavedFilters(ValidationFailed):
    code = "demand.saved_filter_too_many"
    message_zh = "最多保存 20 个常用筛选，请先删除不用的"
    message_en = "At most 20 saved filters; delete one you no longer use first"


def _clean_query(query: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(query or "", keep_blank_values=False) if k in KEYS and v]
    return urlencode(pairs)


@transaction.atomic
def saved_filter_save(*, user, name: str, query: str) -> SavedFilter:
    name = clean_text(name or "")
    if not name or len(name) > 40:
        raise SavedFilterInvalid(details={"name": name[:60]})
    query = _clean_query(query)
    existing = SavedFilter.objects.select_for_update().filter(user=user, name=name).first()
    if existing is not None:
        existing.query = query
        existing.save(update_fields=["query"])
        return existing
    if SavedFilter.objects.filter(user=user).count() >= MAX_SAVED:
        raise TooManySavedFilters(details={"max": MAX_SAVED})
    return SavedFilter.objects.create(user=user, name=name, query=query, created_at=clock.now())


def saved_filter_delete(*, user, filter_id: int) -> None:
    deleted, _rows = SavedFilter.objects.filter(pk=filter_id, user=user).delete()
    if not deleted:
        raise NotFound(details={"saved_filter": filter_id})
