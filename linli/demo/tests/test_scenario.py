"""The demo scenario: one small load (300 demands) shared by the module and rolled back at its end."""

import io
import random

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test.utils import override_settings

from linli.demands.selectors import DemandFilters, demand_list
from linli.demands.states import Channel, DemandStatus
from linli.demo.errors import DemoAlreadyLoaded
from linli.demo.plan import apportion, quota
from linli.demo.scenario import DEMO_PASSWORD, demo_load, demo_logins, demo_summary
from linli.dispatch.selectors import category_list, route_unit
from linli.org.selectors import jurisdiction_list, staff_list, unit_get
from linli.org.states import Role

# Django re-hashes the demo password at full strength on first login; MD5 keeps that cheap here.
FAST_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@pytest.mark.django_db
def test_demo_load_reaches_every_status(demo):
    assert set(demo["by_status"]) == set(DemandStatus.values)
    assert demo["demands"] == 300 == sum(demo["by_status"].values())


@pytest.mark.django_db
def test_demo_load_uses_every_channel_with_the_hotline_in_the_majority(demo):
    by_channel = demo["by_channel"]
    assert set(by_channel) == set(Channel.values)
    assert by_channel[Channel.HOTLINE] > sum(by_channel.values()) / 2


@pytest.mark.django_db
def test_school_gate_traffic_and_vendors_are_about_a_third_of_the_township_complaints(demo):
    assert demo["township"] == "金溪乡"
    assert demo["township_complaints"] > 30
    assert 0.28 <= demo["township_hotspot_share"] <= 0.40
    assert 0.28 <= demo["township_hotspot_share_all_types"] <= 0.40


@pytest.mark.django_db
def test_every_role_has_a_demo_login_that_authenticates(demo):
    logins = demo_logins()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        for role in Role:
            username = next(x.username for x in logins if x.role == role)
            user = authenticate(username=username, password=DEMO_PASSWORD)
            assert user is not None and user.role == role, username
    assert authenticate(username="agent1", password="wrong") is None


@pytest.mark.django_db
def test_the_jinrong_community_has_nine_cadres_and_the_school(demo):
    cadres = staff_list().filter(unit__code="JR-JWH")
    assert cadres.count() == 9
    # the party secretary decides the committee's extension and return requests
    assert cadres.filter(role=Role.UNIT_SUPERVISOR).count() == 1
    jinrong = jurisdiction_list().get(code="359702201001")
    assert jinrong.population >= 20000 and jinrong.units.filter(kind="school").exists()


@pytest.mark.django_db
def test_the_dispatch_catalogue_routes_every_category_in_every_community(demo):
    communities = jurisdiction_list().filter(level__in=["community", "village"])
    leaves = category_list(level=3)
    assert leaves.count() >= 80 and category_list(level=1).count() == 15
    missing = [
        (c.full_name, j.name)
        for c in leaves
        for j in communities
        if route_unit(category=c, community=j) is None
    ]
    assert missing == []


@pytest.mark.django_db
def test_the_catalogue_sends_jinrong_vendors_to_the_committee_and_school_traffic_to_the_police(demo):
    jinrong = jurisdiction_list().get(code="359702201001")
    other = jurisdiction_list().get(code="359702001001")
    vendors = category_list().get(full_name="城乡建设/市容环境/占道经营")
    school_gate = category_list().get(full_name="交通运输/道路交通秩序/校园周边交通拥堵")
    assert unit_get(unit_id=route_unit(category=vendors, community=jinrong)).name == "金榕社区居委会"
    assert unit_get(unit_id=route_unit(category=vendors, community=other)).name == "蕉湾区城市管理局"
    assert (
        unit_get(unit_id=route_unit(category=school_gate, community=jinrong)).name
        == "宁川市公安局交警支队蕉湾大队"
    )


@pytest.mark.django_db
def test_school_gate_demands_are_handled_jointly_with_assisting_units(demo):
    admin = staff_list().get(username="admin")
    school_gate = category_list().get(full_name="交通运输/道路交通秩序/校园周边交通拥堵")
    qs = demand_list(user=admin, filters=DemandFilters(category_id=school_gate.pk))
    joint = [d for d in qs if d.assignments.filter(role="assisting").exists()]
    assert joint, "no school-gate demand had assisting units"


@pytest.mark.django_db
def test_loading_twice_is_refused_and_changes_nothing(demo):
    before = demo_summary()
    with pytest.raises(DemoAlreadyLoaded):
        demo_load(seed=2026, demands=300)
    assert demo_summary() == before


@pytest.mark.django_db
def test_the_command_on_a_loaded_database_says_so_and_prints_the_logins(demo):
    out = io.StringIO()
    call_command("demo", stdout=out, skip_checks=True)
    text = out.getvalue()
    assert "已有演示数据" in text and DEMO_PASSWORD in text
    assert "jinrong9" in text and "dispatcher1" in text


