"""Reads of the dispatch app."""

from __future__ import annotations

from django.db.models import QuerySet

from linli.dispatch.errors import UnknownCategory
from linli.dispatch.models import Category, DispatchRule
from linli.dispatch.types import DispatchSuggestion
from linli.org.selectors import jurisdiction_ancestors


def category_get(
    *, category_id: int | None = None, code: str | None = None, full_name: str | None = None
) -> Category:
    qs = Category.objects.select_related("top")
    if category_id is not None:
        row = qs.filter(pk=category_id).first()
    elif code:
        row = qs.filter(code=code).first()
    else:
        row = qs.filter(full_name=full_name).first() if full_name else None
    if row is None:
        raise UnknownCategory(details={"category": category_id or code or full_name})
    return row


def category_list(*, level: int | None = None) -> QuerySet[Category]:
    qs = Category.objects.all()
    return qs.filter(level=level) if level else qs


def category_ancestor_ids(category: Category) -> list[int]:
    ids, node = [], category
    while node is not None:
        ids.append(node.pk)
        node = node.parent
    return ids


def route_unit(*, category: Category, community) -> int | None:
    """The unit the dispatch catalogue names for this category and place, or None.

    The deepest matching category wins; among its lines, the smallest area.
    """
    cat_ids = category_ancestor_ids(category)
    areas = [j.pk for j in jurisdiction_ancestors(jurisdiction=community)] if community else []
    rules = list(
        DispatchRule.objects.filter(category_id__in=cat_ids, unit__is_active=True).values_list(
            "category_id", "jurisdiction_id", "unit_id"
        )
    )
    best: tuple[int, int] | None = None
    unit_id = None
    for cat_id, area_id, rule_unit in rules:
        if area_id is not None and area_id not in areas:
            continue
        rank = (cat_ids.index(cat_id), areas.index(area_id) if area_id is not None else len(areas))
        if best is None or rank < best:
            best, unit_id = rank, rule_unit
    return unit_id


def dispatch_suggest(
    *, text: str, jurisdiction_id: int | None, exclude_demand_id: int | None = None
) -> DispatchSuggestion:
    """Category, units, similar open demands and the junk flag for a text at a place (a community id).

    Stable signature for pages and the API; see ``linli.dispatch.types.DispatchSuggestion``.
    """
    return DispatchSuggestion()
