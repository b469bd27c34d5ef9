"""The dashboard of the coordination office and the leaders (every signed-in staff member sees their own scope).

One view: the page, and with ``?download=<table>&format=csv|xlsx`` any of its
tables as a file, for the same filters. Figures come from the rollup tables
(``metrics_compute`` and ``linli.analytics.reports``); the overdue list is a
short page of the live demand table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from linli.analytics.errors import BadPeriod
from linli.analytics.reports import (
    HOTSPOT_LIMIT,
    AreaNotVisible,
    ReportScope,
    area_choices,
    assignment_grid,
    check_period,
    hotspot_list,
    overdue_list,
    rate_trend,
    read_period,
    report_scope_for,
    unit_ranking,
)
from linli.analytics.reports.hot_issues import hot_issues
from linli.analytics.selectors import metrics_compute
from linli.analytics.views.dashboard_tables import Column, Table, format_pct, table_download
from linli.core import clock
from linli.core.daterange import DateOutOfRange, check_date
from linli.core.errors import NotFound
from linli.core.hant import to_traditional
from linli.demands.states import Channel
from linli.org.states import Role
from linli.ui.middleware import error_message
from linli.ui.pages import staff_page

FORMATS = ("csv", "xlsx")
COMMUNITY_CHART_TOP = 15
HOT_DAYS = 90

# who may open the hotspot page (the dashboard links its hot issues there only for them)
HOTSPOT_ROLES = (Role.DISPATCHER, Role.COORDINATION_OFFICE, Role.LEADER, Role.ADMIN)


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date
    trend_from: dt.date
    trend_to: dt.date
    custom: bool


def _parse_day(raw: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise BadPeriod(
            "日期格式有误，请按“年-月-日”填写，例如 2026-01-31",
            "The date is not valid; write it as year-month-day, e.g. 2026-01-31",
            details={name: raw[:40]},
        ) from None
    return check_date(day, field=name)  # 1990 … today + 1 year, as everywhere


def period_from(params, today: dt.date) -> Period:
    """The figures' period and the trend's: by default this year to date and the last twelve months; one period when given."""
    raw_from, raw_to = (params.get("from") or "").strip(), (params.get("to") or "").strip()
    if raw_from or raw_to:
        date_to = _parse_day(raw_to, "to") if raw_to else today
        date_from = _parse_day(raw_from, "from") if raw_from else date_to.replace(month=1, day=1)
        check_period(date_from, date_to)
        return Period(date_from, date_to, date_from, date_to, custom=True)
    first = today.replace(day=1)
    trend_from = (
        first.replace(year=first.year - 1, month=first.month + 1)
        if first.month < 12
        else first.replace(month=1)
    )
    return Period(today.replace(month=1, day=1), today, trend_from, today, custom=False)


def _area_param(params) -> int | None:
    raw = (params.get("area") or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise AreaNotVisible(details={"area": raw[:40]})
    return int(raw)


def _query(params, **changes) -> str:
    """The page's query string with ``changes`` applied (None removes a key)."""
    values = {k: v for k, v in params.items() if k not in ("download", "format")}
    for k, v in changes.items():
        if v is None:
            values.pop(k, None)
        else:
            values[k] = v
    return "?" + urlencode(values)


# --- tables -------------------------------------------------------------------------------------------


def _rate_columns(rates: dict[str, dict[str, Any]], english: bool) -> list[Column]:
    """The figures' names and formulas in the reader's language (繁體 derived from the Simplified text)."""
    language = (get_language() or "").lower()
    hant = language in ("zh-hant", "zh-tw", "zh-hk")

    def zh(text: str) -> str:
        return to_traditional(text) if hant else text

    return [
        Column(
            key,
            r["label_en"] if english else zh(r["label"]),
            "rate",
            title=r["formula_en"] if english else zh(r["formula"]),
        )
        for key, r in rates.items()
    ]


def _count_table(key: str, title: str, label: str, items: list[tuple[str, int]], total: int) -> Table:
    rows = [
        {"name": name, "count": n, "share": (round(n / total, 4) if total else None)} for name, n in items
    ]
    return Table(
        key,
        title,
        [Column("name", label), Column("count", _("诉求数"), "int"), Column("share", _("占比"), "pct")],
        rows,
    )


