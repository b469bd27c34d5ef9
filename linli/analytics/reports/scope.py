"""Who sees which scope of the dashboard, and the periods it reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from linli.analytics.errors import BadPeriod
from linli.analytics.models import month_end
from linli.core.errors import NotFound, PermissionDenied
from linli.org.permissions import is_unit_staff
from linli.org.selectors import jurisdiction_get, jurisdiction_list, jurisdiction_subtree_ids
from linli.org.states import LEVEL_DEPTH

MAX_YEARS = 3


class AreaNotVisible(NotFound):
    code = "analytics.area_not_visible"
    message_zh = "该区域不存在，或不在您的管辖范围内"
    message_en = "No such area, or it is outside your jurisdiction"


class OwnUnitOnly(PermissionDenied):
    # The same code as the metrics endpoint gives unit staff.
    code = "metrics.own_unit_only"
    message_zh = "单位工作人员只能查看本单位的统计"
    message_en = "Unit staff may only see their own unit's figures"


# --- scope --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: the whole city, an area (its communities), or one lead unit."""

    kind: str  # "city", "area" or "unit"
    area_id: int | None = None
    area_name: str = ""
    area_path: str | None = None  # None for the city root: no filter on the live table
    unit_id: int | None = None
    unit_name: str = ""
    community_ids: tuple[int, ...] | None = None  # None: no community filter

    @property
    def metrics_kwargs(self) -> dict[str, int | None]:
        return {"area_id": self.area_id, "unit_id": self.unit_id}


def _area_scope(area) -> ReportScope:
    if area.parent_id is None:  # the root of the tree is the whole city, demands without a community included
        return ReportScope(kind="area", area_id=area.pk, area_name=area.name)
    return ReportScope(
        kind="area",
        area_id=area.pk,
        area_name=area.name,
        area_path=area.path,
        community_ids=tuple(jurisdiction_subtree_ids(jurisdiction=area)),
    )


def area_scope(area) -> ReportScope:
    """The scope of one area (a jurisdiction row), with no check of who asks: for records already checked."""
    return _area_scope(area)


def report_scope_for(user, *, area_id: int | None = None) -> ReportScope:
    """The scope this user asks for: unit staff their own unit, the others their jurisdiction or an area inside it.

    An area outside the user's jurisdiction answers like one that does not
    exist (404); unit staff asking for any area get a 403.
    """
    if is_unit_staff(user):
        if area_id is not None:
            raise OwnUnitOnly(details={"area": area_id})
        return ReportScope(kind="unit", unit_id=user.unit_id, unit_name=user.unit.name if user.unit else "")
    home = jurisdiction_get(jurisdiction_id=user.jurisdiction_id) if user.jurisdiction_id else None
    if area_id is None:
        return _area_scope(home) if home else ReportScope(kind="city")
    area = jurisdiction_list().filter(pk=area_id).first()
    if area is None or (home is not None and not area.path.startswith(home.path)):
        raise AreaNotVisible(details={"area": area_id})
    return _area_scope(area)


def area_choices(user) -> list[tuple[int, str]]:
    """The areas this user may pick, in tree order, indented by level; empty for unit staff."""
    if is_unit_staff(user):
        return []
    qs = jurisdiction_list().only("id", "name", "level", "path").order_by("path")
    if user.jurisdiction_id:
        home = user.jurisdiction
        qs = qs.filter(path__startswith=home.path)
        top = LEVEL_DEPTH.get(home.level, 0)
    else:
        top = 0
    return [(j.pk, "\u3000" * max(LEVEL_DEPTH.get(j.level, 0) - top, 0) + j.name) for j in qs]


# --- periods ------------------------------------------------------------------------------------------


def check_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_from > date_to:
        raise BadPeriod(details={"from": date_from.isoformat(), "to": date_to.isoformat()})
    try:
        limit = date_from.replace(year=date_from.year + MAX_YEARS)
    except ValueError:  # 29 February
        limit = date_from.replace(year=date_from.year + MAX_YEARS, day=28)
    if date_to >= limit:
        raise BadPeriod(
            f"统计期不能超过 {MAX_YEARS} 年",
            f"The period may not be longer than {MAX_YEARS} years",
            code="analytics.period_too_long",
            details={"from": date_from.isoformat(), "to": date_to.isoformat()},
        )


def read_period(date_from: dt.date, date_to: dt.date, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """The same cohort, ending at a month's end when it reaches today, so the current month is read as one month row."""
    if date_to >= today:
        return date_from, max(date_to, month_end(today))
    return date_from, date_to
