"""Dispatch endpoints: the category tree, the catalogue's suggested unit, and the smart-dispatch suggestion."""

from __future__ import annotations

from ninja import Query, Router

from linli.dispatch.schemas import (
    CategoryFilter,
    CategoryOut,
    DispatchErrorOut,
    RouteIn,
    RouteOut,
    SuggestIn,
    SuggestOut,
    suggestion_out,
)
from linli.dispatch.selectors import category_get, category_list, dispatch_suggest, route_unit
from linli.org.selectors import community_get, unit_get

router = Router(tags=["分类 Categories"])


def _category(c) -> dict:
    return {
        "id": c.pk,
        "code": c.code,
        "name": c.name,
        "full_name": c.full_name,
        "level": c.level,
        "parent_id": c.parent_id,
        "top_id": c.top_id,
    }


@router.get("/categories", response=list[CategoryOut], summary="诉求分类 / Demand categories")
def categories(request, filters: Query[CategoryFilter]):
    return [_category(c) for c in category_list(level=filters.level)]


@router.get("/route", response=RouteOut, summary="建议承办单位 / Suggested unit")
def route(request, filters: Query[RouteIn]):
    """按派单目录：最具体的分类优先，其次最小的区域。未知分类或社区返回 422。
    / From the dispatch catalogue: the deepest category wins, then the smallest area.
    An unknown category or community is a 422."""
    category = category_get(category_id=filters.category)
    community = community_get(community_id=filters.community) if filters.community is not None else None
    unit_id = route_unit(category=category, community=community)
    if unit_id is None:
        return {"unit": None}
    unit = unit_get(unit_id=unit_id)
    return {"unit": {"id": unit.pk, "name": unit.name}}


dispatch_router = Router(tags=["智能派单 Smart dispatch"])


@dispatch_router.post(
    "/dispatch/suggest",
    response={200: SuggestOut, frozenset({401, 422}): DispatchErrorOut},
    summary="派单建议 / Dispatch suggestion",
)
def dispatch_suggest_endpoint(request, payload: SuggestIn):
    """分类前三及置信度、主办与协办单位、同地点同问题的未办结诉求、疑似无效标记。置信度不足时 abstained 为真。
    / Top three categories with confidence, lead and assisting units, open demands on the same issue at the
    same place, and the junk flag. ``abstained`` is true when the model is not confident."""
    return suggestion_out(
        dispatch_suggest(
            text=payload.text,
            title=payload.title,
            jurisdiction_id=payload.community,
            exclude_demand_id=payload.exclude_demand,
        )
    )


router.add_router("", dispatch_router)
