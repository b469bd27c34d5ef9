"""The dashboard through the Django test client, against the hand-counted story of ``linli.analytics.tests.scenario``.

Today is 30 April 2025 in these tests: the figures default to this year to
date (March and April), the trend to the last twelve months.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from openpyxl import load_workbook

from linli.analytics.services import analytics_rollup_refresh
from linli.analytics.tests.scenario import at, build
from linli.core import clock
from linli.demands import services as s
from linli.demands.tests.factories import in_progress
from linli.org.services import jurisdiction_create

pytestmark = pytest.mark.django_db

TODAY = at(4, 30, 15)


@pytest.fixture
def story(world):
    built = build(world)
    analytics_rollup_refresh()
    return built


@pytest.fixture
def today():
    with clock.at(TODAY):
        yield TODAY


def get(world, name: str, url: str = "/dashboard/", **params):
    client = Client()
    client.force_login(world.user(name))
    return client.get(url, params)


class Tables(HTMLParser):
    """Every <table data-table="…"> of a page: its header and its rows of cell texts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, list]] = {}
        self._table = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_sub = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self._table = self.tables.setdefault(attrs["data-table"], {"head": [], "rows": []})
        elif self._table is not None and tag == "tr":
            self._row = []
        elif self._table is not None and tag in ("td", "th"):
            self._cell = []
        elif tag == "small":
            self._in_sub = True

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            (self._table["head"] if not self._table["head"] else self._table["rows"]).append(self._row)
            self._row = None
        elif tag == "small":
            self._in_sub = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(("|" + data.strip()) if self._in_sub else data.strip())


def tables_of(response) -> dict:
    tables = Tables(response.content.decode()).tables
    return {key: {"head": t["head"][0], "rows": t["rows"]} for key, t in tables.items()}


def chart_json(response) -> dict:
    found = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    assert found, "no chart data on the page"
    return json.loads(found.group(1))


def pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


# --- figures ------------------------------------------------------------------------------------------


def test_dashboard_shows_the_six_figures_of_the_hand_count(story, today):
    response = get(story.w, "coord")
    assert response.status_code == 200
    html = response.content.decode()

    # March and April: response 9/11, resolution 7/8, satisfaction 4/6, on time 4/7, first contact 6/7, grassroots 3/7.
    for key, text, fraction in [
        ("response_rate", "90.0%", "9 / 10"),  # d9's CG assignment was withdrawn before its sign deadline
        ("resolution_rate", "87.5%", "7 / 8"),
        ("satisfaction_rate", "66.7%", "4 / 6"),
        ("on_time_rate", "57.1%", "4 / 7"),
        ("first_contact_resolution_rate", "85.7%", "6 / 7"),
        ("community_level_resolution_rate", "42.9%", "3 / 7"),
    ]:
        card = re.search(rf'<div class="kpi" title="([^"]+)" data-rate="{key}">(.*?)</div>', html, re.S)
        assert card, key
        assert f"<b>{text}</b>" in card.group(2) and fraction in card.group(2), key
        assert "<details>" in card.group(2) and card.group(1) in card.group(
            2
        )  # the formula, also for keyboards
    assert "按时签收的派单数 / 应签收的派单数" in html
    assert "2025-01-01 至 2025-04-30" in html


def test_dashboard_trend_and_breakdowns_match_the_hand_count(story, today):
    tables = tables_of(get(story.w, "coord"))

    trend = {row[0]: row for row in tables["trend"]["rows"]}
    assert len(trend) == 12 and list(trend)[0] == "2024-05" and list(trend)[-1] == "2025-04"
    assert trend["2025-03"][1:3] == ["8", "87.5%|7/8"]
    assert trend["2025-04"][1:3] == ["3", "100.0%|2/2"]
    assert trend["2025-02"][1:3] == ["0", "—|0/0"]
    assert tables["category"]["rows"] == [
        ["城乡建设", "6", "54.5%"],
        ["交通运输", "3", "27.3%"],
        ["未分类", "2", "18.2%"],
    ]
    assert tables["channel"]["rows"] == [
        ["12345热线", "7", "63.6%"],
        ["网上诉求", "1", "9.1%"],
        ["夜访", "1", "9.1%"],
        ["来访", "1", "9.1%"],
        ["开放接口", "1", "9.1%"],
    ]
    assert tables["community"]["rows"] == [
        ["金榕社区", "9", "81.8%"],
        ["涵江村", "1", "9.1%"],
        ["未关联社区", "1", "9.1%"],
    ]
    units = {row[0]: row for row in tables["units"]["rows"]}
    # CG leads d1 d2 d8 d11; assigned d1 d2 (late) d8 d11, and d9 withdrawn before its sign deadline (not counted).
    assert units["区城管局"][1:3] == ["4", "75.0%|3/4"]
    # the hot issues are text clusters: the nine demands of 金榕社区 say the same thing (d5 is in 涵江村, d10 nowhere)
    hotspots = tables["hotspots"]["rows"]
    assert hotspots[0][0].startswith("金榕社区：") and hotspots[0][1:4] == ["金榕社区", "9", "81.8%"]


