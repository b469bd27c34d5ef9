"""Analytics endpoints: the figures of an area or a unit for a period, read from the rollup tables."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Query, Router, Schema

from linli.analytics.errors import BadPeriod
from linli.analytics.permissions import metrics_scope_for
from linli.analytics.selectors import metrics_compute
from linli.core.errors import NotFound
from linli.demands.schemas import ErrorOut, Id
from linli.demands.states import Channel, DemandStatus, DemandType
from linli.org.errors import UnknownJurisdiction, UnknownUnit

router = Router(tags=["统计 Metrics"])

MAX_YEARS = 3
Day = Annotated[dt.date, Field(ge=dt.date(2000, 1, 1), le=dt.date(2100, 1, 1))]


class MetricsIn(Schema):
    area: Id | None = Field(
        None, description="行政区划 id，含下级；不能与 unit 同时使用 / Jurisdiction id, with its subtree"
    )
    unit: Id | None = Field(None, description="单位 id / Unit id")
    date_from: Day = Field(description="受理日期起（含） / First registration day")
    date_to: Day = Field(description=f"受理日期止（含），最长 {MAX_YEARS} 年 / Last registration day")


class RateOut(Schema):
    value: float | None = Field(
        description="保留四位小数；分母为 0 时为空 / Four places; null when nothing counted"
    )
    numerator: int
    denominator: int
    label: str
    label_en: str
    formula: str
    formula_en: str


class RatesOut(Schema):
    response_rate: RateOut
    resolution_rate: RateOut
    satisfaction_rate: RateOut
    on_time_rate: RateOut
    first_contact_resolution_rate: RateOut
    community_level_resolution_rate: RateOut


class PeriodOut(Schema):
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")
    days: int
    cohort: str
    cohort_note: str
    cohort_note_en: str
    timezone: str


class MetricsAreaOut(Schema):
    id: int
    code: str
    name: str
    level: str


class MetricsUnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class ScopeOut(Schema):
    kind: Literal["city", "area", "unit"]
    area: MetricsAreaOut | None
    unit: MetricsUnitOut | None


class NamedCountOut(Schema):
    id: int | None = Field(description="空表示未分类/未关联社区 / Null: no category or no community")
    name: str
    count: int


class CountsOut(Schema):
    total: int
    resolved_at_intake: int
    assignments_dispatched: int
    assignments_signed: int
    by_status: dict[DemandStatus, int]
    by_category: list[NamedCountOut] = Field(description="一级分类 / Top-level categories")
    by_channel: dict[Channel, int]
    by_community: list[NamedCountOut]
    by_type: dict[DemandType, int]


class MetricsOut(Schema):
    period: PeriodOut
    scope: ScopeOut
    rates: RatesOut
    counts: CountsOut
    as_of: dt.datetime | None = Field(description="统计表最近刷新时间 / When the rollup was last refreshed")


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _check_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_from > date_to:
        raise BadPeriod(details={"from": date_from.isoformat(), "to": date_to.isoformat()})
    if date_to >= _years_later(date_from, MAX_YEARS):
        raise BadPeriod(
            f"统计期不能超过 {MAX_YEARS} 年",
            f"The period may not be longer than {MAX_YEARS} years",
            code="analytics.period_too_long",
            details={"from": date_from.isoformat(), "to": date_to.isoformat()},
        )


@router.get(
    "/metrics",
    response={200: MetricsOut, frozenset({401, 403, 404, 422}): ErrorOut},
    by_alias=True,
    summary="统计指标 / Metrics",
)
def metrics(request, filters: Query[MetricsIn]) -> Any:
    """统计期内受理的诉求的各项指标，每项带分子、分母和公式。 / The figures of the demands registered in the period,
    each with numerator, denominator and formula. Unit staff may only ask for their own unit; staff of a
    district only for areas and units inside it (404 otherwise), and get their district without area/unit."""
    f = filters
    _check_period(f.date_from, f.date_to)
    area_id, unit_id = metrics_scope_for(request.auth, area_id=f.area, unit_id=f.unit)
    try:
        return metrics_compute(area_id=area_id, unit_id=unit_id, date_from=f.date_from, date_to=f.date_to)
    except (UnknownJurisdiction, UnknownUnit) as exc:
        raise NotFound(exc.message_zh, exc.message_en, code=exc.code, details=exc.details) from exc
