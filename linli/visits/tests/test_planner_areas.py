"""The planner with home areas and without pile-ups: where cadres may go, repeat visits at the known minimum,
the same plan every time, the greedy fallback, and why each cadre is where they are."""

import datetime as dt
from collections import Counter

import pytest

from linli.org.services import jurisdiction_create
from linli.visits import planner
from linli.visits import services as s
from linli.visits.models import PlanAssignment
from linli.visits.planner import PlanCadre, cadre_area, plan_campaign, plan_round
from linli.visits.planner_solver import SolverFailed

DAY = dt.date(2026, 6, 3)
STREET_A, STREET_B = "/35/3501/3501001/", "/35/3501/3501002/"
OTHER_DISTRICT = "/35/3502/3502001/"


def dates(n: int) -> list[dt.date]:
    return [DAY + dt.timedelta(days=14 * k) for k in range(n)]


def pairs(plans) -> Counter:
    return Counter((cid, c) for p in plans for c, team in p.teams.items() for cid in team)


def repeats(plans) -> int:
    return sum(n - 1 for n in pairs(plans).values())


def two_streets():
    """Street A: communities 1-3; street B: 4-6; another district: 7-8. Street cadres live in one street."""
    paths = {k: f"{STREET_A}{k}/" for k in (1, 2, 3)}
    paths |= {k: f"{STREET_B}{k}/" for k in (4, 5, 6)}
    paths |= {k: f"{OTHER_DISTRICT}{k}/" for k in (7, 8)}
    cadres = (
        [PlanCadre(i, "city") for i in range(1, 5)]
        + [PlanCadre(10 + i, "district", area="/35/3501/") for i in range(1, 6)]
        + [PlanCadre(20 + i, "district", area="/35/3502/") for i in range(1, 3)]
        + [PlanCadre(30 + i, "street", area=STREET_A) for i in range(1, 5)]
        + [PlanCadre(40 + i, "street", area=STREET_B) for i in range(1, 5)]
        + [PlanCadre(50 + i, "street", area=OTHER_DISTRICT) for i in range(1, 4)]
    )
    return paths, cadres


def test_a_cadre_area_is_their_street_or_district_and_the_city_level_goes_anywhere():
    home = "/3509/350902/350902101/350902101001/"  # a community of 金涵乡
    assert cadre_area(level="street", home_path=home) == "/3509/350902/350902101/"
    assert cadre_area(level="district", home_path=home) == "/3509/350902/"
    assert cadre_area(level="city", home_path=home) == ""
    # no home area: the unit's area; a street cadre of a district unit goes anywhere in that district
    assert cadre_area(level="street", unit_path="/3509/350902/") == "/3509/350902/"
    assert cadre_area(level="street") == ""


@pytest.mark.parametrize("method", ["solver", "greedy"])
def test_street_and_district_cadres_are_never_planned_outside_their_home_area(method):
    paths, cadres = two_streets()
    area = {c.id: c.area for c in cadres}
    plans = plan_campaign(
        dates=dates(6), communities=sorted(paths), cadres=cadres, paths=paths, method=method
    )
    assert all(p.gaps == [] for p in plans) and all(len(p.teams) == 8 for p in plans)
    for (cid, community), _n in pairs(plans).items():
        assert paths[community].startswith(area[cid]), (cid, community)
    # the city-level cadres do go to both districts
    assert {paths[c][:9] for (cid, c) in pairs(plans) if cid < 10} == {"/35/3501/", "/35/3502/"}


def test_a_community_no_street_cadre_may_visit_is_a_gap_with_the_reason():
    paths = {1: f"{STREET_A}1/", 2: f"{STREET_B}2/"}
    cadres = [PlanCadre(1, "city"), PlanCadre(2, "city"), PlanCadre(3, "street", area=STREET_A)]
    result = plan_round(
        date=DAY, communities=[1, 2], cadres=cadres, unavailable=set(), load={}, seen=set(), paths=paths
    )
    assert [(g.community_id, g.reason) for g in result.gaps] == [(2, "2026-06-03 没有可派的镇街级干部")]
    assert sorted(result.teams[1]) == [1, 2, 3]  # the spare city cadre joins the covered community


def test_no_repeat_visit_when_every_cadre_can_see_every_community_once():
    """10 communities, 10 seniors, 10 street cadres, teams of two, 10 rounds: everyone meets every
    community exactly once. The greedy repeats itself here; the planner must not."""
    cadres = [PlanCadre(i, "district") for i in range(1, 11)] + [
        PlanCadre(i, "street") for i in range(11, 21)
    ]
    communities = list(range(100, 110))
    kw = dict(dates=dates(10), communities=communities, cadres=cadres, team_max=2)
    solved = plan_campaign(**kw)
    assert repeats(plan_campaign(**kw, method="greedy")) > 0
    assert repeats(solved) == 0
    assert all(len(p.teams) == 10 and p.gaps == [] for p in solved)
    assert set(pairs(solved)) == {(cid, c) for cid in range(1, 21) for c in communities}


