"""GET /api/v1/metrics against the hand-counted story of ``scenario.py`` (given the story, when asked, then these numbers)."""

from __future__ import annotations

from linli.demands.tests.test_api import Api, expect

MARCH = {"date_from": "2025-03-01", "date_to": "2025-03-31"}
BOTH = {"date_from": "2025-03-01", "date_to": "2025-04-30"}


def metrics(user, **params):
    return Api(user).get("/metrics", params)


def fraction(body, rate="response_rate"):
    return body["rates"][rate]["numerator"], body["rates"][rate]["denominator"]


def test_city_metrics_for_march_match_the_hand_count(story):
    body = expect(metrics(story.w.user("dispatcher"), **MARCH), 200)

    # d1 1/1, d2 CG late + JJ on time, d4 2/2, d5, d7, d8 on time: 7 of 8 assignments signed on time.
    assert fraction(body) == (7, 8)
    assert body["rates"]["response_rate"]["value"] == 0.875
    assert body["rates"]["response_rate"]["label"] == "响应率"
    assert body["rates"]["response_rate"]["formula_en"].startswith(
        "assignments signed before the sign deadline"
    )
    # callbacks d1 res, d2 res, d4 unres + res, d5 res, d7 res
    assert fraction(body, "resolution_rate") == (5, 6)
    assert fraction(body, "satisfaction_rate") == (3, 4)
    assert body["counts"]["total"] == 8
    assert body["counts"]["by_channel"]["hotline"] == 6
    assert [(c["name"], c["count"]) for c in body["counts"]["by_community"]] == [
        ("金榕社区", 7),
        ("涵江村", 1),
    ]
    assert body["period"] == {
        "from": "2025-03-01",
        "to": "2025-03-31",
        "days": 31,
        "cohort": "registered",
        "cohort_note": "统计期内受理的诉求及其全部派单和回访",
        "cohort_note_en": "demands registered in the period, with all their assignments and callbacks",
        "timezone": "Asia/Shanghai",
    }
    assert body["scope"] == {"kind": "city", "area": None, "unit": None}
    assert body["as_of"] is not None


def test_metrics_of_an_area_and_of_a_unit(story):
    w = story.w
    area = expect(metrics(w.user("leader"), area=w.other_community.pk, **BOTH), 200)
    assert area["scope"]["area"]["name"] == "涵江村"
    assert area["counts"]["total"] == 1  # d5 only
    assert fraction(area) == (1, 1)

    # CG's assignments: d1 on time, d2 late, d8 on time, d11 on time; d9 was withdrawn unsigned before its
    # sign deadline (re-dispatched after 35 minutes), so it is not counted against CG.
    unit = expect(metrics(w.user("cg_handler"), unit=w.cg.pk, **BOTH), 200)
    assert fraction(unit) == (3, 4) and unit["rates"]["response_rate"]["value"] == 0.75
    assert unit["scope"]["unit"] == {"id": w.cg.pk, "code": "CG", "name": "区城管局", "kind": "department"}
    assert unit["counts"]["total"] == 4


def test_unit_staff_may_only_ask_for_their_own_unit(story):
    w = story.w
    for user, params in [
        ("cg_handler", {"unit": w.jj.pk}),
        ("cg_handler", {}),
        ("cg_boss", {"area": w.district.pk}),
        ("worker", {"unit": w.cg.pk}),
    ]:
        body = expect(metrics(w.user(user), **params, **MARCH), 403, "metrics.own_unit_only")
        assert "rates" not in body
    assert fraction(expect(metrics(w.user("worker"), unit=w.committee.pk, **BOTH), 200)) == (3, 3)


def test_a_reversed_or_too_long_period_is_refused(world):
    dispatcher = world.user("dispatcher")
    expect(metrics(dispatcher, date_from="2025-04-01", date_to="2025-03-01"), 422, "analytics.bad_period")
    expect(
        metrics(dispatcher, date_from="2022-01-01", date_to="2025-01-01"), 422, "analytics.period_too_long"
    )
    expect(
        metrics(dispatcher, date_from="2024-02-29", date_to="2027-03-01"), 422, "analytics.period_too_long"
    )
    assert (
        expect(metrics(dispatcher, date_from="2022-01-01", date_to="2024-12-31"), 200)["period"]["days"]
        == 1096
    )
    expect(metrics(dispatcher, date_from="2025-03-01"), 422, "request.invalid")
    expect(metrics(dispatcher, date_from="2025-13-01", date_to="2025-03-01"), 422, "request.invalid")


def test_unknown_scopes_are_404_and_both_scopes_at_once_422(world):
    dispatcher = world.user("dispatcher")
    expect(metrics(dispatcher, area=987654, **MARCH), 404, "org.unknown_jurisdiction")
    expect(metrics(dispatcher, unit=987654, **MARCH), 404, "org.unknown_unit")
    expect(metrics(dispatcher, area=world.district.pk, unit=world.cg.pk, **MARCH), 422, "analytics.bad_scope")


def test_metrics_need_a_login(world):
    expect(Api().get("/metrics", MARCH), 401, "auth.required")