def test_every_data_table_has_the_numbers_of_its_chart(story, today):
    response = get(story.w, "coord")
    data, tables = chart_json(response), tables_of(response)

    assert set(data["tables"]) == {"trend", "category", "channel", "community"}
    for key, chart in data["tables"].items():
        table = tables[key]
        assert table["head"] == [c["label"] for c in chart["columns"]], key
        assert len(table["rows"]) == len(chart["rows"]) > 0, key
        for shown, row in zip(table["rows"], chart["rows"], strict=True):
            expected = []
            for column in chart["columns"]:
                v = row[column["key"]]
                if column["kind"] == "rate":
                    expected.append(f"{pct(v['value'])}|{v['numerator']}/{v['denominator']}")
                elif column["kind"] == "pct":
                    expected.append(pct(v))
                else:
                    expected.append(str(v))
            assert shown == expected, key
    # The rate tooltips get the formula of each figure.
    assert data["rates"]["response_rate"]["formula"].startswith("按时签收的派单数")


def test_the_page_loads_echarts_from_the_app_and_has_no_inline_handlers(story, today):
    html = get(story.w, "coord").content.decode()
    assert "/static/ui/vendor/echarts-5.6.0.min.js" in html and "/static/ui/dashboard.js" in html
    assert "cdn" not in html.lower()
    assert not re.search(r"\son[a-z]+=", html)


def test_a_chosen_period_is_used_for_figures_and_trend(story, today):
    response = get(story.w, "coord", **{"from": "2025-03-10", "to": "2025-03-31"})
    tables = tables_of(response)

    assert [row[0] for row in tables["trend"]["rows"]] == ["2025-03"]
    assert tables["trend"]["rows"][0][1] == "8"
    html = response.content.decode()
    assert "9 / 11" not in html and "7 / 8" in html  # the response rate of March
    assert "2025-03-10 至 2025-03-31" in html


def test_units_are_sorted_server_side_by_a_header_click(story, today):
    default = tables_of(get(story.w, "coord"))["units"]["rows"]
    assert [r[0] for r in default][0] == "区城管局"  # most demands first
    html = get(story.w, "coord", sort="-response_rate").content.decode()
    rows = tables_of_html(html)["units"]["rows"]
    assert rows[-1][0] == "区城管局"  # 60 %, the others 100 %
    assert 'aria-sort="descending"' in html
    assert "sort=response_rate" in html  # a second click reverses


def tables_of_html(html: str) -> dict:
    tables = Tables(html).tables
    return {key: {"head": t["head"][0], "rows": t["rows"]} for key, t in tables.items()}


def test_english_uses_the_english_labels_and_formulas(story, today):
    client = Client()
    client.force_login(story.w.user("coord"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})  # the switch, not the browser
    data = chart_json(client.get("/dashboard/"))
    assert data["rates"]["response_rate"]["label"] == "Response rate"
    assert data["rates"]["response_rate"]["formula"].startswith("assignments signed before the sign deadline")


# --- scopes -------------------------------------------------------------------------------------------


def test_unit_staff_see_their_unit_only(story, today):
    response = get(story.w, "cg_handler")
    assert response.status_code == 200
    html = response.content.decode()
    assert "统计分析 · 区城管局" in html
    assert 'name="area"' not in html and "units" not in tables_of(response)
    trend = {row[0]: row for row in tables_of(response)["trend"]["rows"]}
    assert trend["2025-03"][1] == "3"  # CG leads d1, d2, d8


def test_unit_staff_cannot_pick_an_area(story, today):
    response = get(story.w, "worker", area=story.w.community.pk)
    assert response.status_code == 403
    assert "metrics.own_unit_only" in response.content.decode()


def test_a_leader_sees_their_district_and_may_narrow_it(story, today):
    w = story.w
    district = get(w, "leader")
    assert "统计分析 · 榕城区" in district.content.decode()
    # The district leaves out d10, which has no community.
    assert tables_of(district)["community"]["rows"] == [["金榕社区", "9", "90.0%"], ["涵江村", "1", "10.0%"]]
    village = get(w, "leader", area=w.other_community.pk)
    assert village.status_code == 200
    assert tables_of(village)["community"]["rows"] == [["涵江村", "1", "100.0%"]]
    assert f'<option value="{w.other_community.pk}" selected>' in village.content.decode()


def test_a_leader_gets_404_for_an_area_outside_the_district(story, today):
    other = jurisdiction_create(code="350903", name="荔城区", level="district", parent=story.w.city)
    for area in (other.pk, "abc"):
        response = get(story.w, "leader", area=area)
        assert response.status_code == 404
        assert "analytics.area_not_visible" in response.content.decode()


