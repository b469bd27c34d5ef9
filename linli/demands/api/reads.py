"""Reading demands: the filtered list, one demand's detail, a unit's inbox."""

from __future__ import annotations

from ninja import Query

from linli.core.errors import PermissionDenied
from linli.demands.api import present, staff_router
from linli.demands.permissions import access_demand
from linli.demands.schemas import (
    READ_ERRORS,
    DemandDetailOut,
    DemandFilterIn,
    DemandPageOut,
    ErrorOut,
    Id,
    InboxFilterIn,
    InboxOut,
)
from linli.demands.selectors import DemandFilters, demand_list, unit_inbox, unit_inbox_counts
from linli.org.permissions import is_unit_staff
from linli.org.selectors import jurisdiction_get

router = staff_router


def demand_filters(f: DemandFilterIn) -> DemandFilters:
    """The selector's filters from the query string; shared by the list and the export, so both show the same rows."""
    return DemandFilters(
        status=list(f.status),
        unit_id=f.unit,
        category_id=f.category,
        community_id=f.community,
        area_path=jurisdiction_get(jurisdiction_id=f.area).path if f.area is not None else None,
        channel=list(f.channel),
        demand_type=list(f.type),
        date_from=f.date_from,
        date_to=f.date_to,
        overdue=f.overdue,
        q=f.q,
        sort=f.sort,
    )


@router.get("/demands", response={200: DemandPageOut, **READ_ERRORS}, summary="诉求列表 / List demands")
def demands_list(request, filters: Query[DemandFilterIn]):
    """只列出当前用户可见的诉求；分页。 / Only demands the user may see; paginated."""
    f = filters
    qs = demand_list(user=request.auth, filters=demand_filters(f))
    start = (f.page - 1) * f.page_size
    return {
        "count": qs.count(),
        "page": f.page,
        "page_size": f.page_size,
        "items": [present.demand_item(request.auth, d) for d in qs[start : start + f.page_size]],
    }


@router.get(
    "/demands/{demand_id}", response={200: DemandDetailOut, **READ_ERRORS}, summary="诉求详情 / Demand detail"
)
def demand_get(request, demand_id: Id):
    """派单、时限、延期、事件时间线、回访、合并件。 / Assignments, deadlines, extensions, timeline, callbacks, duplicates."""
    return present.demand_full(request.auth, access_demand(request.auth, demand_id))


@router.get("/inbox", response={200: InboxOut, **READ_ERRORS, 403: ErrorOut}, summary="单位待办 / Unit inbox")
def inbox(request, filters: Query[InboxFilterIn]):
    """本单位的派单，按标签页。 / The user's unit's assignments, by tab."""
    user = request.auth
    if not (is_unit_staff(user) and user.unit_id):
        raise PermissionDenied(
            "只有单位工作人员有待办箱", "Only unit staff have an inbox", code="inbox.no_unit"
        )
    qs = unit_inbox(unit_id=user.unit_id, tab=filters.tab)
    counts = unit_inbox_counts(unit_id=user.unit_id)
    start = (filters.page - 1) * filters.page_size
    return {
        "unit": {"id": user.unit.pk, "name": user.unit.name},
        "tab": filters.tab,
        "counts": counts,
        "count": counts[filters.tab] if filters.tab in counts else qs.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [present.inbox_item(a) for a in qs[start : start + filters.page_size]],
    }