def test_forced_repeats_are_at_the_minimum_and_spread_evenly():
    """Street A has 3 communities and 3 street cadres going 7 times each: 4 repeats each is the least
    possible, and nobody sees one community more than 3 times (7 = 3 + 2 + 2)."""
    paths = {k: f"{STREET_A}{k}/" for k in (1, 2, 3)}
    cadres = [PlanCadre(i, "city") for i in range(1, 4)] + [
        PlanCadre(i, "street", area=STREET_A) for i in range(11, 14)
    ]
    plans = plan_campaign(dates=dates(7), communities=[1, 2, 3], cadres=cadres, paths=paths, team_max=2)
    street = {k: n for k, n in pairs(plans).items() if k[0] > 10}
    assert sum(street.values()) == 21
    assert sum(n - 1 for n in street.values()) == 3 * (7 - 3)
    assert max(street.values()) == 3 and len(street) == 9


def test_the_same_input_gives_the_same_plan():
    paths, cadres = two_streets()
    off = {d: {31, 12} if i % 2 else {41} for i, d in enumerate(dates(5))}
    kw = dict(dates=dates(5), communities=sorted(paths), cadres=cadres, unavailable=off, paths=paths)
    first = [p.teams for p in plan_campaign(**kw)]
    again = [p.teams for p in plan_campaign(**kw)]
    shuffled = [p.teams for p in plan_campaign(**(kw | {"cadres": list(reversed(cadres))}))]
    assert first == again == shuffled


def test_when_the_solver_gives_nothing_the_greedy_plans_the_round_and_says_so(monkeypatch):
    def broken(**kw):
        raise SolverFailed("time limit")

    monkeypatch.setattr(planner, "solve_round", broken)
    paths, cadres = two_streets()
    result = plan_round(
        date=DAY,
        communities=sorted(paths),
        cadres=cadres,
        unavailable=set(),
        load={},
        seen=set(),
        paths=paths,
    )
    assert result.method == "greedy" and "time limit" in result.note and "贪心" in result.note
    assert len(result.teams) == 8 and result.gaps == []


def test_each_planned_cadre_says_why_they_are_there():
    paths = {1: f"{STREET_A}1/", 2: f"{STREET_A}2/"}
    cadres = [PlanCadre(1, "city"), PlanCadre(2, "city"), PlanCadre(3, "street", area=STREET_A)]
    cadres += [PlanCadre(4, "street", area=STREET_A)]
    seen = {(3, 1): 1, (3, 2): 1}  # cadre 3 has been to both communities of street A
    result = plan_round(
        date=DAY,
        communities=[1, 2],
        cadres=cadres,
        unavailable=set(),
        load={},
        seen=seen,
        paths=paths,
        locked={2: [1]},
        team_max=2,
    )
    assert result.why[1] == "手工锁定"
    assert result.why[4] == "首次走访该社区"
    assert result.why[3] == "第2次走访该社区：可去的2个社区都已走访过"


@pytest.mark.parametrize("method", ["solver", "greedy"])
def test_a_locked_cadre_who_left_the_pool_counts_for_no_team(method):
    cadres = [PlanCadre(1, "city"), PlanCadre(2, "street")]
    result = plan_round(
        date=DAY,
        communities=[1],
        cadres=cadres,
        unavailable=set(),
        load={},
        seen=set(),
        locked={1: [99]},
        method=method,
    )
    assert sorted(result.teams[1]) == [1, 2] and result.gaps == []


@pytest.mark.django_db
def test_round_plan_keeps_street_cadres_in_their_own_street(world):
    """A district campaign over two streets: each street's cadres stay in their street."""
    coord = world.user("coord")
    other_street = jurisdiction_create(code="350902102", name="天宝镇", level="street", parent=world.district)
    far = jurisdiction_create(code="350902102001", name="洪坑村", level="village", parent=other_street)
    campaign = s.campaign_create(
        actor=coord,
        name="榕城区夜访",
        area_id=world.district.pk,
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 8, 31),
    )
    rounds = [s.round_add(actor=coord, campaign_id=campaign.pk, date=d) for d in dates(3)]
    for i in range(3):
        s.cadre_create(actor=coord, name=f"市级{i}", level="city")
    here = [
        s.cadre_create(actor=coord, name=f"金涵{i}", level="street", home_area_id=world.community.pk)
        for i in range(2)
    ]
    there = s.cadre_create(actor=coord, name="天宝1", level="street", home_area_id=other_street.pk)
    for r in rounds:
        s.round_plan(actor=coord, round_id=r.pk)
        r.refresh_from_db()
        assert r.plan_gaps == []
    planned = PlanAssignment.objects.filter(round__campaign=campaign)
    assert set(planned.filter(cadre__in=here).values_list("community_id", flat=True)) == {
        world.community.pk,
        world.other_community.pk,
    }
    assert set(planned.filter(cadre=there).values_list("community_id", flat=True)) == {far.pk}
