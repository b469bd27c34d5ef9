"""The night-visit flow through services: plan, visit, issue → demand → meeting → resolved; double submit; report."""

import datetime as dt

import pytest

from linli.core import clock
from linli.demands import services as ds
from linli.demands.models import Demand, DemandEvent
from linli.visits import services as s
from linli.visits.errors import VisitInFuture
from linli.visits.models import PlanAssignment, Visit, VisitIssue, VisitsEvent
from linli.visits.report import campaign_report, campaign_report_xlsx
from linli.visits.tests import factories as f

pytestmark = pytest.mark.django_db


def test_round_plan_covers_both_communities_and_keeps_a_locked_cadre(world):
    campaign, (first, _second) = f.campaign(world)
    city, district, st1, st2 = f.cadres(world, street=2)
    s.plan_assignment_lock(
        actor=world.user("coord"), round_id=first.pk, community_id=world.other_community.pk, cadre_id=city.pk
    )
    s.round_plan(actor=world.user("coord"), round_id=first.pk)
    rows = PlanAssignment.objects.filter(round=first)
    assert rows.get(cadre=city).community_id == world.other_community.pk and rows.get(cadre=city).locked
    assert set(rows.values_list("community_id", flat=True)) == {world.community.pk, world.other_community.pk}
    first.refresh_from_db()
    assert first.plan_gaps == []
    assert VisitsEvent.objects.filter(subject_type="round", subject_id=first.pk, kind="planned").exists()


def test_round_plan_reports_the_uncovered_community_when_a_senior_cannot_go(world):
    campaign, (first, _second) = f.campaign(world)
    city, district, *_ = f.cadres(world)
    s.cadre_unavailable_add(actor=world.user("coord"), cadre_id=city.pk, date=first.date, reason="出差")
    s.round_plan(actor=world.user("coord"), round_id=first.pk)
    first.refresh_from_db()
    assert len(first.plan_gaps) == 1
    assert first.plan_gaps[0]["reason"] == "2026-06-03 没有可派的市级或区级干部"
    assert not PlanAssignment.objects.filter(round=first, cadre=city).exists()


def test_a_cadre_records_a_visit_issues_become_night_visit_demands(world):
    _c, (first, _s) = f.campaign(world)
    team = f.cadres(world)
    cadre_user = world.user("cg_handler")  # a department handler may not register demands himself
    team[1].user = cadre_user
    team[1].save()
    visit, created = s.visit_record(
        actor=cadre_user,
        round_id=first.pk,
        community_id=world.community.pk,
        client_token=f.token(),
        arrived_at=f.evening(),
        left_at=f.evening(hour=21),
        team_ids=[team[1].pk, team[2].pk],
        residents_met=12,
        riders_met=5,
        issues=[
            s.IssueInput(text="外卖骑手电动车进不了五洲花苑，送一单要绕二十分钟", demand_type="complaint"),
            s.IssueInput(
                text="路灯什么时候修？",
                demand_type="consultation",
                solved_on_spot=True,
                answer="已报修，本周内修好",
            ),
        ],
    )
    assert created
    demands = Demand.objects.filter(channel="night_visit").order_by("pk")
    assert demands.count() == 2
    open_one, solved = demands
    # the cadre who logged the visit is the actor of the demands and of every event they created
    assert open_one.status == "registered" and open_one.registered_by == cadre_user
    assert solved.status == "closed" and solved.resolved_at_intake and solved.resolved_by_grassroots
    actors = set(DemandEvent.objects.filter(demand__in=demands).values_list("actor_id", flat=True))
    assert actors == {cadre_user.pk}
    assert VisitIssue.objects.filter(visit=visit).count() == 2


def test_a_cadre_without_a_campaign_over_the_community_may_not_register_night_visit_demands(world):
    team = f.cadres(world)
    cadre_user = world.user("cg_handler")
    team[1].user = cadre_user
    team[1].save()
    with pytest.raises(Exception) as err:  # no campaign covers the community: not a visit, not an intake role
        ds.demand_register(
            channel="night_visit",
            demand_type="help",
            text="路灯不亮",
            community_id=world.community.pk,
            actor=cadre_user,
        )
    assert err.value.code == "demand.action_forbidden"
    with pytest.raises(Exception) as err:  # and never on another channel
        ds.demand_register(
            channel="hotline",
            demand_type="help",
            text="路灯不亮",
            community_id=world.community.pk,
            actor=cadre_user,
        )
    assert err.value.code == "demand.action_forbidden"
    assert not Demand.objects.exists()


