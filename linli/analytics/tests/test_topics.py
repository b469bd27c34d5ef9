"""Hot issues of an area and 每月一题: marked by the coordination office, tracked to an outcome."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.analytics import topic_services as ts
from linli.analytics.errors import BadTopic, TopicExists, TopicNotAllowed, TopicNotFound, TopicTransition
from linli.analytics.reports import report_scope_for
from linli.analytics.reports.hot_issues import hot_issues
from linli.analytics.tests.hot_story import MIXING, at, build, register
from linli.analytics.topic_selectors import topic_detail, topic_list
from linli.core import clock

pytestmark = pytest.mark.django_db
D = dt.date


def test_an_areas_hot_issue_is_one_problem_at_one_place_with_its_trend_and_communities(world):
    story = build(world)
    scope = report_scope_for(world.user("coord"))
    with clock.at(at(4, 30)):
        hot = hot_issues(scope=scope, date_from=D(2025, 3, 1), date_to=D(2025, 4, 30))
    first = hot["rows"][0]
    assert hot["total"] == 8
    assert sorted(first["demand_ids"]) == sorted(d.pk for d in story["hot"])
    assert "搅拌站" in first["label"] and first["size"] == 4 and first["share"] == 0.5
    assert first["communities"] == [("金榕社区", 4)]
    assert sum(t["count"] for t in first["trend"]) == 4 and len(first["trend"]) == 9  # weeks of March–April
    assert len(first["samples"]) == 3 and {s["id"] for s in first["samples"]} <= set(first["demand_ids"])
    assert (first["early"], first["late"], first["repeat_callers"]) == (4, 0, 1)
    # the other community's two unrelated demands are no hot issue
    assert all(r["communities"] != [("涵江村", 2)] for r in hot["rows"])


def test_the_office_marks_a_hot_issue_and_tracks_it_to_an_outcome(world):
    story = build(world)
    coord, ids = world.user("coord"), [d.pk for d in story["hot"]]
    with clock.at(at(4, 2)):
        topic = ts.topic_mark(
            actor=coord,
            title="金榕小区：搅拌站、噪音",
            place="金榕小区",
            lead_unit_id=world.cg.pk,
            assisting_unit_ids=[world.jj.pk, world.cg.pk],  # the lead is not also assisting
            demand_ids=ids[:2],
        )
        with pytest.raises(TopicExists):
            ts.topic_mark(actor=coord, title="另一个", lead_unit_id=world.cg.pk)
    assert (topic.month, topic.status, topic.area_id) == (D(2025, 4, 1), "open", None)
    assert list(topic.assisting_units.values_list("pk", flat=True)) == [world.jj.pk]

    with clock.at(at(4, 10)):
        ts.topic_demands_link(actor=coord, topic_id=topic.pk, demand_ids=ids)
        ts.topic_units_set(
            actor=coord,
            topic_id=topic.pk,
            lead_unit_id=world.street_office.pk,
            assisting_unit_ids=[world.cg.pk],
        )
        ts.topic_meeting_set(actor=coord, topic_id=topic.pk, meeting="4月10日联席会议（榕城区）")
        with pytest.raises(BadTopic):
            ts.topic_close(actor=coord, topic_id=topic.pk, outcome="  ")
        ts.topic_close(actor=coord, topic_id=topic.pk, outcome="搅拌站夜间停工，加装降尘设施")
        with pytest.raises(TopicTransition):
            ts.topic_close(actor=coord, topic_id=topic.pk, outcome="再次")
        detail = topic_detail(user=world.user("leader"), topic_id=topic.pk)

    t = detail["topic"]
    assert (t.status, t.lead_unit_id, t.meeting) == (
        "done",
        world.street_office.pk,
        "4月10日联席会议（榕城区）",
    )
    assert [d["pk"] for d in detail["demands"]] == sorted(ids)
    assert [e.kind for e in detail["events"]] == ["marked", "demands", "units", "meeting", "closed"]
    assert detail["events"][2].old == {"lead_unit": world.cg.pk, "assisting_units": [world.jj.pk]}
    with clock.at(at(4, 11)):
        ts.topic_reopen(actor=coord, topic_id=topic.pk, note="夜间又开工了")
    assert topic_detail(user=coord, topic_id=topic.pk)["topic"].status == "open"


def test_only_the_office_marks_and_each_person_sees_what_is_theirs(world):
    build(world)
    with pytest.raises(TopicNotAllowed):
        ts.topic_mark(actor=world.user("dispatcher"), title="x", lead_unit_id=world.cg.pk)
    with clock.at(at(4, 2)):
        topic = ts.topic_mark(actor=world.user("coord"), title="金榕小区搅拌站", lead_unit_id=world.cg.pk)
    assert list(topic_list(user=world.user("cg_handler"))) == [topic]  # the lead unit's staff
    assert list(topic_list(user=world.user("jj_handler"))) == []
    with pytest.raises(TopicNotFound):
        topic_detail(user=world.user("jj_handler"), topic_id=topic.pk)
    with pytest.raises(TopicNotAllowed):
        ts.topic_meeting_set(actor=world.user("leader"), topic_id=topic.pk, meeting="x")


def test_the_topic_counts_new_demands_on_the_issue_before_and_after_it_was_marked(world):
    story = build(world, mixing=3)  # 3, 12 and 21 March
    with clock.at(at(3, 25)):
        topic = ts.topic_mark(
            actor=world.user("coord"),
            title="金榕小区搅拌站",
            lead_unit_id=world.cg.pk,
            demand_ids=[story["hot"][0].pk],
        )
    register(world, MIXING[3], at(4, 2), phone="13900000001")
    register(world, MIXING[4], at(4, 9), phone="13900000002")
    register(world, "涵江村河道有人倒垃圾，气味难闻", at(4, 9), community=world.other_community)
    with clock.at(at(4, 20)):
        effect = topic_detail(user=world.user("coord"), topic_id=topic.pk)["effect"]
    assert (effect["before"], effect["after"], effect["after_days"]) == (3, 2, 26)
