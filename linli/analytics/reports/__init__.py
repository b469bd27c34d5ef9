"""Reads behind the dashboard: who sees which scope, the monthly trend, a ranking of units, hotspots, overdue demands.

Like ``metrics_compute``, the figures read the rollup rows only (a cohort by
registration day: see ``linli.analytics.models``): whole months from the month
rows, the days at either end of a period from the day rows. The overdue list
is the one live read: a short, indexed page of open demands.

``read_period`` widens a period that ends today to the end of the month. No
demand is registered after today, so the month row of the current month *is*
the month to date, and the default views (this year, the last twelve months)
read month rows only instead of every day row of the current month.

Modules: ``scope`` (who sees what, periods), ``rates`` (trend and unit
ranking), ``lists`` (hotspots and overdue demands; which hotspots the page
shows is the one line ``lists.HOTSPOTS``).
"""

from linli.analytics.reports.lists import (
    HOTSPOT_LIMIT,
    OVERDUE_LIMIT,
    OVERDUE_STATUSES,
    HotspotWindow,
    dispatch_hotspots,
    hotspot_list,
    hotspot_window,
    overdue_list,
    rollup_hotspots,
)
from linli.analytics.reports.rates import (
    RANKING_SORTS,
    AssignmentGrid,
    assignment_grid,
    rate_trend,
    sort_ranking,
    unit_ranking,
)
from linli.analytics.reports.scope import (
    MAX_YEARS,
    AreaNotVisible,
    OwnUnitOnly,
    ReportScope,
    area_choices,
    check_period,
    read_period,
    report_scope_for,
)

__all__ = [
    "HOTSPOT_LIMIT",
    "MAX_YEARS",
    "OVERDUE_LIMIT",
    "OVERDUE_STATUSES",
    "RANKING_SORTS",
    "AreaNotVisible",
    "AssignmentGrid",
    "HotspotWindow",
    "OwnUnitOnly",
    "ReportScope",
    "area_choices",
    "assignment_grid",
    "check_period",
    "dispatch_hotspots",
    "hotspot_list",
    "hotspot_window",
    "overdue_list",
    "rate_trend",
    "read_period",
    "report_scope_for",
    "rollup_hotspots",
    "sort_ranking",
    "unit_ranking",
]
