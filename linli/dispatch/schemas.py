"""The dispatch app's API schemas, and the suggestion as the API shows it.

Here rather than in ``api.py`` because the demands API shows the same suggestion (``SuggestOut`` inside a
demand, ``suggestion_out``): it imports these, never the dispatch endpoints.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    full_name: str
    level: int
    parent_id: int | None
    top_id: int | None


class DispatchErrorOut(Schema):
    code: str
    message: str
    message_en: str
    details: dict[str, Any] | None = None


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


def _no_bad_characters(value: str) -> str:
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("contains a NUL or an unpaired surrogate character")
    return value


SuggestText = Annotated[
    str, StringConstraints(min_length=1, max_length=5000), AfterValidator(_no_bad_characters)
]
SuggestTitle = Annotated[str, StringConstraints(max_length=120), AfterValidator(_no_bad_characters)]


class SuggestIn(Schema):
    text: SuggestText = Field(description="诉求内容 / The demand text")
    title: SuggestTitle = ""
    community: int | None = Field(None, ge=1, le=2**53, description="社区/村 id / Community or village id")
    exclude_demand: int | None = Field(
        None, ge=1, le=2**53, description="不列出的诉求（正在看的这件） / A demand to leave out"
    )


class CategoryGuessOut(Schema):
    category_id: int | None = Field(
        description="本系统中的分类 id；分类树中没有时为空 / null if not in this tree"
    )
    name: str
    confidence: float


class SimilarOut(Schema):
    demand_id: int
    code: str
    excerpt: str
    similarity: float = Field(description="文本相似度 0–1（MinHash 估计的 Jaccard） / Estimated Jaccard 0–1")


class SuggestCategoryOut(Schema):
    id: int
    full_name: str


class SuggestOut(Schema):
    top3: list[CategoryGuessOut]
    abstained: bool = Field(description="置信度不足，请派单员选择 / Not confident: the dispatcher chooses")
    category: SuggestCategoryOut | None
    confidence: float
    lead_unit: RouteUnitOut | None
    assisting_units: list[RouteUnitOut]
    similar: list[SimilarOut] = Field(
        description="同一地点同一问题的未办结诉求 / Open demands on the same issue here"
    )
    junk: bool = Field(description="疑似广告、灌水或辱骂，待人工复核 / Looks like advertising, spam or abuse")
    junk_reason: str
    model_version: str
    why: str = Field(
        "",
        description="为何没有建议分类：low_confidence（最高置信度低于 threshold）、little_text、not_in_tree、"
        "model_missing、model_broken；有建议时为空 / Why there is no category; empty when there is one",
    )
    threshold: float = Field(
        0.0, description="低于此置信度不给建议 / Below this confidence no category is given"
    )


def suggestion_out(s) -> dict:
    """A ``DispatchSuggestion`` as the API shows it (``SuggestOut``)."""
    return {
        "top3": [{"category_id": c, "name": n, "confidence": p} for c, n, p in s.top3],
        "abstained": s.abstained,
        "category": {"id": s.category_id, "full_name": s.category_name} if s.category_id else None,
        "confidence": s.confidence,
        "lead_unit": {"id": s.lead_unit_id, "name": s.lead_unit_name} if s.lead_unit_id else None,
        "assisting_units": [{"id": u, "name": n} for u, n in s.assisting],
        "similar": [{"demand_id": d, "code": c, "excerpt": e, "similarity": x} for d, c, e, x in s.similar],
        "junk": s.junk,
        "junk_reason": s.junk_reason,
        "model_version": s.model_version,
        "why": s.why,
        "threshold": s.threshold,
    }