def build_tables(
    *, user, scope: ReportScope, period: Period, sort: str, today: dt.date, params
) -> dict[str, Any]:
    english = (get_language() or "").startswith("en")
    read_from, read_to = read_period(period.date_from, period.date_to, today=today)
    metrics = metrics_compute(**scope.metrics_kwargs, date_from=read_from, date_to=read_to)
    rates = metrics["rates"]
    rate_cols = _rate_columns(rates, english)
    counts = metrics["counts"]
    total = counts["total"]
    tables: dict[str, Table] = {}

    tables["kpis"] = Table(
        "kpis",
        _("六项指标"),
        [
            Column("label", _("指标")),
            Column("value", _("比率"), "pct"),
            Column("numerator", _("分子"), "int"),
            Column("denominator", _("分母"), "int"),
            Column("formula", _("计算口径")),
        ],
        [
            {
                "key": c.key,
                "label": c.label,
                "value": rates[c.key]["value"],
                "numerator": rates[c.key]["numerator"],
                "denominator": rates[c.key]["denominator"],
                "formula": c.title,
            }
            for c in rate_cols
        ],
    )

    trend_from, trend_to = read_period(period.trend_from, period.trend_to, today=today)
    grid = assignment_grid(scope=scope, date_from=trend_from, date_to=trend_to)
    trend = rate_trend(scope=scope, date_from=trend_from, date_to=trend_to, assignments=grid)
    tables["trend"] = Table(
        "trend",
        _("月度趋势"),
        [Column("month", _("月份")), Column("demands", _("诉求数"), "int"), *rate_cols],
        [{"month": f"{m['month']:%Y-%m}", "demands": m["demands"], **m["rates"]} for m in trend],
    )

    categories = [(row["name"] if row["id"] else _("未分类"), row["count"]) for row in counts["by_category"]]
    tables["category"] = _count_table("category", _("按问题分类"), _("一级分类"), categories, total)
    channels = [(_(c.label), counts["by_channel"].get(c.value, 0)) for c in Channel]
    tables["channel"] = _count_table(
        "channel", _("按来源渠道"), _("渠道"), [(n, c) for n, c in channels if c], total
    )
    communities = [
        (row["name"] if row["id"] else _("未关联社区"), row["count"]) for row in counts["by_community"]
    ]
    tables["community"] = _count_table("community", _("按社区"), _("社区"), communities, total)
    if len(communities) > COMMUNITY_CHART_TOP:
        tables["community"].note = _("图中为诉求最多的 %(n)s 个，全部见数据表。") % {"n": COMMUNITY_CHART_TOP}

    if scope.kind != "unit":
        ranking = unit_ranking(scope=scope, date_from=read_from, date_to=read_to, sort=sort, assignments=grid)
        columns = [Column("name", _("主办单位")), Column("demands", _("诉求数"), "int"), *rate_cols]
        current = sort.lstrip("-")
        for c in columns:
            # A click sorts by the column, biggest first (names A to Z); a second click reverses it.
            first = c.key if c.key == "name" else f"-{c.key}"
            flipped = c.key if sort == f"-{c.key}" else f"-{c.key}"
            c.sort_href = _query(params, sort=flipped if current == c.key else first)
            if current == c.key:
                c.aria_sort = "descending" if sort.startswith("-") else "ascending"
        tables["units"] = Table(
            "units",
            _("单位排名"),
            columns,
            [{"name": r["name"], "demands": r["demands"], **r["rates"]} for r in ranking],
            note=_(
                "诉求类指标按办理单位统计（主办单位；直接办结的计入答复人员所在单位），响应率按承办（含协办）单位统计。"
            ),
        )

    tables["hotspots"] = _hotspot_table(
        scope=scope, end=min(period.date_to, today), linked=user.role in HOTSPOT_ROLES
    )

    overdue = overdue_list(user=user, scope=scope)
    tables["overdue"] = Table(
        "overdue",
        _("超期未办结"),
        [
            Column("code", _("受理编号"), "link"),
            Column("title", _("诉求")),
            Column("community", _("社区")),
            Column("unit", _("承办单位")),
            Column("status", _("状态")),
            Column("finish_due", _("办结时限"), "datetime"),
            Column("days_over", _("超期天数"), "int"),
        ],
        [
            {
                **row,
                "code": {"text": row["code"], "href": reverse("web:demand_detail", args=[row["id"]])},
                "status": _(row["status"]),
            }
            for row in overdue["rows"]
        ],
        note=_("共 %(total)s 件，按办结时限排序，显示前 %(n)s 件。")
        % {"total": overdue["total"], "n": len(overdue["rows"])}
        if overdue["total"] > len(overdue["rows"])
        else "",
    )
    for table in tables.values():
        table.links = {fmt: _query(params, download=table.key, format=fmt) for fmt in FORMATS}
    return {"metrics": metrics, "tables": tables, "overdue_total": overdue["total"]}


