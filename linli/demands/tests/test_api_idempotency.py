"""Registering under an Idempotency-Key: a replay returns the first answer, never a second demand."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from linli.core.models import IdempotencyRecord
from linli.demands.models import Demand
from linli.demands.tests.test_api import Api, expect, fast_passwords  # noqa: F401  (autouse)
from linli.org.tests.factories import make_world

BODY = {
    "demand_type": "complaint",
    "text": "夜间施工噪音扰民",
    "phone": "13812341234",
    "address": "金榕路8号",
}


def register(api: Api, body=None, key="retry-1"):
    return api.post("/demands", BODY if body is None else body, **({"Idempotency-Key": key} if key else {}))


def test_a_replay_returns_the_same_answer_and_makes_no_second_demand(world):
    agent = Api(world.user("agent"))
    first = register(agent)
    replay = register(agent, {**BODY})  # same content, keys in any order
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Demand.objects.count() == 1
    assert Demand.objects.get().code == first.json()["code"]


def test_the_same_key_with_another_body_is_refused(world):
    agent = Api(world.user("agent"))
    expect(register(agent), 201)
    expect(register(agent, {**BODY, "text": "另一件事"}), 422, "idempotency.key_reused")
    assert Demand.objects.count() == 1


def test_a_refused_request_does_not_burn_the_key(world):
    agent = Api(world.user("agent"))
    expect(register(agent, {**BODY, "text": "  "}), 422, "demand.invalid")
    assert not IdempotencyRecord.objects.exists()
    expect(register(agent), 201)
    assert Demand.objects.count() == 1


def test_keys_are_scoped_per_user_and_optional(world):
    expect(register(Api(world.user("agent"))), 201)
    expect(register(Api(world.user("dispatcher"))), 201)
    expect(register(Api(world.user("agent")), key=None), 201)
    expect(register(Api(world.user("agent")), key=None), 201)
    assert Demand.objects.count() == 4


@pytest.mark.parametrize("key", ["x" * 201, "有中文", "with space"])
def test_a_malformed_key_is_422(world, key):
    expect(register(Api(world.user("agent")), key=key), 422, "idempotency.bad_key")
    assert not Demand.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: concurrent transactions")
def test_concurrent_retries_create_exactly_one_demand():
    world = make_world()
    user = world.user("agent")
    barrier = threading.Barrier(6)
    answers = []

    def send():
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            r = register(Api(client=client), key="same-click")
            answers.append((r.status_code, r.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(answers) == 6
    assert {status for status, _ in answers} == {201}
    assert len({body["code"] for _, body in answers}) == 1
    assert Demand.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