def test_a_visit_before_the_evening_hours_is_refused(world):
    _c, (first, _s) = f.campaign(world)
    with pytest.raises(Exception) as err:
        s.visit_record(
            actor=world.user("worker"),
            round_id=first.pk,
            community_id=world.community.pk,
            client_token=f.token(),
            arrived_at=f.evening(hour=16),
        )
    assert err.value.code == "visits.before_evening_hours"
    assert Visit.objects.count() == 0


def test_a_visit_for_a_round_still_ahead_is_refused_with_its_own_code(world):
    _c, (first, second) = f.campaign(world)
    kwargs = dict(actor=world.user("worker"), community_id=world.community.pk)
    # 6 June: the first round (3 June) has been held, the second (10 June) is four days ahead.
    with clock.at(f.evening(dt.date(2026, 6, 6), hour=21)):
        with pytest.raises(VisitInFuture) as err:
            s.visit_record(
                round_id=second.pk, client_token=f.token(), arrived_at=f.evening(second.date), **kwargs
            )
        assert err.value.code == "visits.visit_in_future" and err.value.status == 422
        assert Visit.objects.count() == 0
        visit, created = s.visit_record(
            round_id=first.pk, client_token=f.token(), arrived_at=f.evening(first.date), **kwargs
        )
    assert created and visit.round_id == first.pk
    # On the evening itself, once the team has arrived, it can be recorded.
    with clock.at(f.evening(second.date, hour=20)):
        s.visit_record(
            round_id=second.pk, client_token=f.token(), arrived_at=f.evening(second.date), **kwargs
        )
    assert Visit.objects.count() == 2


def test_the_same_form_submitted_twice_creates_one_visit_and_one_demand(world):
    _c, (first, _s) = f.campaign(world)
    token = f.token()
    kwargs = dict(
        actor=world.user("worker"),
        round_id=first.pk,
        community_id=world.community.pk,
        client_token=token,
        arrived_at=f.evening(),
        issues=[s.IssueInput(text="楼道堆放杂物，消防通道被堵")],
    )
    one, created_one = s.visit_record(**kwargs)
    two, created_two = s.visit_record(**kwargs)
    assert (created_one, created_two) == (True, False) and one.pk == two.pk
    assert Visit.objects.count() == 1 and Demand.objects.filter(channel="night_visit").count() == 1


def test_a_community_worker_records_only_for_own_community(world):
    _c, (first, _s) = f.campaign(world)
    with pytest.raises(Exception) as err:
        s.visit_record(
            actor=world.user("worker"),
            round_id=first.pk,
            community_id=world.other_community.pk,
            client_token=f.token(),
            arrived_at=f.evening(),
        )
    assert err.value.code == "visits.not_allowed"


def test_linking_an_existing_demand_is_idempotent(world):
    _c, (first, _s) = f.campaign(world)
    visit, _ = s.visit_record(
        actor=world.user("worker"),
        round_id=first.pk,
        community_id=world.community.pk,
        client_token=f.token(),
        arrived_at=f.evening(),
    )
    d = ds.demand_register(
        channel="night_visit",
        demand_type="help",
        text="小区门口积水",
        community_id=world.community.pk,
        actor=world.user("agent"),
    )
    a = s.visit_issue_link(actor=world.user("coord"), visit_id=visit.pk, demand_id=d.pk)
    b = s.visit_issue_link(actor=world.user("coord"), visit_id=visit.pk, demand_id=d.pk)
    assert a.pk == b.pk and a.linked and VisitIssue.objects.count() == 1


