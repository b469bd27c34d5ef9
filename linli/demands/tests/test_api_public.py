"""The resident's side: submit without login, track by code and phone digits, and nothing internal leaks."""

from __future__ import annotations

from django.test import Client, override_settings

from linli.demands.models import Demand
from linli.demands.tests import factories as f
from linli.demands.tests.test_api import Api, expect, fast_passwords  # noqa: F401  (autouse)


def submit(client: Client | None = None, **change):
    body = {
        "demand_type": "help",
        "text": "小区路灯坏了三盏",
        "address": "金榕小区3栋",
        "phone": "13900001111",
        **change,
    }
    return Api(client=client or Client()).post("/public/demands", body)


def track(code: str, last4: str):
    return Api().get("/public/demands/track", {"code": code, "phone_last4": last4})


def test_a_resident_submits_without_login_and_tracks_with_the_code(world):
    receipt = expect(submit(community_id=world.community.pk, name="李先生"), 201)
    assert receipt["status"] == "registered" and receipt["code"].startswith("LL")
    demand = Demand.objects.get(code=receipt["code"])
    assert (demand.channel, demand.registered_by_id, demand.complainant.phone) == ("web", None, "13900001111")

    t = expect(track(receipt["code"].lower(), "1111"), 200)
    assert (t["status"], t["type_label"], t["reply_text"]) == ("registered", "求助", None)
    assert [(e["kind"], e["label"]) for e in t["timeline"]] == [("registered", "受理")]


def test_the_public_form_needs_a_phone_and_a_known_type(world):
    expect(submit(phone=""), 422, "demand.invalid")
    body = expect(
        Api().post("/public/demands", {"demand_type": "help", "text": "路灯坏了"}), 422, "request.invalid"
    )
    assert ["body", "payload", "phone"] in [e["loc"] for e in body["details"]["errors"]]
    expect(submit(demand_type="gossip"), 422, "request.invalid")
    assert not Demand.objects.exists()


def test_wrong_code_or_digits_is_404_without_saying_which(world):
    code = expect(submit(), 201)["code"]
    for args in [(code, "2222"), (code, "111"), (code, ""), ("LL000000XXXXXX", "1111"), ("", "1111")]:
        expect(track(*args), 404, "demand.tracking_not_found")


def test_tracking_shows_the_reply_but_no_names_phone_or_internal_notes(world):
    d = f.dispatched(world, phone="13812345678")
    aid = f.lead_of(d).pk
    Api(world.user("cg_handler")).post(f"/demands/{d.pk}/assignments/{aid}/sign")
    Api(world.user("cg_handler")).post(
        f"/demands/{d.pk}/assignments/{aid}/extensions", {"days": 2, "reason": "内部：等住建局鉴定"}
    )
    Api(world.user("coord")).post(f"/demands/{d.pk}/escalate", {"reason": "内部督办：领导批示"})
    before = expect(track(d.code, "5678"), 200)
    assert before["reply_text"] is None and before["status_label"] == "办理中"

    Api(world.user("cg_handler")).post(
        f"/demands/{d.pk}/assignments/{aid}/reply", {"result": "已清理摊贩并设置护学岗。"}
    )
    response = track(d.code, "5678")
    t = expect(response, 200)
    assert t["reply_text"] == "已清理摊贩并设置护学岗。" and t["replied_at"]
    assert [e["label"] for e in t["timeline"]] == ["受理", "派单", "签收", "办结反馈"]
    assert set(t) == {"code", "status", "status_label", "demand_type", "type_label", "registered_at", "timeline",
                      "reply_text", "replied_at"}  # fmt: skip
    raw = response.content.decode()
    for secret in [
        "13812345678",
        "王女士",
        "话务员小林",
        "派单员老陈",
        "cg_handler",
        "区城管局",
        "内部",
        "金榕路1号",
    ]:
        assert secret not in raw, secret


def test_public_submissions_are_limited_per_phone_under_a_generous_address_ceiling(world):
    """The portal's rule: five per phone in ten minutes, many residents behind one address (a service hall)."""
    limits = {"portal_submit": (3, 600), "portal_submit_address": (8, 600)}
    with override_settings(LINLI_PUBLIC_RATE_LIMITS=limits):
        hall = Client(REMOTE_ADDR="10.0.0.1")
        for _ in range(3):
            expect(submit(hall), 201)
        refused = submit(hall, phone="139 0000 1111")  # the same number written another way
        expect(refused, 429, "public.phone_rate_limited")
        body = refused.json()
        assert 0 < int(refused["Retry-After"]) <= 600 and body["details"]["retry_after"] == int(
            refused["Retry-After"]
        )
        assert "12345" in body["message"] and "12345" in body["message_en"]
        # other residents at the same address still get through, up to the ceiling
        for n in range(3):
            expect(submit(hall, phone=f"1380000{n:04d}"), 201)
        expect(submit(hall, text="", phone="13700000000"), 422)  # garbage counts against the address too
        ceiling = submit(hall, phone="13600000000")
        expect(ceiling, 429, "rate_limited")
        assert int(ceiling["Retry-After"]) > 0
        # the phone's count follows the phone, not the address
        expect(submit(Client(REMOTE_ADDR="10.0.0.2")), 429, "public.phone_rate_limited")
        expect(submit(Client(REMOTE_ADDR="10.0.0.2"), phone="13500000000"), 201)
    assert Demand.objects.count() == 7


def test_tracking_is_limited_per_address_against_guessing(world):
    code = expect(submit(), 201)["code"]
    with override_settings(LINLI_PUBLIC_RATE_LIMITS={"public_track": 5}):
        for digits in range(5):
            expect(track(code, f"{digits:04d}"), 404)
        expect(track(code, "1111"), 429, "rate_limited")


def test_public_submission_is_idempotent_per_address(world):
    here = Client(REMOTE_ADDR="10.0.0.7")
    first = Api(client=here).post(
        "/public/demands",
        {"demand_type": "help", "text": "井盖缺失", "phone": "13900002222"},
        **{"Idempotency-Key": "form-42"},
    )
    again = Api(client=here).post(
        "/public/demands",
        {"text": "井盖缺失", "phone": "13900002222", "demand_type": "help"},
        **{"Idempotency-Key": "form-42"},
    )
    assert expect(first, 201) == expect(again, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert Demand.objects.count() == 1
    reused = Api(client=here).post(
        "/public/demands",
        {"demand_type": "help", "text": "另一件事", "phone": "13900002222"},
        **{"Idempotency-Key": "form-42"},
    )
    expect(reused, 422, "idempotency.key_reused")
    elsewhere = Api(client=Client(REMOTE_ADDR="10.0.0.8")).post(
        "/public/demands",
        {"demand_type": "help", "text": "井盖缺失", "phone": "13900002222"},
        **{"Idempotency-Key": "form-42"},
    )
    assert expect(elsewhere, 201)["code"] != first.json()["code"]