def _hotspot_table(*, scope: ReportScope, end: dt.date, linked: bool) -> Table:
    """An area's or the city's hot issues are the text clusters of the hotspot page; a unit's stay the rollup pairs."""
    if scope.kind == "unit":
        hot = hotspot_list(scope=scope, today=end)
        window = hot["window"]
        return Table(
            "hotspots",
            _("热点问题"),
            [
                Column("community", _("社区")),
                Column("category", _("问题类别")),
                Column("count", _("近三个月诉求数"), "int"),
                Column("share", _("占比"), "pct"),
                Column("previous", _("此前三个月"), "int"),
                Column("growth", _("日均变化"), "growth"),
            ],
            hot["rows"],
            note=_("近三个月：%(a)s 至 %(b)s；此前三个月：%(c)s 至 %(d)s。占比为占同期本范围全部诉求的比例。")
            % {
                "a": window.recent_from,
                "b": window.recent_to,
                "c": window.previous_from,
                "d": window.previous_to,
            },
        )
    start = end - dt.timedelta(days=HOT_DAYS - 1)
    hot = hot_issues(scope=scope, date_from=start, date_to=end, top=HOTSPOT_LIMIT)
    query = {"from": start.isoformat(), "to": end.isoformat()}
    if scope.area_id:
        query["area"] = scope.area_id
    page = reverse("web:hotspots") + "?" + urlencode(query)
    rows = [
        {
            # a link only for those who may open the hotspot page
            "label": {"text": r["label"], "href": f"{page}#issue-{r['rank']}" if linked else ""},
            "place": r["place"],
            "size": r["size"],
            "share": r["share"],
            "growth": r["growth"],
            "repeat_callers": r["repeat_callers"],
        }
        for r in hot["rows"]
    ]
    return Table(
        "hotspots",
        _("热点问题"),
        [
            Column("label", _("问题（地点：关键词）"), "link"),
            Column("place", _("地点")),
            Column("size", _("诉求数"), "int"),
            Column("share", _("占比"), "pct"),
            Column("growth", _("后半段比前半段"), "growth"),
            Column("repeat_callers", _("重复来电人"), "int"),
        ],
        rows,
        note=_("%(a)s 至 %(b)s 受理的诉求按“同一地点、同一问题”归并；占比为占同期本范围全部诉求的比例。")
        % {"a": start, "b": end},
    )


def chart_data(tables: dict[str, Table]) -> dict[str, Any]:
    """The JSON embedded in the page for ``dashboard.js``: the chart tables and the texts it shows."""
    return {
        "tables": {key: tables[key].as_json() for key in ("trend", "category", "channel", "community")},
        "rates": {r["key"]: {"label": r["label"], "formula": r["formula"]} for r in tables["kpis"].rows},
        "texts": {
            "numerator": _("分子"),
            "denominator": _("分母"),
            "formula": _("口径"),
            "count": _("诉求数"),
            "share": _("占比"),
            "empty": _("暂无数据"),
        },
        "community_top": COMMUNITY_CHART_TOP,
    }


def _scope_label(scope: ReportScope) -> str:
    if scope.kind == "unit":
        return scope.unit_name
    return scope.area_name or _("全市")


@staff_page()
def dashboard(request):
    """Unit staff see their unit; the others their jurisdiction or an area inside it (else 404 with a code)."""
    today = timezone.localdate(clock.now())
    params = request.GET
    scope = report_scope_for(request.user, area_id=_area_param(params))
    sort = params.get("sort") or "-demands"
    context: dict[str, Any] = {
        "scope": scope,
        "scope_label": _scope_label(scope),
        "areas": [(pk, name, pk == scope.area_id) for pk, name in area_choices(request.user)],
        "form": {
            "area": params.get("area") or (scope.area_id or ""),
            "from": params.get("from", ""),
            "to": params.get("to", ""),
        },
        "sort": sort,
    }
    try:
        period = period_from(params, today)
    except (BadPeriod, DateOutOfRange) as error:
        if params.get("download"):
            raise
        context.update(error=error, message=error_message(error))
        return render(request, "analytics/dashboard.html", context, status=error.status)
    built = build_tables(user=request.user, scope=scope, period=period, sort=sort, today=today, params=params)
    tables = built["tables"]
    download = params.get("download")
    if download:
        fmt = params.get("format") or "csv"
        if download not in tables or fmt not in FORMATS:
            raise NotFound(
                code="dashboard.unknown_download", details={"download": download[:40], "format": fmt[:8]}
            )
        about = [
            (_("范围"), _scope_label(scope)),
            (_("统计期"), f"{period.date_from} — {period.date_to}"),
            (_("统计口径"), _("统计期内受理的诉求及其全部派单和回访")),
            (_("数据更新于"), built["metrics"]["as_of"] or ""),
            *[(r["label"], r["formula"]) for r in tables["kpis"].rows],
        ]
        return table_download(
            tables[download], fmt, stem=f"{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}", about=about
        )
    context.update(
        period=period,
        tables=tables,
        kpis=[{**row, "text": format_pct(row["value"])} for row in tables["kpis"].rows],
        as_of=dt.datetime.fromisoformat(as_of) if (as_of := built["metrics"]["as_of"]) else None,
        data=chart_data(tables),
        reset_href=reverse("web:dashboard"),
    )
    return render(request, "analytics/dashboard.html", context)