def test_full_loop_issue_meeting_action_item_resolved(world):
    coord = world.user("coord")
    _c, (first, _s) = f.campaign(world)
    visit, _ = s.visit_record(
        actor=world.user("worker"),
        round_id=first.pk,
        community_id=world.community.pk,
        client_token=f.token(),
        arrived_at=f.evening(),
        issues=[s.IssueInput(text="骑手进小区难，需要物业和住建一起协调", demand_type="complaint")],
    )
    demand = visit.issues.get().demand
    meeting = s.meeting_create(
        actor=coord,
        topic="骑手进小区协调会",
        held_at=f.evening(dt.date(2026, 6, 11), 15),
        place="街道会议室",
        community_id=world.community.pk,
        convened_by_id=world.street_office.pk,
        unit_ids=[world.street_office.pk, world.committee.pk, world.cg.pk],
        representatives="骑手代表 2 名\n物业公司经理",
        decisions="骑手在门口停车，换乘物业提供的自行车；登记骑手刷脸进入",
    )
    s.meeting_refer_demand(actor=world.user("dispatcher"), meeting_id=meeting.pk, demand_id=demand.pk)
    s.meeting_refer_demand(actor=world.user("dispatcher"), meeting_id=meeting.pk, demand_id=demand.pk)
    assert meeting.referrals.count() == 1
    item = s.action_item_add(
        actor=coord,
        meeting_id=meeting.pk,
        text_="物业采购共享自行车",
        owner_unit_id=world.cg.pk,
        deadline=dt.date(2026, 6, 30),
        demand_ids=[demand.pk],
    )
    with pytest.raises(Exception) as err:
        s.action_item_complete(actor=world.user("jj_handler"), item_id=item.pk, note="完成")
    assert err.value.code == "visits.action_item_not_found"
    done = s.action_item_complete(actor=world.user("cg_handler"), item_id=item.pk, note="已投放 20 辆自行车")
    assert done.status == "done" and done.done_note == "已投放 20 辆自行车"
    with pytest.raises(Exception) as err:
        s.action_item_complete(actor=world.user("cg_handler"), item_id=item.pk, note="再次")
    assert err.value.code == "visits.transition_not_allowed" and err.value.status == 409
    # The demand runs the closed loop to the end.
    ds.demand_dispatch(
        actor=world.user("dispatcher"),
        demand_id=demand.pk,
        category_id=world.categories["mid"].pk,
        lead_unit_id=world.committee.pk,
    )
    assignment = demand.assignments.get()
    ds.assignment_sign(actor=world.user("worker"), demand_id=demand.pk, assignment_id=assignment.pk)
    ds.assignment_reply(
        actor=world.user("worker"),
        demand_id=demand.pk,
        assignment_id=assignment.pk,
        result="协调会议定，骑手刷脸进入，已落实",
    )
    ds.demand_callback(
        actor=world.user("agent"), demand_id=demand.pk, resolved=True, satisfaction="satisfied"
    )
    demand.refresh_from_db()
    assert demand.resolved
    kinds = set(
        VisitsEvent.objects.filter(subject_type__in=["meeting", "action_item"]).values_list("kind", flat=True)
    )
    assert {"created", "demand_referred", "action_added", "completed"} <= kinds
    designation = s.designation_create(
        actor=coord,
        compound="五洲花苑",
        community_id=world.community.pk,
        title="骑手友好示范小区",
        designated_on=dt.date(2026, 7, 1),
        by_unit_id=world.street_office.pk,
        reason="骑手换乘自行车、刷脸进入",
        meeting_id=meeting.pk,
    )
    assert designation.meeting == meeting


def test_report_counts_match_a_hand_counted_fixture(world):
    coord = world.user("coord")
    _c, (first, second) = f.campaign(world)
    city, district, st1, st2 = f.cadres(world)
    s.visit_record(
        actor=coord,
        round_id=first.pk,
        community_id=world.community.pk,
        client_token=f.token(),
        arrived_at=f.evening(),
        team_ids=[city.pk, st1.pk],
        issues=[
            s.IssueInput(text="问题一：小区门禁坏了", solved_on_spot=True, answer="物业当场修好"),
            s.IssueInput(text="问题二：夜市噪声扰民"),
        ],
    )
    s.visit_record(
        actor=world.user("admin"),
        round_id=first.pk,
        community_id=world.other_community.pk,
        client_token=f.token(),
        arrived_at=f.evening(),
        team_ids=[district.pk, st2.pk],
        issues=[s.IssueInput(text="问题三：村道路灯不亮")],
    )
    demand3 = Demand.objects.get(text__startswith="问题三")
    ds.demand_dispatch(
        actor=world.user("dispatcher"),
        demand_id=demand3.pk,
        category_id=world.categories["mid"].pk,
        lead_unit_id=world.cg.pk,
    )
    report = campaign_report(campaign=first.campaign)
    # Hand count: 2 rounds, 1 held; cadres city 1, district 1, street 2; 2 of 2 communities; 2 visits; 3 issues;
    # issue one is registered and solved on the spot by 金榕's community worker: grassroots, and at the first visit.
    assert (report["rounds_total"], report["rounds_held"]) == (2, 1)
    assert [r["count"] for r in report["cadres_by_level"]] == [1, 1, 2]
    assert (report["communities_covered"], report["communities_total"]) == (2, 2)
    assert (report["visits"], report["issues"]) == (2, 3)
    assert report["resolved_first_visit"] == 1 and report["resolved_first_visit_share"] == 0.3333
    assert report["resolved_grassroots"] == 1 and report["open_issues"] == 2
    assert report["open_by_unit"] == [{"unit": "区城管局", "count": 1}, {"unit": "未派单", "count": 1}]
    assert campaign_report_xlsx(campaign=first.campaign, report=report)[:2] == b"PK"


