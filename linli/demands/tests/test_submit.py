"""``demand_submit``: register, answer at once, photos, once per key — and the API's one-call "answered on
the phone"."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.core.errors import ApplicationError
from linli.core.models import Attachment, IdempotencyRecord
from linli.demands import services as s
from linli.demands.models import Demand, DemandEvent
from linli.demands.tests.test_api import Api, expect, fast_passwords  # noqa: F401  (autouse)

BODY = {
    "demand_type": "consultation",
    "text": "想咨询老年人高龄补贴怎么申请",
    "phone": "13812341234",
}
ANSWER = "已告知：年满80周岁可携身份证到社区服务中心申请，次月起发放。"


def _kinds(demand_id: int) -> list[str]:
    return list(
        DemandEvent.objects.filter(demand_id=demand_id).order_by("at", "id").values_list("kind", flat=True)
    )


def test_the_api_registers_and_answers_on_the_phone_in_one_call(world):
    agent = Api(world.user("agent"))
    body = expect(agent.post("/demands", {**BODY, "answer": ANSWER}), 201)
    assert body["status"] == "closed"
    demand = Demand.objects.get(code=body["code"])
    assert demand.resolved_at_intake and demand.resolved and demand.reply_text == ANSWER
    assert demand.registered_by == world.user("agent")
    assert _kinds(demand.pk) == ["registered", "resolved_at_intake"]  # the same two events as two calls


def test_without_an_answer_the_api_only_registers(world):
    body = expect(Api(world.user("agent")).post("/demands", BODY), 201)
    assert body["status"] == "registered"
    assert _kinds(Demand.objects.get(code=body["code"]).pk) == ["registered"]


def test_a_retry_of_the_one_call_gives_the_same_demand_and_no_second_event(world):
    agent = Api(world.user("agent"))
    first = agent.post("/demands", {**BODY, "answer": ANSWER}, **{"Idempotency-Key": "call-42"})
    again = agent.post("/demands", {**BODY, "answer": ANSWER}, **{"Idempotency-Key": "call-42"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Demand.objects.count() == 1
    assert _kinds(Demand.objects.get().pk) == ["registered", "resolved_at_intake"]


def test_the_same_key_for_a_plain_registration_and_an_answered_one_is_refused(world):
    agent = Api(world.user("agent"))
    expect(agent.post("/demands", BODY, **{"Idempotency-Key": "k1"}), 201)
    expect(
        agent.post("/demands", {**BODY, "answer": ANSWER}, **{"Idempotency-Key": "k1"}),
        422,
        "idempotency.key_reused",
    )
    assert Demand.objects.count() == 1


def test_an_empty_answer_is_refused_and_leaves_no_demand_nor_spent_key(world):
    agent = Api(world.user("agent"))
    expect(
        agent.post("/demands", {**BODY, "answer": "   "}, **{"Idempotency-Key": "k2"}),
        422,
        "demand.reason_required",
    )
    assert not Demand.objects.exists() and not IdempotencyRecord.objects.exists()


def test_a_person_who_may_not_answer_cannot_register_answered_either(world):
    # a unit handler may neither register nor answer at intake: one refusal, nothing kept
    expect(
        Api(world.user("cg_handler")).post("/demands", {**BODY, "answer": ANSWER}),
        403,
        "demand.action_forbidden",
    )
    assert not Demand.objects.exists()


def _photo(name="p.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_the_service_keeps_photos_with_the_demand(world):
    done = s.demand_submit(
        actor=world.user("worker"),
        channel="walk_in",
        photos=[_photo()],
        community_id=world.community.pk,
        **BODY,
    )
    assert done.demand is not None and not done.replayed
    assert Attachment.objects.filter(subject_type="demand", subject_id=done.demand.pk).count() == 1


def test_a_refused_answer_takes_the_photo_and_the_demand_with_it(world):
    with pytest.raises(ApplicationError) as e:
        s.demand_submit(actor=world.user("agent"), answer="", photos=[_photo()], channel="hotline", **BODY)
    assert e.value.code == "demand.reason_required"
    assert not Demand.objects.exists() and not Attachment.objects.exists()
