"""The demand API over HTTP: the whole loop, authentication, visibility, conflicts and validation.

``Api`` and ``expect`` are shared with the other ``test_api_*`` modules.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from linli.core import clock
from linli.demands.tests import factories as f
from linli.org.services import api_token_create, api_token_revoke

BASE = "/api/v1"
TZ = timezone.get_current_timezone()


class Api:
    """A JSON client for /api/v1/ acting as one staff member (session) or with a bearer token."""

    def __init__(self, user=None, *, token: str | None = None, client: Client | None = None):
        self.client = client or Client()
        if user is not None:
            self.client.force_login(user)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params=None, **headers):
        return self.client.get(BASE + path, params or {}, headers={**self.headers, **headers})

    def post(self, path: str, body=None, *, raw=None, content_type="application/json", **headers):
        data = raw if raw is not None else json.dumps({} if body is None else body)
        return self.client.post(
            BASE + path, data, content_type=content_type, headers={**self.headers, **headers}
        )


def expect(response, status: int, code: str | None = None) -> dict:
    """The JSON body, after checking the status (and the error code, if given)."""
    assert response.status_code == status, (response.status_code, response.content.decode()[:800])
    body = response.json()
    if code is not None:
        assert body["code"] == code, body
        assert body["message"] and body["message_en"], body
    return body


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The world's nine accounts hash their password; the production hasher would make each test seconds slower."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def as_(world):
    return lambda name: Api(world.user(name))


def lead(detail: dict) -> dict:
    return next(
        a for a in detail["assignments"] if a["role"] == "lead" and a["status"] in ("pending_sign", "signed")
    )


def kinds(detail: dict) -> list[str]:
    return [e["kind"] for e in detail["events"]]


def register(as_, world, **change) -> dict:
    body = {
        "demand_type": "complaint",
        "text": "学校门口早晚高峰堵车，流动摊贩占道。",
        "address": "金榕路1号",
        "community_id": world.community.pk,
        "phone": "13812341234",
        "name": "王女士",
        **change,
    }
    return expect(as_("agent").post("/demands", body), 201)


# --- the whole loop -----------------------------------------------------------------------------


def test_the_whole_loop_through_http_with_extension_reopen_and_close(world, as_):
    with clock.at(dt.datetime(2026, 11, 23, 9, 0, tzinfo=TZ)):
        d = register(as_, world)
        assert (d["status"], d["version"], d["phone"], d["community"]["name"]) == (
            "registered",
            1,
            "13812341234",
            "金榕社区",
        )
        did = d["id"]

        d = expect(
            as_("dispatcher").post(
                f"/demands/{did}/dispatch", {"category_id": world.categories["mid"].pk, "version": 1}
            ),
            200,
        )
        assert d["status"] == "dispatched" and d["lead_unit"]["name"] == "区城管局"
        assignment = lead(d)
        assert assignment["sign_due"].startswith("2026-11-23T11:00")

        d = expect(as_("cg_handler").post(f"/demands/{did}/assignments/{assignment['id']}/sign"), 200)
        assert d["status"] == "in_progress" and lead(d)["signed_on_time"] is True

        d = expect(
            as_("cg_handler").post(
                f"/demands/{did}/assignments/{assignment['id']}/extensions",
                {"days": 5, "reason": "需住建部门鉴定"},
            ),
            200,
        )
        extension = lead(d)["extensions"][0]
        assert extension["status"] == "pending"

        d = expect(
            as_("cg_boss").post(f"/extensions/{extension['id']}/decide", {"approve": True, "note": "同意"}),
            200,
        )
        assert lead(d)["extensions"][0]["status"] == "approved"
        assert d["finish_due"] == lead(d)["finish_due"]
        assert d["finish_due"].startswith("2026-12-09T17:30:00")

    # A week later (not at the suite's instant, which may come before 23 November).
    with clock.at(dt.datetime(2026, 11, 30, 10, 0, tzinfo=TZ)):
        d = expect(
            as_("cg_handler").post(
                f"/demands/{did}/assignments/{assignment['id']}/reply", {"result": "已清理摊贩。"}
            ),
            200,
        )
        assert d["status"] == "replied" and d["reply_text"] == "已清理摊贩。" and d["callback_due"]

        d = expect(
            as_("agent").post(
                f"/demands/{did}/callback",
                {"resolved": False, "satisfaction": "unsatisfied", "note": "仍有摊贩"},
            ),
            200,
        )
        assert d["status"] == "called_back" and d["callbacks"][0]["satisfaction_label"] == "不满意"

        d = expect(as_("agent").post(f"/demands/{did}/reopen", {"reason": "群众反映未解决"}), 200)
        assert d["status"] == "dispatched" and d["reopen_count"] == 1
        second = lead(d)
        assert second["id"] != assignment["id"] and second["unit"]["name"] == "区城管局"

        expect(as_("cg_handler").post(f"/demands/{did}/assignments/{second['id']}/sign"), 200)
        expect(
            as_("cg_handler").post(
                f"/demands/{did}/assignments/{second['id']}/reply", {"result": "设置护学岗。"}
            ),
            200,
        )
        expect(
            as_("agent").post(f"/demands/{did}/callback", {"resolved": True, "satisfaction": "satisfied"}),
            200,
        )
        d = expect(as_("agent").post(f"/demands/{did}/close", {}), 200)

        assert (d["status"], d["resolved"], d["satisfaction"]) == ("closed", True, "satisfied")
        assert kinds(d) == [
            "registered", "category_changed", "dispatched", "signed", "extension_requested", "extension_approved",
            "replied", "called_back", "reopened", "signed", "replied", "called_back", "closed",
        ]  # fmt: skip
        assert [e["actor"] for e in d["events"]][:3] == ["话务员小林", "派单员老陈", "派单员老陈"]
        assert expect(as_("agent").get(f"/demands/{did}"), 200) == d


def test_resolve_at_intake_closes_a_consultation(world, as_):
    d = register(as_, world, demand_type="consultation", text="社保卡怎么补办？")
    d = expect(
        as_("agent").post(f"/demands/{d['id']}/resolve-at-intake", {"answer": "请到区政务中心补办。"}), 200
    )
    assert (d["status"], d["resolved_at_intake"], d["reply_text"]) == ("closed", True, "请到区政务中心补办。")


def test_return_is_approved_by_the_supervisor_then_redispatched_to_another_unit(world, as_):
    d = f.dispatched(world)
    aid = f.lead_of(d).pk
    r = expect(
        as_("cg_handler").post(f"/demands/{d.pk}/assignments/{aid}/return", {"reason": "不属于城管职责"}), 200
    )
    assert r["status"] == "dispatched" and r["assignments"][0]["status"] == "return_requested"

    r = expect(
        as_("cg_boss").post(f"/demands/{d.pk}/assignments/{aid}/return/decide", {"approve": True}), 200
    )
    assert r["status"] == "returned" and r["lead_unit"] is None and r["return_count"] == 1

    r = expect(
        as_("dispatcher").post(
            f"/demands/{d.pk}/redispatch", {"lead_unit_id": world.jj.pk, "reason": "交通秩序问题"}
        ),
        200,
    )
    assert r["status"] == "dispatched" and r["lead_unit"]["name"] == "区交警大队"
    assert [a["status"] for a in r["assignments"]] == ["returned", "pending_sign"]


def test_change_category_merge_invalid_withdraw_and_escalate(world, as_):
    dispatcher = as_("dispatcher")
    a = f.registered(world)
    r = expect(
        dispatcher.post(f"/demands/{a.pk}/category", {"category_id": world.categories["traffic"].pk}), 200
    )
    assert r["category"]["full_name"] == "交通运输/道路交通秩序" and r["version"] == 2

    master, dup = f.dispatched(world), f.registered(world)
    r = expect(dispatcher.post(f"/demands/{dup.pk}/merge", {"master_id": master.pk, "note": "同一校门"}), 200)
    assert r["status"] == "merged" and r["master"]["code"] == master.code
    assert [x["code"] for x in expect(dispatcher.get(f"/demands/{master.pk}"), 200)["duplicates"]] == [
        dup.code
    ]

    r = expect(dispatcher.post(f"/demands/{a.pk}/invalid", {"reason": "骚扰电话"}), 200)
    assert r["status"] == "invalid" and r["events"][-1]["note"] == "骚扰电话"

    w = f.dispatched(world)
    r = expect(dispatcher.post(f"/demands/{w.pk}/withdraw", {"reason": "群众撤回"}), 200)
    assert r["status"] == "withdrawn" and r["assignments"][0]["status"] == "cancelled"

    r = expect(as_("coord").post(f"/demands/{master.pk}/escalate", {"reason": "多次投诉"}), 200)
    assert (r["status"], r["escalation_count"]) == ("dispatched", 1)


# --- authentication -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path",
    [("get", "/demands"), ("get", "/demands/1"), ("post", "/demands"), ("get", "/inbox"), ("get", "/me"),
     ("post", "/demands/1/dispatch"), ("post", "/extensions/1/decide"), ("get", "/units")],
)  # fmt: skip
def test_staff_endpoints_answer_401_without_login_or_with_a_bad_token(world, method, path):
    for api in (Api(), Api(token="llk_not-a-real-token")):
        expect(getattr(api, method)(path), 401, "auth.required")


def test_an_api_token_works_without_session_or_csrf_and_stops_when_revoked(world):
    token, secret = api_token_create(user=world.user("dispatcher"), name="热线系统")
    api = Api(token=secret, client=Client(enforce_csrf_checks=True))
    d = f.registered(world)
    assert expect(api.get("/me"), 200)["username"] == "dispatcher"
    r = expect(api.post(f"/demands/{d.pk}/dispatch", {"category_id": world.categories["mid"].pk}), 200)
    assert r["status"] == "dispatched" and r["events"][-1]["actor"] == "派单员老陈"
    api_token_revoke(token=token)
    expect(api.get("/me"), 401, "auth.required")


def test_a_browser_session_must_send_the_csrf_token_to_change_anything(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("dispatcher"))
    api = Api(client=client)
    d = f.registered(world)
    body = {"category_id": world.categories["mid"].pk}
    expect(api.post(f"/demands/{d.pk}/dispatch", body), 403, "auth.csrf_failed")
    assert expect(api.get(f"/demands/{d.pk}"), 200)["status"] == "registered"

    client.get("/admin/login/")  # sets the csrftoken cookie, as any page of the site does
    r = api.post(f"/demands/{d.pk}/dispatch", body, **{"X-CSRFToken": client.cookies["csrftoken"].value})
    assert expect(r, 200)["status"] == "dispatched"


# --- visibility, conflicts, validation ----------------------------------------------------------


def test_another_units_demand_is_404_for_reading_and_acting(world, as_):
    d = f.registered(world)
    jj_only = expect(
        as_("dispatcher").post(f"/demands/{d.pk}/dispatch", {"category_id": world.categories["traffic"].pk}),
        200,
    )
    assert jj_only["lead_unit"]["name"] == "区交警大队"
    aid = lead(jj_only)["id"]
    cg = as_("cg_handler")
    expect(cg.get(f"/demands/{d.pk}"), 404, "demand.not_found")
    expect(cg.post(f"/demands/{d.pk}/assignments/{aid}/sign"), 404, "demand.not_found")
    assert expect(cg.get("/demands"), 200)["count"] == 0
    assert expect(as_("jj_handler").get(f"/demands/{d.pk}"), 200)["code"] == d.code


def test_a_stale_version_and_a_disallowed_transition_are_409(world, as_):
    d = f.registered(world)
    dispatcher = as_("dispatcher")
    expect(
        dispatcher.post(
            f"/demands/{d.pk}/category", {"category_id": world.categories["mid"].pk, "version": 1}
        ),
        200,
    )
    stale = expect(dispatcher.post(f"/demands/{d.pk}/dispatch", {"version": 1}), 409, "demand.stale")
    assert stale["details"] == {"expected_version": 1, "current_version": 2}
    assert expect(dispatcher.get(f"/demands/{d.pk}"), 200)["status"] == "registered"

    r = expect(dispatcher.post(f"/demands/{d.pk}/dispatch", {"version": 2}), 200)
    aid = lead(r)["id"]
    expect(as_("cg_handler").post(f"/demands/{d.pk}/assignments/{aid}/sign"), 200)
    again = expect(
        as_("cg_handler").post(f"/demands/{d.pk}/assignments/{aid}/sign"),
        409,
        "demand.transition_not_allowed",
    )
    assert again["details"]["action"] == "sign_lead"
    expect(
        dispatcher.post(f"/demands/{d.pk}/resolve-at-intake", {"answer": "已答复"}),
        409,
        "demand.transition_not_allowed",
    )


def test_roles_that_may_not_act_get_403(world, as_):
    d = f.registered(world)
    expect(as_("leader").post(f"/demands/{d.pk}/dispatch", {}), 403, "demand.action_forbidden")
    expect(
        as_("leader").post("/demands", {"demand_type": "help", "text": "路灯坏了"}),
        403,
        "demand.action_forbidden",
    )


def test_validation_errors_are_422_with_the_fields_named(world, as_):
    agent = as_("agent")
    body = expect(agent.post("/demands", {"demand_type": "rumour", "text": 5}), 422, "request.invalid")
    locs = {tuple(e["loc"][-1:]) for e in body["details"]["errors"]}
    assert {("demand_type",), ("text",)} <= locs
    expect(agent.post("/demands", {"demand_type": "help", "text": "   "}), 422, "demand.invalid")
    expect(
        agent.post("/demands", {"demand_type": "help", "text": "路灯", "community_id": 99999}),
        422,
        "org.unknown_jurisdiction",
    )
    d = f.in_progress(world)
    aid = f.lead_of(d).pk
    r = as_("cg_handler").post(
        f"/demands/{d.pk}/assignments/{aid}/extensions", {"days": 16, "reason": "太复杂"}
    )
    assert expect(r, 422, "demand.extension_too_long")["details"]["max_days"] == 15
    expect(
        as_("cg_handler").post(f"/demands/{d.pk}/assignments/{aid}/reply", {"result": ""}),
        422,
        "demand.reason_required",
    )


# --- reads --------------------------------------------------------------------------------------


def test_phone_is_full_for_the_hotline_and_masked_for_units_and_leaders(world, as_):
    d = f.dispatched(world)
    for name, phone in [("agent", "13812341234"), ("dispatcher", "13812341234"), ("cg_handler", "138****1234"),
                        ("worker", "138****1234"), ("leader", "138****1234")]:  # fmt: skip
        api = as_(name)
        assert expect(api.get(f"/demands/{d.pk}"), 200)["phone"] == phone, name
        assert [i["phone"] for i in expect(api.get("/demands"), 200)["items"]] == [phone], name


def test_list_filters_sort_and_paginate(world, as_):
    with clock.at(dt.datetime(2026, 11, 2, 10, 0, tzinfo=TZ)):
        old = f.registered(world, text="去年的路灯问题", demand_type="help")
    cg_demand = f.dispatched(world)
    village = f.registered(world, community_id=world.other_community.pk, text="村道积水", channel="walk_in")
    agent = as_("agent")

    def codes(**params):
        return [i["code"] for i in expect(agent.get("/demands", params), 200)["items"]]

    assert codes(sort="registered_at") == [old.code, cg_demand.code, village.code]
    assert codes(status=["registered", "dispatched"], sort="code") == sorted(
        [old.code, cg_demand.code, village.code]
    )
    assert codes(status="dispatched") == [cg_demand.code]
    assert codes(unit=world.cg.pk) == [cg_demand.code]
    assert codes(category=world.categories["top"].pk) == [cg_demand.code]
    assert codes(community=world.other_community.pk) == [village.code]
    assert set(codes(area=world.street.pk)) == {old.code, cg_demand.code, village.code}
    assert codes(area=world.other_community.pk) == [village.code]
    assert codes(channel="walk_in") == [village.code]
    assert codes(type="help") == [old.code]
    assert codes(date_to="2026-11-02") == [old.code]
    assert old.code not in codes(date_from="2026-11-03")
    assert codes(q="积水") == [village.code]
    assert codes(q=village.code.lower()) == [village.code]
    assert codes(overdue="true") == []

    page = expect(agent.get("/demands", {"page_size": 2, "page": 2, "sort": "registered_at"}), 200)
    assert (page["count"], page["page"], page["page_size"], [i["code"] for i in page["items"]]) == (
        3,
        2,
        2,
        [village.code],
    )
    expect(agent.get("/demands", {"page_size": 201}), 422, "request.invalid")
    expect(agent.get("/demands", {"area": 999999}), 422, "org.unknown_jurisdiction")


def test_inbox_tabs_and_counts_for_unit_staff_only(world, as_):
    to_sign, signed = f.dispatched(world), f.in_progress(world)
    cg = as_("cg_handler")
    box = expect(cg.get("/inbox"), 200)
    assert box["tab"] == "to_sign" and box["unit"]["name"] == "区城管局"
    assert [i["demand"]["code"] for i in box["items"]] == [to_sign.code]
    assert box["counts"]["to_sign"] == 1 and box["counts"]["in_progress"] == 1
    box = expect(cg.get("/inbox", {"tab": "in_progress"}), 200)
    assert [(i["demand"]["code"], i["status"]) for i in box["items"]] == [(signed.code, "signed")]
    assert expect(as_("jj_handler").get("/inbox"), 200)["count"] == 0
    expect(as_("dispatcher").get("/inbox"), 403, "inbox.no_unit")
    expect(cg.get("/inbox", {"tab": "everything"}), 422, "request.invalid")


def test_list_and_inbox_queries_do_not_grow_with_the_rows(world, as_, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    f.dispatched(world)
    agent, cg = as_("agent"), as_("cg_handler")

    def count_queries(api, path):
        with CaptureQueriesContext(connection) as ctx:
            expect(api.get(path), 200)
        return len(ctx.captured_queries)

    few_list, few_inbox = count_queries(agent, "/demands"), count_queries(cg, "/inbox")
    for _ in range(8):
        f.dispatched(world, assisting=[world.jj])
    with django_assert_max_num_queries(few_list):
        assert expect(agent.get("/demands"), 200)["count"] == 9
    with django_assert_max_num_queries(few_inbox):
        assert expect(cg.get("/inbox"), 200)["count"] == 9
    joint = f.dispatched(world, assisting=[world.jj])
    with django_assert_max_num_queries(12):
        detail = expect(agent.get(f"/demands/{joint.pk}"), 200)
    assert len(detail["assignments"]) == 2


def test_a_registration_answers_from_what_it_wrote(world, django_assert_max_num_queries):
    """The hotline's system registers with a token: the answer is the demand as the detail shows it, built
    from the rows just written (no read-back, no second classification), in a fixed number of statements."""
    _, secret = api_token_create(user=world.user("agent"), name="12345 热线")
    hotline = Api(token=secret)
    body = {
        "channel": "hotline",
        "demand_type": "complaint",
        "text": "学校门口早晚高峰堵车，流动摊贩占道。",
        "community_id": world.community.pk,
        "phone": "13812341234",
    }
    expect(hotline.post("/demands", body), 201)  # the resident exists from now on, as for most callers
    # token; then, inside the request's transaction (here a savepoint and its release, under the test's own
    # transaction): community, resident, demand, event, index entry. It was 22 with the suggestion worked out
    # again and the events read back, and 10 with a savepoint of its own around the demand's insert.
    with django_assert_max_num_queries(8):
        answer = expect(hotline.post("/demands", body), 201)
    detail = expect(Api(world.user("dispatcher")).get(f"/demands/{answer['id']}"), 200)
    assert answer["suggestion"] is None and detail["suggestion"] is not None
    assert [e["kind"] for e in answer["events"]] == ["registered"]
    assert answer["events"][0]["actor"] == detail["events"][0]["actor"]
    assert {**answer, "suggestion": None} == {**detail, "suggestion": None}