# --- errors -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, code",
    [
        ({"from": "2025-13-01"}, "analytics.bad_period"),
        ({"from": "9999-01-01", "to": "9999-12-31"}, "common.date_out_of_range"),
        ({"from": "2025-04-01", "to": "2025-03-01"}, "analytics.bad_period"),
        ({"from": "2020-01-01", "to": "2025-03-01"}, "analytics.period_too_long"),
    ],
)
def test_a_bad_period_is_reported_in_place(story, today, params, code):
    response = get(story.w, "coord", **params)
    assert response.status_code == 422
    html = response.content.decode()
    assert code in html and 'role="alert"' in html
    assert f'value="{params["from"]}"' in html  # what was typed stays in the form
    assert "dashboard-data" not in html


def test_a_bad_period_download_gets_the_error_page(story, today):
    response = get(story.w, "coord", **{"from": "x", "download": "trend", "format": "csv"})
    assert response.status_code == 422 and "analytics.bad_period" in response.content.decode()


# --- downloads ----------------------------------------------------------------------------------------


def test_csv_download_has_the_rows_of_the_table(story, today):
    response = get(story.w, "coord", download="trend", format="csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="dashboard-trend-20250101-20250430.csv"')
    assert (
        "filename*=UTF-8''%E6%9C%88%E5%BA%A6%E8%B6%8B%E5%8A%BF-20250101-20250430.csv" in disposition
    )  # 月度趋势
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["月份", "诉求数", "响应率(%)", "响应率分子", "响应率分母"]
    march = next(r for r in rows if r[0] == "2025-03")
    assert march[1:5] == ["8", "87.5", "7", "8"]
    assert len(rows) == 13


def test_xlsx_download_opens_and_has_the_rows(story, today):
    response = get(story.w, "coord", download="units", format="xlsx")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet.title == "单位排名"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("主办单位", "诉求数", "响应率(%)", "响应率分子", "响应率分母")
    cg = next(r for r in rows if r[0] == "区城管局")
    assert cg[1:5] == (4, 75.0, 3, 4)
    about = dict(book["说明"].iter_rows(values_only=True))
    assert about["统计期"] == "2025-01-01 — 2025-04-30" and about["响应率"].startswith("按时签收的派单数")


@pytest.mark.parametrize(
    "table", ["kpis", "trend", "category", "channel", "community", "units", "hotspots", "overdue"]
)
def test_every_table_downloads_in_both_formats(story, today, table):
    for fmt in ("csv", "xlsx"):
        response = get(story.w, "coord", download=table, format=fmt)
        assert response.status_code == 200, (table, fmt)
        if fmt == "xlsx":
            assert load_workbook(io.BytesIO(response.content)).worksheets[0].max_row >= 1


def test_an_unknown_download_is_a_404_with_a_code(story, today):
    response = get(story.w, "coord", download="secrets", format="csv")
    assert response.status_code == 404 and "dashboard.unknown_download" in response.content.decode()
    assert get(story.w, "coord", download="trend", format="pdf").status_code == 404


# --- overdue ------------------------------------------------------------------------------------------


def test_overdue_demands_link_to_their_page(world):
    demand = in_progress(world, text="路灯不亮<script>alert(1)</script>")
    later = clock.now() + dt.timedelta(days=60)
    with clock.at(later):
        s.sla_sweep()
        response = get(world, "coord")
    html = response.content.decode()
    assert f'<a href="/demands/{demand.pk}/">{demand.code}</a>' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    overdue = tables_of(response)["overdue"]["rows"]
    assert overdue[0][0] == demand.code and overdue[0][3] == "区城管局"


# --- queries ------------------------------------------------------------------------------------------


# An area's dashboard also reads the hot issues: the signatures in the window (2 queries, names 1) and their
# cache entry (up to 4 on a miss with the database cache); none of it grows with the data.
@pytest.mark.parametrize("name, most", [("coord", 25), ("leader", 31), ("cg_handler", 18)])
def test_dashboard_query_count(story, today, django_assert_max_num_queries, name, most):
    client = Client()
    client.force_login(story.w.user(name))
    with django_assert_max_num_queries(most):
        assert client.get("/dashboard/").status_code == 200


def test_dashboard_query_count_does_not_grow_with_the_data(story, today, django_assert_max_num_queries):
    w = story.w
    for i in range(5):
        with clock.at(at(4, 20 + i, 10)):
            s.demand_register(
                actor=w.user("agent"),
                channel="hotline",
                demand_type="help",
                text=f"路灯坏了{i}",
                community_id=w.other_community.pk,
                category_id=w.categories["traffic"].pk,
            )
    analytics_rollup_refresh()
    client = Client()
    client.force_login(w.user("coord"))
    with django_assert_max_num_queries(25):
        assert client.get("/dashboard/").status_code == 200


def test_before_the_first_rollup_the_dashboard_says_the_figures_are_not_computed_yet(world, today):
    build(world)  # demands, but the rollup job has not run
    page = get(world, "leader").content.decode()
    assert 'id="rollup-pending"' in page and "统计数据尚未生成" in page
    assert "数据更新于" not in page

    analytics_rollup_refresh()
    page = get(world, "leader").content.decode()
    assert 'id="rollup-pending"' not in page and "数据更新于" in page
