"""/api/v1/visits/: the idempotent visit POST, the plan, meetings, action items and the report."""

import json

import pytest
from django.test import Client

from linli.demands.models import Demand
from linli.visits import services as s
from linli.visits.tests import factories as f

pytestmark = pytest.mark.django_db
BASE = "/api/v1/visits"


def api(user):
    c = Client()
    c.force_login(user)
    return c


def post(c, path, body):
    return c.post(BASE + path, data=json.dumps(body), content_type="application/json")


def test_a_visit_posted_twice_with_the_same_token_is_created_once(world):
    _c, (first, _s) = f.campaign(world)
    c = api(world.user("worker"))
    body = {
        "round_id": first.pk,
        "community_id": world.community.pk,
        "client_token": f.token(),
        "arrived_at": f.evening().isoformat(),
        "issues": [{"text": "小区门口夜市噪声大", "demand_type": "complaint"}],
    }
    one, two = post(c, "/visits", body), post(c, "/visits", body)
    assert (one.status_code, two.status_code) == (201, 200)
    assert one.json()["id"] == two.json()["id"] and two.json()["created"] is False
    assert Demand.objects.filter(channel="night_visit").count() == 1


def test_bad_visit_input_is_a_422_with_a_code_never_a_500(world):
    _c, (first, _s) = f.campaign(world)
    c = api(world.user("worker"))
    response = post(
        c, "/visits", {"round_id": first.pk, "community_id": world.community.pk, "client_token": "x"}
    )
    assert response.status_code == 422 and response.json()["code"] == "request.invalid"
    early = post(
        c,
        "/visits",
        {
            "round_id": first.pk,
            "community_id": world.community.pk,
            "client_token": f.token(),
            "arrived_at": f.evening(hour=15).isoformat(),
        },
    )
    assert early.status_code == 422 and early.json()["code"] == "visits.before_evening_hours"


def test_planning_a_round_over_the_api_returns_the_teams_and_gaps(world):
    _c, (first, _s) = f.campaign(world)
    f.cadres(world, city=1, district=0, street=2)
    response = post(api(world.user("coord")), f"/rounds/{first.pk}/plan", {})
    assert response.status_code == 200
    body = response.json()
    covered = [t for t in body["teams"] if t["cadres"]]
    assert len(covered) == 1 and len(body["uncovered"]) == 1
    assert "没有可派的市级或区级干部" in body["uncovered"][0]["reason"]


def test_an_action_item_is_marked_done_once_then_409(world):
    meeting = s.meeting_create(actor=world.user("coord"), topic="协调会", held_at=f.evening())
    item = s.action_item_add(
        actor=world.user("coord"),
        meeting_id=meeting.pk,
        text_="投放自行车",
        owner_unit_id=world.cg.pk,
        deadline=f.EVENING,
    )
    c = api(world.user("cg_handler"))
    assert post(c, f"/action-items/{item.pk}/done", {"note": "已投放"}).status_code == 200
    again = post(c, f"/action-items/{item.pk}/done", {"note": "已投放"})
    assert again.status_code == 409 and again.json()["code"] == "visits.transition_not_allowed"
    detail = api(world.user("coord")).get(f"{BASE}/meetings/{meeting.pk}").json()
    assert detail["action_items"][0]["status"] == "done"


def test_report_over_the_api_for_a_leader_not_for_a_handler(world):
    campaign, _r = f.campaign(world)
    assert api(world.user("leader")).get(f"{BASE}/campaigns/{campaign.pk}/report").json()["rounds_total"] == 2
    assert api(world.user("cg_handler")).get(f"{BASE}/campaigns/{campaign.pk}/report").status_code == 404
