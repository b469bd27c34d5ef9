"""No input produces a 500: garbage of every kind is answered with a JSON error and a stable code."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from linli.demands.models import Demand, DemandEvent
from linli.demands.tests import factories as f
from linli.demands.tests.test_api import Api, expect, fast_passwords  # noqa: F401  (autouse)

HUGE = "诉" * 200_000
GARBAGE_BODIES = [
    "not json",
    "{",
    "[]",
    "null",
    "123",
    '"a string"',
    "NaN",
    "[" * 50_000 + "]" * 50_000,
    '{"text": 5, "demand_type": ["complaint"]}',
    '{"demand_type": "rumour", "text": "x"}',
    '{"demand_type": "help", "text": "' + HUGE + '"}',
    '{"demand_type": "help", "text": "x\\u0000y"}',
    '{"demand_type": "help", "text": "x\\ud800y"}',
    '{"demand_type": "help", "text": "路灯", "community_id": -1}',
    '{"demand_type": "help", "text": "路灯", "community_id": 100000000000000000000000000000}',
    '{"demand_type": "help", "text": "路灯", "community_id": 987654}',
    '{"demand_type": "help", "text": "路灯", "category_id": "abc"}',
    '{"demand_type": "help", "text": "路灯", "latitude": "north"}',
    '{"demand_type": "help", "text": "路灯", "latitude": 1e308, "longitude": NaN}',
    '{"demand_type": "help", "text": "路灯", "latitude": Infinity}',
    '{"demand_type": "help", "text": "路灯", "phone": "' + "1" * 5000 + '"}',
    '{"demand_type": "help", "text": "路灯", "phone": "+86 abc"}',
    '{"demand_type": "help", "text": "路灯", "urgency": "yesterday", "channel": "pigeon"}',
    '{"demand_type": "help", "text": "路灯", "external_ref": "\\u0000"}',
]
ACTION_BODIES = [
    ("dispatch", {"lead_unit_id": 999999}),
    ("dispatch", {"lead_unit_id": -5}),
    ("dispatch", {"lead_unit_id": "cg"}),
    ("dispatch", {"assisting_unit_ids": "all"}),
    ("dispatch", {"assisting_unit_ids": [1] * 500}),
    ("dispatch", {"category_id": 10**40}),
    ("dispatch", {"version": "latest"}),
    ("dispatch", {"version": -1}),
    ("dispatch", {"version": 10**20}),
    ("redispatch", {"reason": None}),
    ("category", {"category_id": None}),
    ("merge", {"master_id": 0}),
    ("merge", {"master_id": 424242}),
    ("callback", {"resolved": "maybe", "satisfaction": "ecstatic"}),
    ("reopen", {"reason": ["a"], "lead_unit_id": {}}),
    ("close", {"note": 12}),
    ("invalid", {"reason": HUGE}),
    ("escalate", {"reason": "\u0000"}),
    ("withdraw", {}),
    ("resolve-at-intake", {"answer": {"nested": True}}),
]
BAD_QUERIES = [
    {"page": 0},
    {"page": -1},
    {"page": 10**12},
    {"page_size": 100_000},
    {"status": "nope"},
    {"date_from": "yesterday"},
    {"date_to": "9999-12-31"},
    {"date_from": "0001-01-01"},
    {"area": 999999},
    {"unit": "abc"},
    {"category": -3},
    {"overdue": "perhaps"},
    {"q": "\x00"},
    {"q": "x" * 5000},
    {"q": "%' OR 1=1 --"},
    {"sort": "password"},
    {"type": ["help", "bogus"]},
]


def assert_json_error(response):
    assert response.status_code < 500, (response.status_code, response.content[:300])
    if response.status_code >= 400:
        body = response.json()
        assert body["code"] and body["message"] and body["message_en"], body


@pytest.fixture(autouse=True)
def _no_rate_limits():
    limits = {"portal_submit": 10_000, "portal_submit_address": 10_000, "public_track": 10_000}
    with override_settings(LINLI_PUBLIC_RATE_LIMITS=limits):
        yield


def test_garbage_bodies_on_create_endpoints_never_500(world):
    agent = Api(world.user("agent"))
    before = Demand.objects.count()
    for raw in GARBAGE_BODIES:
        for path, api in (("/demands", agent), ("/public/demands", Api())):
            assert_json_error(api.post(path, raw=raw))
    assert Demand.objects.count() == before


def test_garbage_on_action_endpoints_never_500_and_changes_nothing(world):
    dispatcher = Api(world.user("dispatcher"))
    d = f.registered(world)
    events = DemandEvent.objects.count()
    for action, body in ACTION_BODIES:
        assert_json_error(dispatcher.post(f"/demands/{d.pk}/{action}", body))
    for path in ["/demands/-1/dispatch", "/demands/0/close", "/demands/abc/close", f"/demands/{10**30}/close",
                 "/extensions/999999/decide", "/extensions/-2/decide", f"/demands/{d.pk}/assignments/999999/sign",
                 f"/demands/{d.pk}/assignments/x/sign", f"/demands/{d.pk}/assignments/1/extensions"]:  # fmt: skip
        assert_json_error(dispatcher.post(path, {"approve": "yes", "days": 10**9, "reason": "x"}))
    assert DemandEvent.objects.count() == events
    assert Demand.objects.get(pk=d.pk).status == "registered"


def test_bad_query_parameters_never_500(world):
    agent, cg = Api(world.user("agent")), Api(world.user("cg_handler"))
    f.dispatched(world)
    for params in BAD_QUERIES:
        assert_json_error(agent.get("/demands", params))
    for params in [{"tab": "x"}, {"page": "many"}, {"page_size": 0}]:
        assert_json_error(cg.get("/inbox", params))
    for params in [{"level": "planet"}, {"level": 9}]:
        assert_json_error(agent.get("/jurisdictions", params))
        assert_json_error(agent.get("/categories", params))
    for params in [{}, {"code": "\x00", "phone_last4": "1"}, {"code": "' OR 1=1", "phone_last4": "x" * 5000}]:
        assert_json_error(Api().get("/public/demands/track", params))
    for path in ["/demands/-5", "/demands/0", "/demands/%00", f"/demands/{10**25}", "/no/such/thing"]:
        assert_json_error(agent.get(path))


def test_the_expected_codes_for_typical_garbage(world):
    agent = Api(world.user("agent"))
    expect(agent.post("/demands", raw="{"), 400, "request.malformed")
    expect(agent.post("/demands", raw=b"\xff\xfe\x00"), 400, "request.malformed")
    expect(
        agent.post("/demands", raw="a=b", content_type="application/x-www-form-urlencoded"),
        400,
        "request.malformed",
    )
    expect(
        agent.post("/demands", raw=json.dumps({"demand_type": "help", "text": HUGE})), 422, "request.invalid"
    )
    d = f.registered(world)
    r = Api(world.user("dispatcher")).post(
        f"/demands/{d.pk}/dispatch", {"category_id": world.categories["mid"].pk, "lead_unit_id": 987654}
    )
    expect(r, 422, "org.unknown_unit")
    expect(
        Api(world.user("cg_boss")).post("/extensions/999999/decide", {"approve": True}),
        404,
        "demand.not_found",
    )
    expect(agent.get("/no/such/thing"), 404, "not_found")
    expect(agent.get("/demands/-1"), 422, "request.invalid")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_a_body_over_the_limit_is_413(world):
    big = json.dumps({"demand_type": "help", "text": "x" * 20_000})
    expect(Api(world.user("agent")).post("/demands", raw=big), 413, "request.too_large")
    expect(Api().post("/public/demands", raw=big), 413, "request.too_large")
    client = Client()
    client.force_login(world.user("agent"))
    form = client.post("/api/v1/demands", {"text": "x" * 20_000})  # a multipart form, not JSON
    expect(form, 413, "request.too_large")
    assert not Demand.objects.exists()
