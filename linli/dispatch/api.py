"""Dispatch endpoints: the category tree."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from linli.dispatch.selectors import category_list

router = Router(tags=["分类 Categories"])


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    full_name: str
    level: int
    parent_id: int | None
    top_id: int | None


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
