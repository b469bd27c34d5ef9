"""The planner on small cases with a known answer, on rotation, locks, and an infeasible case."""

import datetime as dt

from linli.visits.planner import PlanCadre, plan_campaign, plan_round

DAY = dt.date(2026, 6, 3)


def pool(seniors: int, locals_: int) -> list[PlanCadre]:
    return [PlanCadre(i, "district") for i in range(1, seniors + 1)] + [
        PlanCadre(100 + i, "street") for i in range(1, locals_ + 1)
    ]


def plan(**kw):
    args = dict(date=DAY, communities=[1, 2], cadres=pool(2, 2), unavailable=set(), load={}, seen=set())
    args.update(kw)
    return plan_round(**args)


def test_two_communities_each_get_one_senior_and_one_street_cadre():
    result = plan(team_max=2)
    assert result.gaps == []
    assert sorted(len(t) for t in result.teams.values()) == [2, 2]
    for team in result.teams.values():
        assert {i < 100 for i in team} == {True, False}


def test_rotation_sends_new_faces_the_next_round():
    first, second = plan_campaign(
        dates=[DAY, DAY + dt.timedelta(days=7)], communities=[1, 2], cadres=pool(2, 2), team_max=2
    )
    for community in (1, 2):
        assert not set(first.teams[community]) & set(second.teams[community])


def test_loads_stay_even_across_rounds():
    plans = plan_campaign(
        dates=[DAY + dt.timedelta(days=7 * k) for k in range(6)],
        communities=[1, 2, 3],
        cadres=pool(4, 5),
        team_max=2,
    )
    load = {}
    for p in plans:
        for team in p.teams.values():
            for cid in team:
                load[cid] = load.get(cid, 0) + 1
    # 18 senior slots over 4 seniors and 18 street slots over 5 street cadres: even within each level.
    seniors = [n for cid, n in load.items() if cid < 100]
    locals_ = [n for cid, n in load.items() if cid > 100]
    assert sorted(seniors) == [4, 4, 5, 5] and sorted(locals_) == [3, 3, 4, 4, 4]
    assert all(p.gaps == [] for p in plans)


def test_no_cadre_on_a_date_they_cannot_go():
    result = plan(cadres=pool(3, 2), unavailable={1})
    assert result.teams and all(1 not in team for team in result.teams.values())
    assert result.gaps == []


def test_locked_cadres_stay_and_the_rest_is_planned_around_them():
    result = plan(locked={2: [1]}, team_max=2)
    assert 1 in result.teams[2]
    assert 1 not in result.teams[1] and result.gaps == []


def test_spare_cadres_fill_teams_up_to_the_maximum():
    result = plan(cadres=pool(3, 3), team_max=3)
    assert sorted(len(t) for t in result.teams.values()) == [3, 3]


def test_infeasible_round_names_the_uncovered_community_and_why():
    result = plan(communities=[1, 2, 3], cadres=pool(3, 3), unavailable={3})
    assert [g.community_id for g in result.gaps] == [3]
    assert result.gaps[0].reason == "2026-06-03 没有可派的市级或区级干部"
    assert set(result.teams) == {1, 2}


def test_no_street_cadre_is_reported_too():
    result = plan(cadres=pool(2, 1))
    assert len(result.gaps) == 1 and "镇街级" in result.gaps[0].reason
    assert len(result.teams) == 1
