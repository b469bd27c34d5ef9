"""The dashboard's reads against the hand-counted story of ``scenario.py`` (given the story, when asked, then these numbers)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.analytics import reports
from linli.analytics.errors import BadPeriod
from linli.analytics.reports import (
    AreaNotVisible,
    OwnUnitOnly,
    ReportScope,
    check_period,
    hotspot_list,
    hotspot_window,
    overdue_list,
    rate_trend,
    read_period,
    report_scope_for,
    unit_ranking,
)
from linli.analytics.selectors import metrics_compute
from linli.analytics.services import analytics_rollup_refresh
from linli.core import clock
from linli.demands import services as s
from linli.demands.tests.factories import in_progress, replied
from linli.org.services import jurisdiction_create, staff_create
from linli.org.tests.factories import PASSWORD

D = dt.date
CITY = ReportScope(kind="city")


def fractions(rates):
    return {key: (r["numerator"], r["denominator"]) for key, r in rates.items()}


def area(world, jurisdiction):
    return report_scope_for(world.user("coord"), area_id=jurisdiction.pk)


# --- scope --------------------------------------------------------------------------------------------


def test_report_scope_for_each_kind_of_user(world):
    assert report_scope_for(world.user("coord")) == CITY
    unit = report_scope_for(world.user("cg_handler"))
    assert (unit.kind, unit.unit_id, unit.unit_name) == ("unit", world.cg.pk, "区城管局")
    leader = report_scope_for(world.user("leader"))
    assert (leader.kind, leader.area_id, leader.area_path) == ("area", world.district.pk, world.district.path)
    assert set(leader.community_ids) == {
        world.district.pk,
        world.street.pk,
        world.community.pk,
        world.other_community.pk,
    }
    assert report_scope_for(world.user("leader"), area_id=world.community.pk).community_ids == (
        world.community.pk,
    )


def test_report_scope_for_the_city_root_filters_nothing(world):
    scope = report_scope_for(world.user("admin"), area_id=world.city.pk)
    assert (scope.kind, scope.area_id, scope.community_ids, scope.area_path) == (
        "area",
        world.city.pk,
        None,
        None,
    )


def test_report_scope_for_refuses_an_area_outside_the_jurisdiction(world):
    other = jurisdiction_create(code="350903", name="荔城区", level="district", parent=world.city)
    with pytest.raises(AreaNotVisible) as refused:
        report_scope_for(world.user("leader"), area_id=other.pk)
    assert refused.value.code == "analytics.area_not_visible" and refused.value.status == 404
    with pytest.raises(AreaNotVisible):
        report_scope_for(world.user("leader"), area_id=world.city.pk)  # above the leader's district
    with pytest.raises(AreaNotVisible):
        report_scope_for(world.user("coord"), area_id=999_999)


def test_report_scope_for_unit_staff_may_not_pick_an_area(world):
    with pytest.raises(OwnUnitOnly) as refused:
        report_scope_for(world.user("worker"), area_id=world.community.pk)
    assert refused.value.code == "metrics.own_unit_only" and refused.value.status == 403


def test_area_choices_are_the_users_subtree(world):
    staff_create(username="street_leader", password=PASSWORD, role="leader", jurisdiction=world.street)
    from linli.org.selectors import staff_list

    names = [
        name.strip("\u3000") for _, name in reports.area_choices(staff_list().get(username="street_leader"))
    ]
    assert names == ["金涵乡", "金榕社区", "涵江村"]
    assert len(reports.area_choices(world.user("coord"))) == 5
    assert reports.area_choices(world.user("cg_handler")) == []


# --- periods ------------------------------------------------------------------------------------------


def test_read_period_reads_the_current_month_whole():
    today = D(2026, 11, 27)
    assert read_period(D(2026, 1, 1), today, today=today) == (D(2026, 1, 1), D(2026, 11, 30))
    assert read_period(D(2026, 1, 1), D(2026, 12, 31), today=today) == (D(2026, 1, 1), D(2026, 12, 31))
    assert read_period(D(2026, 1, 1), D(2026, 11, 26), today=today) == (D(2026, 1, 1), D(2026, 11, 26))


def test_check_period_refuses_reversed_and_too_long_periods():
    check_period(D(2025, 1, 1), D(2027, 12, 31))
    with pytest.raises(BadPeriod) as reversed_:
        check_period(D(2025, 2, 1), D(2025, 1, 1))
    assert reversed_.value.code == "analytics.bad_period"
    with pytest.raises(BadPeriod) as too_long:
        check_period(D(2024, 2, 29), D(2027, 2, 28))
    assert too_long.value.code == "analytics.period_too_long"


# --- the monthly trend --------------------------------------------------------------------------------


def test_rate_trend_per_month_matches_the_hand_count(story):
    trend = rate_trend(scope=CITY, date_from=D(2025, 2, 1), date_to=D(2025, 5, 31))

    assert [m["month"] for m in trend] == [D(2025, 2, 1), D(2025, 3, 1), D(2025, 4, 1), D(2025, 5, 1)]
    assert [m["demands"] for m in trend] == [0, 8, 3, 0]
    assert fractions(trend[1]["rates"]) == {
        "response_rate": (7, 8),
        "resolution_rate": (5, 6),
        "satisfaction_rate": (3, 4),
        "on_time_rate": (3, 5),
        "first_contact_resolution_rate": (4, 5),
        "community_level_resolution_rate": (2, 5),
    }
    assert fractions(trend[2]["rates"]) == {
        "response_rate": (2, 2),  # d9's CG assignment was withdrawn before its sign deadline
        "resolution_rate": (2, 2),
        "satisfaction_rate": (1, 2),
        "on_time_rate": (1, 2),
        "first_contact_resolution_rate": (2, 2),
        "community_level_resolution_rate": (1, 2),
    }
    assert trend[1]["rates"]["response_rate"]["value"] == 0.875
    assert trend[0]["rates"] and all(r["value"] is None for r in trend[0]["rates"].values())


def test_rate_trend_counts_only_the_days_of_the_period_at_either_end(story):
    trend = rate_trend(scope=CITY, date_from=D(2025, 3, 11), date_to=D(2025, 4, 13))

    # March 11 on: d4 … d8 (d1–d3 were registered on the 10th); nothing in April before the 14th.
    assert [m["demands"] for m in trend] == [5, 0]
    assert fractions(trend[0]["rates"])["response_rate"] == (5, 5)


def test_rate_trend_for_an_area_and_a_unit(story):
    w = story.w
    village = rate_trend(scope=area(w, w.other_community), date_from=D(2025, 3, 1), date_to=D(2025, 4, 30))
    assert [m["demands"] for m in village] == [1, 0]  # d5
    assert fractions(village[0]["rates"])["on_time_rate"] == (0, 1)

    cg = ReportScope(kind="unit", unit_id=w.cg.pk)
    trend = rate_trend(scope=cg, date_from=D(2025, 3, 1), date_to=D(2025, 4, 30))
    expected = [
        metrics_compute(unit_id=w.cg.pk, date_from=D(2025, m, 1), date_to=D(2025, m, d))
        for m, d in ((3, 31), (4, 30))
    ]
    assert [m["rates"] for m in trend] == [
        {k: {x: r[k][x] for x in ("value", "numerator", "denominator")} for k in r}
        for r in (e["rates"] for e in expected)
    ]


# --- units --------------------------------------------------------------------------------------------


def test_unit_ranking_in_march_matches_the_hand_count(story):
    w = story.w
    rows = unit_ranking(scope=CITY, date_from=D(2025, 3, 1), date_to=D(2025, 3, 31), sort="name")
    by_name = {r["name"]: r for r in rows}

    assert set(by_name) == {"区城管局", "区交警大队", "金榕社区居委会", "金涵乡政府"}
    # CG leads d1, d2, d8 and was assigned d1 (on time), d2 (late), d8 (on time).
    assert by_name["区城管局"]["demands"] == 3
    assert fractions(by_name["区城管局"]["rates"]) == {
        "response_rate": (2, 3),
        "resolution_rate": (2, 2),
        "satisfaction_rate": (1, 1),
        "on_time_rate": (1, 2),
        "first_contact_resolution_rate": (2, 2),
        "community_level_resolution_rate": (0, 2),
    }
    # JJ leads d7 and assisted on d2: both signed on time.
    assert fractions(by_name["区交警大队"]["rates"])["response_rate"] == (2, 2)
    assert by_name["区交警大队"]["rates"]["first_contact_resolution_rate"]["value"] is None
    # JR: d4, reopened once: two assignments, two callbacks.
    assert fractions(by_name["金榕社区居委会"]["rates"]) == {
        "response_rate": (2, 2),
        "resolution_rate": (1, 2),
        "satisfaction_rate": (1, 2),
        "on_time_rate": (1, 1),
        "first_contact_resolution_rate": (0, 1),
        "community_level_resolution_rate": (1, 1),
    }
    for unit in (w.cg, w.jj, w.committee, w.street_office):
        single = metrics_compute(unit_id=unit.pk, date_from=D(2025, 3, 1), date_to=D(2025, 3, 31))
        assert fractions(by_name[unit.name]["rates"]) == fractions(single["rates"]), unit.name


def test_unit_ranking_mixes_day_and_month_rows(story):
    whole = unit_ranking(scope=CITY, date_from=D(2025, 3, 1), date_to=D(2025, 4, 30), sort="name")
    edges = unit_ranking(scope=CITY, date_from=D(2025, 3, 10), date_to=D(2025, 4, 30), sort="name")
    assert whole == edges


def test_unit_ranking_for_an_area_counts_its_communities_only(story):
    w = story.w
    rows = unit_ranking(scope=area(w, w.other_community), date_from=D(2025, 3, 1), date_to=D(2025, 4, 30))
    assert [(r["name"], r["demands"], fractions(r["rates"])["response_rate"]) for r in rows] == [
        ("金涵乡政府", 1, (1, 1))
    ]


def test_unit_ranking_sorts_and_puts_missing_values_last(story):
    march = dict(scope=CITY, date_from=D(2025, 3, 1), date_to=D(2025, 3, 31))
    assert [r["name"] for r in unit_ranking(**march)] == [
        "区城管局",
        "区交警大队",
        "金榕社区居委会",
        "金涵乡政府",
    ]
    by_response = unit_ranking(**march, sort="response_rate")
    assert by_response[0]["name"] == "区城管局"  # 2/3, the only one below 100 %
    first_contact = unit_ranking(**march, sort="-first_contact_resolution_rate")
    assert [r["name"] for r in first_contact] == ["区城管局", "金涵乡政府", "金榕社区居委会", "区交警大队"]
    assert unit_ranking(**march, sort="nonsense") == unit_ranking(**march)


# --- hotspots -----------------------------------------------------------------------------------------


def test_hotspot_window_is_three_calendar_months_and_the_three_before():
    window = hotspot_window(D(2025, 4, 30))
    assert (window.recent_from, window.recent_to) == (D(2025, 2, 1), D(2025, 4, 30))
    assert (window.previous_from, window.previous_to) == (D(2024, 11, 1), D(2025, 1, 31))
    assert hotspot_window(D(2025, 1, 5)).recent_from == D(2024, 11, 1)


def test_hotspots_are_category_and_community_pairs_with_their_share(story):
    hot = hotspot_list(scope=CITY, today=D(2025, 4, 30))

    # 11 demands; 城乡建设 in 金榕社区: d1 d2 d4 d6 d8 d9; 交通运输 in 金榕社区: d7 d11; in 涵江村: d5.
    # d3 (no category) and d10 (no community) count in the total only.
    assert hot["total"] == 11
    assert [(r["community"], r["category"], r["count"], r["share"], r["growth"]) for r in hot["rows"]] == [
        ("金榕社区", "城乡建设", 6, 0.5455, None),
        ("金榕社区", "交通运输", 2, 0.1818, None),
        ("涵江村", "交通运输", 1, 0.0909, None),
    ]


def test_hotspots_growth_compares_daily_averages(story):
    hot = hotspot_list(scope=CITY, today=D(2025, 6, 15))

    # Recent: 1 April – 15 June (76 days): d9, d10, d11. Before: January – March (90 days).
    assert hot["total"] == 3
    rows = {(r["community"], r["category"]): r for r in hot["rows"]}
    assert set(rows) == {("金榕社区", "城乡建设"), ("金榕社区", "交通运输")}
    assert rows[("金榕社区", "城乡建设")]["previous"] == 5
    assert rows[("金榕社区", "城乡建设")]["growth"] == round((1 / 76) / (5 / 90) - 1, 4)
    assert rows[("金榕社区", "交通运输")]["growth"] == round((1 / 76) / (1 / 90) - 1, 4)


def test_hotspots_of_a_unit_and_of_an_area(story):
    w = story.w
    cg = hotspot_list(scope=ReportScope(kind="unit", unit_id=w.cg.pk), today=D(2025, 4, 30))
    # CG leads d1 d2 d8 (城乡建设) and d11 (交通运输); d9 went to JR.
    assert [(r["category"], r["count"]) for r in cg["rows"]] == [("城乡建设", 3), ("交通运输", 1)]
    village = hotspot_list(scope=area(w, w.other_community), today=D(2025, 4, 30))
    assert [(r["community"], r["category"], r["share"]) for r in village["rows"]] == [
        ("涵江村", "交通运输", 1.0)
    ]


def test_hotspot_list_goes_through_the_swappable_source(story, monkeypatch):
    seen = {}

    def fake(**kw):
        seen.update(kw)
        return {"window": None, "total": 0, "rows": []}

    monkeypatch.setattr(reports.lists, "HOTSPOTS", fake)
    assert hotspot_list(scope=CITY, today=D(2025, 4, 30), limit=3)["rows"] == []
    assert seen == {"scope": CITY, "today": D(2025, 4, 30), "limit": 3}


# --- overdue ------------------------------------------------------------------------------------------


def overdue_world(world):
    """Two demands in progress at CG and one replied, then the deadline sweep two months later."""
    with clock.at(clock.now() - dt.timedelta(days=10)):
        late = in_progress(world, text="路灯不亮")
    later = in_progress(world, text="井盖缺失")
    done = replied(world, text="已经处理好的")
    with clock.at(clock.now() + dt.timedelta(days=60)):
        s.sla_sweep()
    return late, later, done


def test_overdue_list_shows_open_overdue_demands_longest_first(world):
    late, later, _ = overdue_world(world)
    with clock.at(clock.now() + dt.timedelta(days=60)):
        result = overdue_list(user=world.user("coord"), scope=CITY)

    assert result["total"] == 2
    assert [r["id"] for r in result["rows"]] == [late.pk, later.pk]
    row = result["rows"][0]
    assert (row["code"], row["unit"], row["community"], row["status"]) == (
        late.code,
        "区城管局",
        "金榕社区",
        "办理中",
    )
    assert row["days_over"] >= 45


def test_overdue_list_follows_the_users_scope(world):
    overdue_world(world)
    cg, jj = world.user("cg_handler"), world.user("jj_handler")
    with clock.at(clock.now() + dt.timedelta(days=60)):
        # A unit's list is its inbox tab "overdue": its assignments past their finish deadline.
        assert overdue_list(user=cg, scope=report_scope_for(cg))["total"] == 2
        assert overdue_list(user=jj, scope=report_scope_for(jj))["total"] == 0
        assert overdue_list(user=world.user("coord"), scope=area(world, world.other_community))["total"] == 0
        assert (
            overdue_list(user=world.user("leader"), scope=report_scope_for(world.user("leader")))["total"]
            == 2
        )


def test_overdue_list_counts_beyond_its_page(world):
    overdue_world(world)
    result = overdue_list(user=world.user("coord"), scope=CITY, limit=1)
    assert len(result["rows"]) == 1 and result["total"] == 2


# --- queries ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "period, most",
    [((D(2025, 3, 1), D(2025, 4, 30)), 2), ((D(2025, 3, 10), D(2025, 4, 14)), 4)],
)
def test_rate_trend_query_count(story, period, most):
    with CaptureQueriesContext(connection) as ctx:
        rate_trend(scope=CITY, date_from=period[0], date_to=period[1])
    assert len(ctx.captured_queries) <= most


@pytest.mark.parametrize(
    "period, most",
    [((D(2025, 3, 1), D(2025, 4, 30)), 3), ((D(2025, 3, 10), D(2025, 4, 14)), 5)],
)
def test_unit_ranking_query_count_does_not_grow_with_units(story, period, most):
    with CaptureQueriesContext(connection) as ctx:
        rows = unit_ranking(scope=CITY, date_from=period[0], date_to=period[1])
    assert rows and len(ctx.captured_queries) <= most


def test_hotspot_query_count(story):
    with CaptureQueriesContext(connection) as ctx:
        hotspot_list(scope=CITY, today=D(2025, 4, 30))
    assert len(ctx.captured_queries) <= 3


def test_one_assignment_grid_serves_the_trend_and_the_ranking(story):
    grid = reports.assignment_grid(scope=CITY, date_from=D(2025, 2, 1), date_to=D(2025, 4, 30))
    assert grid.covers(D(2025, 3, 1), D(2025, 4, 30)) and grid.covers(D(2025, 2, 1), D(2025, 4, 30))
    assert not grid.covers(D(2025, 3, 10), D(2025, 4, 30)) and not grid.covers(D(2025, 1, 1), D(2025, 3, 31))
    edge_grid = reports.assignment_grid(scope=CITY, date_from=D(2025, 3, 10), date_to=D(2025, 4, 14))
    assert edge_grid.covers(D(2025, 3, 10), D(2025, 4, 14)) and not edge_grid.covers(
        D(2025, 3, 1), D(2025, 3, 31)
    )

    with CaptureQueriesContext(connection) as ctx:
        ranking = unit_ranking(scope=CITY, date_from=D(2025, 3, 1), date_to=D(2025, 4, 30), assignments=grid)
        trend = rate_trend(scope=CITY, date_from=D(2025, 2, 1), date_to=D(2025, 4, 30), assignments=grid)
    assert len(ctx.captured_queries) == 3  # unit names, unit month rows, city month rows
    assert ranking == unit_ranking(scope=CITY, date_from=D(2025, 3, 1), date_to=D(2025, 4, 30))
    assert trend == rate_trend(scope=CITY, date_from=D(2025, 2, 1), date_to=D(2025, 4, 30))
    # A grid of another period is not used for the trend.
    assert rate_trend(
        scope=CITY, date_from=D(2025, 3, 1), date_to=D(2025, 3, 31), assignments=grid
    ) == rate_trend(scope=CITY, date_from=D(2025, 3, 1), date_to=D(2025, 3, 31))


def test_dispatch_hotspots_answer_in_the_dashboards_shape(world):
    # Five complaints about the same school gate in one community, registered through the services.
    for i in range(5):
        in_progress(world, text=f"金榕小学门口早晚高峰家长车辆乱停，堵车严重{i}")
    analytics_rollup_refresh()
    today = timezone.localdate(clock.now())
    hot = reports.dispatch_hotspots(scope=CITY, today=today)

    assert set(hot) == {"window", "total", "rows"}
    assert hot["window"].recent_to == today
    assert hot["rows"]
    for row in hot["rows"]:
        assert set(row) == {"community", "category", "count", "share", "previous", "growth"}
    unit = reports.dispatch_hotspots(scope=report_scope_for(world.user("cg_handler")), today=today)
    assert [(r["category"], r["count"]) for r in unit["rows"]] == [
        ("城乡建设", 5)
    ]  # a unit: the rollup pairs
