"""Dispatch endpoints: the category tree and the catalogue's suggested unit."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from linli.dispatch.selectors import category_get, category_list, route_unit
from linli.org.selectors import community_get, unit_get

router = Router(tags=["分类 Categories"])


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    full_name: str
    level: int
    parent_id: int | None
    top_id: int | None


class RouteIn(Schema):
    category: int = Field(..., ge=1, le=2**53, description="诉求分类 id / Category id")
    community: int | None = Field(
        None, ge=1, le=2**53, description="社区/村 id；空则只看不限区域的目录行 / Community or village id"
    )


class RouteUnitOut(Schema):
    id: int
    name: str


class RouteOut(Schema):
    unit: RouteUnitOut | None = Field(
        description="派单目录建议的主办单位；无匹配时为空 / The suggested lead unit, or null"
    )


class CategoryFilter(Schema):
    level: int | None = Field(None, ge=1, le=3, description="1–3 级 / level 1 to 3")


@router.get("/categories", response=list[CategoryOut], summary="诉求分类 / Demand categories")
def categories(request, filters: Query[CategoryFilter]):
    return [
        {
            "id": c.pk,
            "code": c.code,
            "name": c.name,
            "full_name": c.full_name,
            "level": c.level,
            "parent_id": c.parent_id,
            "top_id": c.top_id,
        }
        for c in category_list(level=filters.level)
    ]


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
