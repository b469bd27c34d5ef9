"""metrics_compute against the hand-counted story of ``scenario.py`` (given the story, when asked, then these numbers)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.analytics.errors import BadPeriod, BadScope
from linli.analytics.selectors import metrics_compute, split_period
from linli.analytics.services import analytics_rollup_refresh
from linli.analytics.tests.scenario import at, build
from linli.core import clock
from linli.demands import services as s
from linli.org.errors import UnknownJurisdiction

D = dt.date
MARCH = dict(date_from=D(2025, 3, 1), date_to=D(2025, 3, 31))
APRIL = dict(date_from=D(2025, 4, 1), date_to=D(2025, 4, 30))
BOTH = dict(date_from=D(2025, 3, 1), date_to=D(2025, 4, 30))


def fractions(m):
    return {key: (rate["numerator"], rate["denominator"]) for key, rate in m["rates"].items()}


def values(m):
    return {key: rate["value"] for key, rate in m["rates"].items()}


def names(rows):
    return [(r["name"], r["count"]) for r in rows]


# --- the whole city ------------------------------------------------------------------------------


def test_metrics_compute_city_march_matches_the_hand_count(story):
    m = metrics_compute(**MARCH)

    # d1 1/1, d2 CG late + JJ, d4 2/2, d5 1/1, d7 1/1, d8 1/1 on time.
    # Callbacks d1 (res, sat), d2 (res, unrated), d4 (unres, unsat) + (res, sat), d5 (res, unrated), d7 (res, sat).
    # Finished d1, d2 (late), d4, d5 (late), d7; d3 at intake is left out.
    # Resolved d1, d2, d3, d4 (reopened), d5; grassroots d4 (JR), d5 (JH).
    assert fractions(m) == {
        "response_rate": (7, 8),
        "resolution_rate": (5, 6),
        "satisfaction_rate": (3, 4),
        "on_time_rate": (3, 5),
        "first_contact_resolution_rate": (4, 5),
        "community_level_resolution_rate": (2, 5),
    }
    assert values(m) == {
        "response_rate": 0.875,
        "resolution_rate": 0.8333,
        "satisfaction_rate": 0.75,
        "on_time_rate": 0.6,
        "first_contact_resolution_rate": 0.8,
        "community_level_resolution_rate": 0.4,
    }
    counts = m["counts"]
    assert counts["total"] == 8
    assert counts["resolved_at_intake"] == 1
    assert (counts["assignments_dispatched"], counts["assignments_signed"]) == (8, 8)
    assert {k: v for k, v in counts["by_status"].items() if v} == {
        "closed": 5,
        "merged": 1,
        "called_back": 1,
        "in_progress": 1,
    }
    assert set(counts["by_status"]) == {
        "registered",
        "dispatched",
        "in_progress",
        "returned",
        "replied",
        "called_back",
        "closed",
        "invalid",
        "withdrawn",
        "merged",
    }
    assert {k: v for k, v in counts["by_channel"].items() if v} == {"hotline": 6, "web": 1, "night_visit": 1}
    assert {k: v for k, v in counts["by_type"].items() if v} == {"complaint": 6, "consultation": 1, "help": 1}
    assert names(counts["by_category"]) == [("城乡建设", 5), ("交通运输", 2), ("未分类", 1)]
    assert counts["by_category"][0]["id"] == story.w.categories["top"].pk
    assert counts["by_category"][2]["id"] is None
    assert names(counts["by_community"]) == [("金榕社区", 7), ("涵江村", 1)]


def test_metrics_compute_city_april_matches_the_hand_count(story):
    m = metrics_compute(**APRIL)

    # d9: CG withdrawn before its sign deadline (not counted) + JR on time; d11 CG on time. d10 invalid, nothing else.
    assert fractions(m) == {
        "response_rate": (2, 2),
        "resolution_rate": (2, 2),
        "satisfaction_rate": (1, 2),
        "on_time_rate": (1, 2),
        "first_contact_resolution_rate": (2, 2),
        "community_level_resolution_rate": (1, 2),
    }
    assert m["rates"]["response_rate"]["value"] == 1.0
    counts = m["counts"]
    assert counts["total"] == 3
    assert (counts["assignments_dispatched"], counts["assignments_signed"]) == (2, 2)
    assert {k: v for k, v in counts["by_status"].items() if v} == {"closed": 2, "invalid": 1}
    assert {k: v for k, v in counts["by_channel"].items() if v} == {"open311": 1, "walk_in": 1, "hotline": 1}
    assert {k: v for k, v in counts["by_type"].items() if v} == {"help": 1, "report": 1, "complaint": 1}
    assert sorted(names(counts["by_category"])) == [("交通运输", 1), ("城乡建设", 1), ("未分类", 1)]
    assert names(counts["by_community"]) == [("金榕社区", 2), ("未关联社区", 1)]


def test_metrics_compute_two_months_add_up(story):
    m = metrics_compute(**BOTH)

    assert fractions(m) == {
        "response_rate": (9, 10),
        "resolution_rate": (7, 8),
        "satisfaction_rate": (4, 6),
        "on_time_rate": (4, 7),
        "first_contact_resolution_rate": (6, 7),
        "community_level_resolution_rate": (3, 7),
    }
    assert m["counts"]["total"] == 11
    assert m["period"] == {
        "from": "2025-03-01",
        "to": "2025-04-30",
        "days": 61,
        "cohort": "registered",
        "cohort_note": "统计期内受理的诉求及其全部派单和回访",
        "cohort_note_en": "demands registered in the period, with all their assignments and callbacks",
        "timezone": "Asia/Shanghai",
    }
    assert m["scope"] == {"kind": "city", "area": None, "unit": None}
    assert m["as_of"] is not None


def test_metrics_compute_each_figure_carries_label_and_formula(story):
    rate = metrics_compute(**MARCH)["rates"]["response_rate"]

    assert rate["label"] == "响应率"
    assert rate["formula"].startswith("按时签收的派单数 / 应签收的派单数")
    assert "尚未到签收时限的待签收派单" in rate["formula"] and "签收时限前未签收就撤回" in rate["formula"]
    assert "统计期内受理的诉求" in rate["formula"]
    assert rate["formula_en"].startswith(
        "assignments signed before the sign deadline / assignments due for a response"
    )
    on_time = metrics_compute(**MARCH)["rates"]["on_time_rate"]
    assert "不含直接办结" in on_time["formula"]


def test_metrics_compute_uses_the_city_labels_from_settings(story, settings):
    settings.LINLI_METRIC_TEXTS = {"response_rate": {"label": "签收率", "numerator": "dispatched"}}

    rate = metrics_compute(**MARCH)["rates"]["response_rate"]

    assert rate["label"] == "签收率"
    assert (rate["numerator"], rate["denominator"]) == (7, 8)  # the counters themselves cannot be configured


# --- periods: whole months from month rows, the ends from day rows ----------------------------------


@pytest.mark.parametrize(
    "date_from, date_to, months, edges",
    [
        (D(2025, 3, 1), D(2025, 3, 31), (D(2025, 3, 1), D(2025, 3, 1)), []),
        (D(2025, 3, 10), D(2025, 4, 30), (D(2025, 4, 1), D(2025, 4, 1)), [(D(2025, 3, 10), D(2025, 3, 31))]),
        (D(2025, 3, 11), D(2025, 4, 14), None, [(D(2025, 3, 11), D(2025, 4, 14))]),
        (
            D(2025, 1, 15),
            D(2025, 4, 2),
            (D(2025, 2, 1), D(2025, 3, 1)),
            [(D(2025, 1, 15), D(2025, 1, 31)), (D(2025, 4, 1), D(2025, 4, 2))],
        ),
        (D(2024, 2, 1), D(2024, 2, 29), (D(2024, 2, 1), D(2024, 2, 1)), []),
        (D(2025, 5, 5), D(2025, 5, 5), None, [(D(2025, 5, 5), D(2025, 5, 5))]),
    ],
)
def test_split_period(date_from, date_to, months, edges):
    assert split_period(date_from, date_to) == (months, edges)


def test_metrics_compute_reads_the_same_from_day_rows_and_month_rows(story):
    whole_months = metrics_compute(**BOTH)
    days_then_month = metrics_compute(date_from=D(2025, 3, 10), date_to=D(2025, 4, 30))

    assert days_then_month["rates"] == whole_months["rates"]
    assert days_then_month["counts"] == whole_months["counts"]


def test_metrics_compute_on_day_rows_only(story):
    m = metrics_compute(date_from=D(2025, 3, 11), date_to=D(2025, 4, 14))

    # d4 … d11 (d9's CG assignment, withdrawn before its sign deadline, is not counted).
    assert fractions(m) == {
        "response_rate": (7, 7),
        "resolution_rate": (5, 6),
        "satisfaction_rate": (3, 5),
        "on_time_rate": (3, 5),
        "first_contact_resolution_rate": (3, 4),
        "community_level_resolution_rate": (3, 4),
    }
    assert m["counts"]["total"] == 8
    assert {k: v for k, v in m["counts"]["by_status"].items() if v} == {
        "closed": 4,
        "merged": 1,
        "called_back": 1,
        "in_progress": 1,
        "invalid": 1,
    }


def test_metrics_compute_one_day(story):
    m = metrics_compute(date_from=D(2025, 3, 10), date_to=D(2025, 3, 10))

    assert m["counts"]["total"] == 3  # d1, d2, d3
    assert fractions(m)["response_rate"] == (2, 3)
    assert fractions(m)["first_contact_resolution_rate"] == (3, 3)


def test_metrics_compute_an_empty_period_has_no_values(story):
    m = metrics_compute(date_from=D(2025, 6, 1), date_to=D(2025, 6, 30))

    assert m["counts"]["total"] == 0
    assert m["rates"] and all(
        rate["value"] is None and rate["denominator"] == 0 for rate in m["rates"].values()
    )
    assert m["counts"]["by_category"] == [] and m["counts"]["by_community"] == []


def test_metrics_compute_counts_by_local_registration_day(world):
    # 23:30 on 31 March in Shanghai is 15:30 UTC: a March demand. 00:10 on 1 April is still 31 March in UTC.
    for moment in (
        dt.datetime(2025, 3, 31, 15, 30, tzinfo=dt.UTC),
        dt.datetime(2025, 3, 31, 16, 10, tzinfo=dt.UTC),
    ):
        with clock.at(moment):
            s.demand_register(
                actor=world.user("agent"), channel="hotline", demand_type="help", text="路灯坏了"
            )
    analytics_rollup_refresh()

    assert metrics_compute(date_from=D(2025, 3, 31), date_to=D(2025, 3, 31))["counts"]["total"] == 1
    assert metrics_compute(date_from=D(2025, 4, 1), date_to=D(2025, 4, 1))["counts"]["total"] == 1
    assert metrics_compute(**MARCH)["counts"]["total"] == 1


# --- areas ------------------------------------------------------------------------------------------


def test_metrics_compute_for_a_community(story):
    m = metrics_compute(area_id=story.w.community.pk, **BOTH)

    # Everything but d5 (涵江村) and d10 (no community).
    assert fractions(m) == {
        "response_rate": (8, 9),
        "resolution_rate": (6, 7),
        "satisfaction_rate": (4, 6),
        "on_time_rate": (4, 6),
        "first_contact_resolution_rate": (5, 6),
        "community_level_resolution_rate": (2, 6),
    }
    assert m["counts"]["total"] == 9
    assert names(m["counts"]["by_community"]) == [("金榕社区", 9)]
    assert m["scope"]["kind"] == "area"
    assert m["scope"]["area"] == {
        "id": story.w.community.pk,
        "code": "350902101001",
        "name": "金榕社区",
        "level": "community",
    }


def test_metrics_compute_for_a_village_with_no_rated_callback(story):
    m = metrics_compute(area_id=story.w.other_community.pk, **BOTH)

    # d5 only: signed on time, replied late, resolved by the street office, callback not rated.
    assert fractions(m) == {
        "response_rate": (1, 1),
        "resolution_rate": (1, 1),
        "satisfaction_rate": (0, 0),
        "on_time_rate": (0, 1),
        "first_contact_resolution_rate": (1, 1),
        "community_level_resolution_rate": (1, 1),
    }
    assert m["rates"]["satisfaction_rate"]["value"] is None
    assert m["rates"]["on_time_rate"]["value"] == 0.0


def test_metrics_compute_for_a_district_leaves_out_demands_without_a_community(story):
    m = metrics_compute(area_id=story.w.district.pk, **BOTH)

    assert m["counts"]["total"] == 10  # d10 has no community
    assert m["counts"]["by_status"]["invalid"] == 0
    assert fractions(m) == fractions(metrics_compute(**BOTH))  # d10 counts in no figure
    assert names(m["counts"]["by_community"]) == [("金榕社区", 9), ("涵江村", 1)]


def test_metrics_compute_for_the_city_root_is_everything(story):
    m = metrics_compute(area_id=story.w.city.pk, **BOTH)

    assert m["counts"]["total"] == 11
    assert names(m["counts"]["by_community"]) == [("金榕社区", 9), ("涵江村", 1), ("未关联社区", 1)]


def test_metrics_compute_for_an_area_on_day_rows(story):
    m = metrics_compute(area_id=story.w.community.pk, date_from=D(2025, 3, 10), date_to=D(2025, 3, 11))

    # d1, d2, d3, d4, d6 (d5 is in 涵江村).
    assert m["counts"]["total"] == 5
    assert fractions(m)["response_rate"] == (4, 5)


# --- units ------------------------------------------------------------------------------------------


def test_metrics_compute_for_a_department(story):
    m = metrics_compute(unit_id=story.w.cg.pk, **BOTH)

    # Lead unit CG now: d1, d2, d8, d11 (d9 went to JR). Assignments of CG: d1, d2 late, d8, d11
    # (d9 was withdrawn unsigned before its sign deadline: not counted).
    assert fractions(m) == {
        "response_rate": (3, 4),
        "resolution_rate": (3, 3),
        "satisfaction_rate": (1, 2),
        "on_time_rate": (1, 3),
        "first_contact_resolution_rate": (3, 3),
        "community_level_resolution_rate": (0, 3),
    }
    counts = m["counts"]
    assert counts["total"] == 4
    assert (counts["assignments_dispatched"], counts["assignments_signed"]) == (4, 4)
    assert {k: v for k, v in counts["by_status"].items() if v} == {"closed": 3, "in_progress": 1}
    assert names(counts["by_community"]) == [("金榕社区", 4)]
    assert sorted(names(counts["by_category"])) == [("交通运输", 1), ("城乡建设", 3)]
    assert m["scope"]["unit"] == {"id": story.w.cg.pk, "code": "CG", "name": "区城管局", "kind": "department"}


def test_metrics_compute_for_a_community_committee(story):
    m = metrics_compute(unit_id=story.w.committee.pk, **BOTH)

    # d4 (reopened, two assignments and two callbacks) and d9.
    assert fractions(m) == {
        "response_rate": (3, 3),
        "resolution_rate": (2, 3),
        "satisfaction_rate": (2, 3),
        "on_time_rate": (2, 2),
        "first_contact_resolution_rate": (1, 2),
        "community_level_resolution_rate": (2, 2),
    }
    assert m["counts"]["total"] == 2


def test_metrics_compute_for_an_assisting_unit(story):
    m = metrics_compute(unit_id=story.w.jj.pk, **BOTH)

    # Lead of d7 (called back, not closed); assisting on d2.
    assert fractions(m)["response_rate"] == (2, 2)
    assert m["counts"]["total"] == 1
    assert m["rates"]["first_contact_resolution_rate"]["value"] is None


def test_metrics_compute_for_a_unit_mixes_day_and_month_rows(story):
    whole = metrics_compute(unit_id=story.w.cg.pk, **BOTH)
    mixed = metrics_compute(unit_id=story.w.cg.pk, date_from=D(2025, 3, 10), date_to=D(2025, 4, 30))
    days = metrics_compute(unit_id=story.w.cg.pk, date_from=D(2025, 3, 2), date_to=D(2025, 4, 29))

    assert mixed["rates"] == whole["rates"] == days["rates"]
    assert mixed["counts"] == whole["counts"] == days["counts"]


# --- errors and queries -----------------------------------------------------------------------------


def test_metrics_compute_refuses_a_reversed_period(world):
    with pytest.raises(BadPeriod) as e:
        metrics_compute(date_from=D(2025, 4, 1), date_to=D(2025, 3, 1))
    assert e.value.code == "analytics.bad_period"


def test_metrics_compute_refuses_an_area_and_a_unit_together(world):
    with pytest.raises(BadScope):
        metrics_compute(area_id=world.community.pk, unit_id=world.cg.pk, **MARCH)


def test_metrics_compute_refuses_an_unknown_area(world):
    with pytest.raises(UnknownJurisdiction):
        metrics_compute(area_id=987654, **MARCH)


@pytest.mark.parametrize(
    "scope, period, queries",
    [
        # area 2 + month rows 2 + day rows 5 + assignments 2 + names 2 + as_of 1
        ("area", dict(date_from=D(2025, 3, 10), date_to=D(2025, 4, 30)), 14),
        ("area", BOTH, 8),
        ("unit", dict(date_from=D(2025, 3, 10), date_to=D(2025, 4, 30)), 12),
        ("city", dict(date_from=D(2025, 3, 11), date_to=D(2025, 4, 14)), 9),
        ("city", BOTH, 5),
    ],
)
def test_metrics_compute_query_count_does_not_grow_with_the_data(world, scope, period, queries):
    def count():
        kw = {"area": {"area_id": world.district.pk}, "unit": {"unit_id": world.cg.pk}, "city": {}}[scope]
        with CaptureQueriesContext(connection) as ctx:
            metrics_compute(**kw, **period)
        return len(ctx.captured_queries)

    build(world)
    analytics_rollup_refresh()
    small = count()
    for day in (10, 11, 31):
        for hour in (9, 10, 11):
            with clock.at(at(3, day, hour, 30)):
                d = s.demand_register(
                    actor=world.user("agent"),
                    channel="web",
                    demand_type="help",
                    text="路灯坏了",
                    phone="13900001111",
                    community_id=world.other_community.pk,
                    category_id=world.categories["traffic"].pk,
                )
                s.demand_dispatch(actor=world.user("dispatcher"), demand_id=d.pk, lead_unit_id=world.cg.pk)
    analytics_rollup_refresh()

    assert count() == small == queries