def test_apportion_is_exact_and_quota_keeps_the_counts():
    parts = apportion(100, {"a": 0.5, "b": 0.3, "c": 0.2001})
    assert parts == {"a": 50, "b": 30, "c": 20}
    assert sum(apportion(7, {"a": 1, "b": 1, "c": 1}).values()) == 7
    items = quota(random.Random(1), 10, {"x": 0.7, "y": 0.3})
    assert sorted(items) == ["x"] * 7 + ["y"] * 3


@pytest.mark.django_db
def test_the_printed_summary_names_only_what_the_data_holds(demo):
    import re

    from linli.demo.management.commands.demo import Command
    from linli.visits.models import Meeting, Round

    out = io.StringIO()
    Command(stdout=out)._summary(demo)
    text = out.getvalue()
    assert "联席会议" not in text  # the plan's 金榕 meeting date is no meeting in the data
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", text)
    assert dates
    for day in dates:
        held = Meeting.objects.filter(held_at__date=day).exists()
        assert held or Round.objects.filter(date=day, visits__isnull=False).exists(), day
    assert "统计汇总已刷新" in text and demo["rollup"]["days"] > 0


@pytest.mark.django_db
def test_the_demo_trains_smart_dispatch_and_its_suggestions_hold_up_after_a_cut_off(demo):
    from linli.demands.models import Demand
    from linli.dispatch.evaluation import holdout_check

    assert any(line.startswith("智能派单模型 v") for line in demo["extra"])
    # train on the demands registered before the cut-off (60% of the year's demands), score the rest
    dates = sorted(Demand.objects.values_list("registered_at", flat=True))
    result = holdout_check(cutoff=dates[int(len(dates) * 0.6)])
    assert result["scored"] >= 80 and result["trained_on"]["demands"] >= 100
    assert result["category_hit"] >= 0.85
    assert result["unit_suggested"] >= 0.90


@pytest.mark.django_db
def test_the_school_gate_demands_are_one_hot_issue_of_the_township(demo):
    """The designed hotspot (traffic and vendors at 第二实验学校's gate) is one issue, not eight sub-issues."""
    import datetime as dt

    from django.utils import timezone

    from linli.analytics.reports.hot_issues import hot_issues
    from linli.analytics.reports.scope import area_scope
    from linli.demands.models import Demand
    from linli.demo.world import HOTSPOT_LEAVES, JINRONG_CODE, TOWNSHIP_CODE

    school_gate = Demand.objects.filter(
        community__code=JINRONG_CODE, category__full_name__in=HOTSPOT_LEAVES
    ).values_list("pk", "registered_at")
    gate_ids = {pk for pk, _ in school_gate}
    days = [timezone.localtime(at).date() for _, at in school_gate]
    assert len(gate_ids) >= 20
    township = jurisdiction_list().get(code=TOWNSHIP_CODE)
    found = hot_issues(
        scope=area_scope(township), date_from=max(days) - dt.timedelta(days=365), date_to=max(days), top=5
    )
    first = found["rows"][0]
    held = gate_ids & set(first["demand_ids"])
    assert len(held) >= 0.8 * len(gate_ids), [(r["label"], r["size"]) for r in found["rows"]]
    assert len(held) >= 0.8 * first["size"]
    assert first["place"] == "第二实验学校门口"
    assert "校园周边交通拥堵" in first["label"] and "占道经营" in first["label"]
    assert all(len(gate_ids & set(r["demand_ids"])) <= 2 for r in found["rows"][1:])


@pytest.mark.django_db
def test_the_coordination_office_took_on_the_school_gate_issue_as_a_monthly_topic(demo):
    import datetime as dt

    from linli.analytics.models import MonthlyTopic
    from linli.demands.models import Demand
    from linli.demo.topic_demo import WINDOW_DAYS
    from linli.demo.world import HOTSPOT_LEAVES, JINRONG_CODE, TOWNSHIP_CODE

    assert any(line.startswith("每月一题 ") for line in demo["extra"])
    topic = MonthlyTopic.objects.get()
    assert topic.area.code == TOWNSHIP_CODE and topic.marked_by.username == "xietiao2"
    assert topic.title.startswith("第二实验学校门口：") and topic.status == "open"
    assert topic.lead_unit.code == "JW-JJ"
    assert set(topic.assisting_units.values_list("code", flat=True)) == {"JW-CG", "JW-SY2", "BUS", "JR-JWH"}
    # the linked demands are the hot issue's: the school-gate demands of the half-year before the marking
    linked = set(topic.demands.values_list("pk", flat=True))
    before = set(
        Demand.objects.filter(
            community__code=JINRONG_CODE,
            category__full_name__in=HOTSPOT_LEAVES,
            registered_at__lte=topic.marked_at,
            registered_at__gte=topic.marked_at - dt.timedelta(days=WINDOW_DAYS),
        ).values_list("pk", flat=True)
    )
    assert len(before) >= 3 and len(linked & before) >= 0.8 * len(before)
    assert len(linked & before) >= 0.8 * len(linked)
    assert "护学岗" in topic.meeting
    assert list(topic.events.order_by("at", "pk").values_list("kind", flat=True)) == ["marked", "meeting"]