def test_an_action_item_can_open_a_new_demand_in_the_meetings_community(world):
    coord = world.user("coord")
    meeting = s.meeting_create(
        actor=coord, topic="夜市协调会", held_at=f.evening(), community_id=world.community.pk
    )
    item = s.action_item_add(
        actor=coord,
        meeting_id=meeting.pk,
        text_="规范夜市摊位",
        owner_unit_id=world.cg.pk,
        deadline=f.EVENING,
    )
    s.action_item_demand_create(
        actor=coord, item_id=item.pk, text_="夜市摊位占用消防通道，需城管和社区共同整治"
    )
    demand = item.demands.get()
    assert demand.channel == "walk_in" and demand.community == world.community
    # the person who clicked registers it, not a community worker who was not there
    assert demand.registered_by == coord
    assert set(DemandEvent.objects.filter(demand=demand).values_list("actor_id", flat=True)) == {coord.pk}


def test_a_street_planner_registers_the_demand_of_their_meetings_action_item_in_their_own_name(world):
    """A street office's handler may not register demands at intake; from their own meeting's action item
    they may, and the demand's events name them. Elsewhere (intake, another street) the rule gives nothing."""
    from linli.org.services import jurisdiction_create, staff_create, unit_create
    from linli.org.states import Role
    from linli.org.tests.factories import PASSWORD

    handler = staff_create(
        username="jh_handler", password=PASSWORD, role=Role.UNIT_HANDLER, unit=world.street_office
    )
    meeting = s.meeting_create(
        actor=handler, topic="金榕夜市协调会", held_at=f.evening(), community_id=world.community.pk
    )
    item = s.action_item_add(
        actor=handler,
        meeting_id=meeting.pk,
        text_="规范夜市摊位",
        owner_unit_id=world.cg.pk,
        deadline=f.EVENING,
    )
    s.action_item_demand_create(actor=handler, item_id=item.pk, text_="夜市摊位占用消防通道")
    demand = item.demands.get()
    assert demand.registered_by == handler
    assert list(DemandEvent.objects.filter(demand=demand).values_list("actor_id", flat=True)) == [handler.pk]
    assert not DemandEvent.objects.filter(actor=world.user("worker")).exists()
    # the rule is for demands arising from a meeting: the same person cannot register a walk-in at intake
    with pytest.raises(Exception) as err:
        ds.demand_register(
            channel="walk_in",
            demand_type="help",
            text="窗口登记",
            community_id=world.community.pk,
            actor=handler,
        )
    assert err.value.code == "demand.action_forbidden"
    # and a street office of another street cannot open one from this meeting's item
    street = jurisdiction_create(code="350902102", name="榕东街道", level="street", parent=world.district)
    office = unit_create(code="RD", name="榕东街道办事处", kind="street_office", jurisdiction=street)
    other = staff_create(username="rd_handler", password=PASSWORD, role=Role.UNIT_HANDLER, unit=office)
    with pytest.raises(Exception) as err:
        s.action_item_demand_create(actor=other, item_id=item.pk, text_="越界登记")
    assert err.value.code == "visits.action_item_not_found"
    assert item.demands.count() == 1


def test_a_cadre_cannot_be_locked_onto_an_evening_they_cannot_go(world):
    _c, (first, _s) = f.campaign(world)
    city, *_ = f.cadres(world)
    s.cadre_unavailable_add(actor=world.user("coord"), cadre_id=city.pk, date=first.date, reason="值班")
    with pytest.raises(Exception) as err:
        s.plan_assignment_lock(
            actor=world.user("coord"), round_id=first.pk, community_id=world.community.pk, cadre_id=city.pk
        )
    assert err.value.code == "visits.invalid"
    assert not PlanAssignment.objects.filter(cadre=city).exists()


def test_a_street_office_plans_only_on_its_own_street(world):
    from linli.org.services import jurisdiction_create

    elsewhere = jurisdiction_create(code="350902102", name="别的街道", level="street", parent=world.district)
    boss = world.user("cg_boss")
    boss.unit = world.street_office
    boss.save()
    s.campaign_create(
        actor=boss, name="本街道夜访", area_id=world.street.pk, starts_on=f.EVENING, ends_on=f.EVENING
    )
    with pytest.raises(Exception) as err:
        s.campaign_create(
            actor=boss, name="越界", area_id=elsewhere.pk, starts_on=f.EVENING, ends_on=f.EVENING
        )
    assert err.value.code == "visits.campaign_not_found"
