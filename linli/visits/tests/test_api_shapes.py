"""The answers of /api/v1/visits/ keep their shape: every key, in order, with its JSON type.

Clients (the cadres' phones among them) read these bodies; the schemas in ``visits/schemas.py`` describe them
in openapi.json. A change of key, order or type here is a change of the API.
"""

import json

import pytest
from django.test import Client

from linli.core.tests.shapes import assert_shape
from linli.demands.models import Demand
from linli.visits import services as s
from linli.visits.tests import factories as f

pytestmark = pytest.mark.django_db
BASE = "/api/v1/visits"

CAMPAIGN = {
    "id": "int",
    "name": "str",
    "area": "str",
    "starts_on": "str",
    "ends_on": "str",
    "evening_start": "str",
    "evening_end": "str",
}
PLAN = {
    "id": "int",
    "number": "int",
    "date": "str",
    "planned_at": "str",
    "uncovered": [{"community_id": "int", "community": "str", "reason": "str"}],
    "teams": [
        {
            "community_id": "int",
            "community": "str",
            "visited": "bool",
            "cadres": [{"id": "int", "name": "str", "level": "str", "locked": "bool"}],
        }
    ],
}
REPORT = {
    "rounds_total": "int",
    "rounds_held": "int",
    "cadres_by_level": [{"level": "str", "key": "str", "count": "int"}],
    "cadres_total": "int",
    "communities_covered": "int",
    "communities_total": "int",
    "uncovered": ["str"],
    "visits": "int",
    "issues": "int",
    "resolved_grassroots": "int",
    "resolved_grassroots_share": "float",
    "resolved_first_visit": "int",
    "resolved_first_visit_share": "float",
    "resolved_grassroots_pct": "str",
    "resolved_first_visit_pct": "str",
    "open_issues": "int",
    "open_by_unit": [{"unit": "str", "count": "int"}],
    "rounds": [{"number": "int", "date": "str", "visits": "int", "communities": "int", "issues": "int"}],
}


def api(user):
    c = Client()
    c.force_login(user)
    return c


def post(c, path, body):
    return c.post(BASE + path, data=json.dumps(body), content_type="application/json")


def test_the_campaign_round_and_visit_answers_keep_their_shape(world):
    campaign, (first, _second) = f.campaign(world)
    f.cadres(world, city=1, district=0, street=2)
    coord = api(world.user("coord"))
    assert_shape(coord.get(f"{BASE}/campaigns").json(), [CAMPAIGN])
    detail = coord.get(f"{BASE}/campaigns/{campaign.pk}").json()
    assert [r["number"] for r in detail["rounds"]] == [1, 2]
    assert_shape(
        detail,
        {
            **CAMPAIGN,
            "rounds": [{"id": "int", "number": "int", "date": "str", "visits": "int", "planned": "bool"}],
        },
    )
    unplanned = coord.get(f"{BASE}/rounds/{first.pk}").json()
    assert_shape(
        unplanned,
        {**PLAN, "planned_at": "null", "uncovered": [], "teams": [{**PLAN["teams"][0], "cadres": []}]},
    )
    planned = post(coord, f"/rounds/{first.pk}/plan", {})
    assert planned.status_code == 200 and len(planned.json()["uncovered"]) == 1  # one senior for two places
    assert_shape(
        planned.json(), {**PLAN, "teams": [{**PLAN["teams"][0], "cadres": [PLAN["teams"][0]["cadres"][0]]}]}
    )
    assert coord.get(f"{BASE}/rounds/{first.pk}").json() == planned.json()

    body = {
        "round_id": first.pk,
        "community_id": world.community.pk,
        "client_token": f.token(),
        "arrived_at": f.evening().isoformat(),
        "issues": [{"text": "小区门口夜市噪声大", "demand_type": "complaint"}],
    }
    worker = api(world.user("worker"))
    one, two = post(worker, "/visits", body), post(worker, "/visits", body)
    assert (one.status_code, two.status_code) == (201, 200)
    shape = {"id": "int", "created": "bool", "demands": ["str"]}
    assert_shape(one.json(), shape)
    assert_shape(two.json(), shape)
    assert one.json()["demands"] == two.json()["demands"] != []


def test_the_meeting_action_item_and_report_answers_keep_their_shape(world):
    campaign, (first, _second) = f.campaign(world)
    s.visit_record(
        actor=world.user("worker"),
        round_id=first.pk,
        community_id=world.community.pk,
        client_token=f.token(),
        arrived_at=f.evening(),
        issues=[s.IssueInput(text="路灯不亮", demand_type="help", solved_on_spot=True, answer="已报修")],
    )
    coord = world.user("coord")
    meeting = s.meeting_create(
        actor=coord, topic="夜市噪声协调会", held_at=f.evening(), unit_ids=[world.cg.pk], decisions="错峰收摊"
    )
    demand = Demand.objects.get(channel="night_visit")
    s.meeting_refer_demand(actor=coord, meeting_id=meeting.pk, demand_id=demand.pk)
    item = s.action_item_add(
        actor=coord,
        meeting_id=meeting.pk,
        text_="设置夜市收摊时间",
        owner_unit_id=world.cg.pk,
        deadline=f.EVENING,
        demand_ids=[demand.pk],
    )
    c = api(coord)
    meetings = c.get(f"{BASE}/meetings").json()
    assert_shape(
        meetings, [{"id": "int", "topic": "str", "held_at": "str", "items": "int", "open_items": "int"}]
    )
    detail = c.get(f"{BASE}/meetings/{meeting.pk}").json()
    assert detail["referred_demands"] == [demand.code] and detail["action_items"][0]["demands"] == [
        demand.code
    ]
    assert_shape(
        detail,
        {
            "id": "int",
            "topic": "str",
            "held_at": "str",
            "place": "str",
            "units": ["str"],
            "representatives": "str",
            "decisions": "str",
            "action_items": [
                {
                    "id": "int",
                    "text": "str",
                    "owner_unit": "str",
                    "deadline": "str",
                    "status": "str",
                    "overdue": "bool",
                    "demands": ["str"],
                }
            ],
            "referred_demands": ["str"],
        },
    )
    done = post(api(world.user("cg_handler")), f"/action-items/{item.pk}/done", {"note": "已设置"})
    assert done.status_code == 200
    assert_shape(done.json(), {"id": "int", "status": "str", "done_at": "str"})

    report = api(world.user("leader")).get(f"{BASE}/campaigns/{campaign.pk}/report").json()
    assert report["issues"] == 1 and report["resolved_first_visit_share"] == 1.0
    assert_shape(report, {**REPORT, "uncovered": ["str"], "open_by_unit": []})
